/**
 * UPDATE-only rules of the PodCliqueSet webhook (`validateUpdate`, VALIDATION.md §4: U1-U16, then the topology
 * immutability of §5.4). Field paths of the per-clique and per-group immutability errors carry no index (Q5).
 */
import { ClusterObjects } from './cluster';
import { ErrorList, forbidden, invalid } from './errors';
import { FieldPath } from './field-path';
import { semanticEqual } from './json';
import { PodCliqueSetView } from './model';
import { validateTopologyUpdate } from './topology';

const IMMUTABLE = 'field is immutable';
const ORDERED_STARTUP_TYPES = ['CliqueStartupTypeInOrder', 'CliqueStartupTypeExplicit'];

/** `ValidateImmutableField`: `Invalid … field is immutable` unless semantically equal. */
function immutable(next: unknown, old: unknown, path: FieldPath): ErrorList {
  return semanticEqual(next, old) ? [] : [invalid(path, IMMUTABLE)];
}

/** U1-U16 and T13-T16, in Grove's order. */
export function validatePodCliqueSetUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView, tasEnabled: boolean, cluster: ClusterObjects): ErrorList {
  const template = FieldPath.of('spec', 'template');
  return [
    ...validateCliquesUpdate(pcs, old, template.child('cliques')),
    ...immutable(pcs.startupType, old.startupType, template.child('cliqueStartupType')), // U9
    ...validateScalingGroupsUpdate(pcs, old, template.child('podCliqueScalingGroups')),
    ...validateTopologyUpdate(pcs, old, tasEnabled, cluster),
    ...immutable(pcs.resourceClaimTemplates.map(t => ({ name: t.name, templateSpec: t.templateSpec })),
      old.resourceClaimTemplates.map(t => ({ name: t.name, templateSpec: t.templateSpec })), template.child('resourceClaimTemplates')), // U15
    ...immutable(pcs.resourceSharing, old.resourceSharing, template.child('resourceSharing')), // U16
  ];
}

/** U1-U8: same clique names, same order for InOrder/Explicit, immutable fields matched by name. */
function validateCliquesUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (pcs.cliques.length !== old.cliques.length) {
    errs.push(forbidden(path, 'not allowed to change clique composition'));
  }
  const oldByName = new Map(old.cliques.map((c, i) => [c.name, { index: i, clique: c }]));
  const orderEnforced = ORDERED_STARTUP_TYPES.includes(pcs.startupType ?? '');
  const specPath = path.child('spec');
  pcs.cliques.forEach((clique, i) => {
    const previous = oldByName.get(clique.name);
    if (!previous) {
      errs.push(forbidden(path.child('name'), `not allowed to change clique composition, new clique name '${clique.name}' is not allowed`));
      return;
    }
    if (orderEnforced && previous.index !== i) {
      errs.push(invalid(path,
        `clique order cannot be changed when StartupType is InOrder or Explicit. Expected '${previous.clique.name}' at position ${i}, got '${clique.name}'`));
    }
    const was = previous.clique;
    errs.push(
      ...immutable(clique.roleName, was.roleName, specPath.child('roleName')),
      ...immutable(clique.minAvailable, was.minAvailable, specPath.child('minAvailable')),
      ...immutable(clique.startsAfter, was.startsAfter, specPath.child('startsAfter')),
      ...immutable(clique.podSpec.schedulerName, was.podSpec.schedulerName, specPath.child('podSpec', 'schedulerName')),
      ...immutable(clique.resourceSharing, was.resourceSharing, path.index(i).child('resourceSharing')),
    );
  });
  return errs;
}

/** U10-U14: no group added or removed, immutable fields matched by name. */
function validateScalingGroupsUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView, path: FieldPath): ErrorList {
  if (pcs.scalingGroups.length !== old.scalingGroups.length) {
    return [forbidden(path, 'not allowed to add or remove PodCliqueScalingGroupConfigs')];
  }
  const errs: ErrorList = [];
  const oldByName = new Map(old.scalingGroups.map(g => [g.name, g]));
  for (const group of pcs.scalingGroups) {
    const was = oldByName.get(group.name);
    if (!was) {
      errs.push(forbidden(path.child('name'), `not allowed to change scaling group composition, new scaling group name '${group.name}' is not allowed`));
      continue;
    }
    errs.push(
      ...immutable(group.cliqueNames, was.cliqueNames, path.child('cliqueNames')),
      ...immutable(group.minAvailable, was.minAvailable, path.child('minAvailable')),
      ...immutable(group.resourceSharing, was.resourceSharing, path.child('resourceSharing')),
    );
  }
  return errs;
}

/**
 * Topology-constraint rules (VALIDATION.md §5): TAS disabled (T1-T3), topologyName resolution and the
 * ClusterTopologyBinding lookup (T4-T9), domains and hierarchy (T10-T12, warning W1), immutability on UPDATE
 * (T13-T16, with the deprecated-packDomain migration and the legacy repair), and the packDomain warning W2.
 */
import { ClusterObjects } from './cluster';
import { ErrorList, forbidden, internalError, invalid, required } from './errors';
import { FieldPath } from './field-path';
import { goList, goQuote } from './json';
import {
  PodCliqueSetView, TopologyConstraintView, hasAnyPackDomain, hasAnyTopologyConstraint, preferredDomain, requiredDomain,
} from './model';

const TEMPLATE = FieldPath.of('spec', 'template');
const TOPOLOGY_NAME_PATH = TEMPLATE.child('topologyConstraint', 'topologyName');
const NAMES_MUST_MATCH = 'all topologyConstraint.topologyName values within a PodCliqueSet must match in the current implementation';

type Kind = 'PodCliqueSet' | 'PodCliqueScalingGroup' | 'PodClique';

/** One constrained level of the PodCliqueSet. */
interface ConstraintSite {
  readonly kind: Kind;
  /** Resource name (`''` for the PodCliqueSet itself). */
  readonly name: string;
  /** Index in `cliques` / `podCliqueScalingGroups` (-1 for the PodCliqueSet). */
  readonly index: number;
  readonly tc: TopologyConstraintView;
  readonly path: FieldPath;
}

/** Every topology constraint in Grove's order: PodCliqueSet, cliques, scaling groups. */
function constraintSites(pcs: PodCliqueSetView): ConstraintSite[] {
  const sites: ConstraintSite[] = [];
  if (pcs.topologyConstraint) {
    sites.push({ kind: 'PodCliqueSet', name: '', index: -1, tc: pcs.topologyConstraint, path: TEMPLATE.child('topologyConstraint') });
  }
  pcs.cliques.forEach((c, i) => c.topologyConstraint
    && sites.push({ kind: 'PodClique', name: c.name, index: i, tc: c.topologyConstraint, path: TEMPLATE.child('cliques').index(i).child('topologyConstraint') }));
  pcs.scalingGroups.forEach((g, i) => g.topologyConstraint
    && sites.push({ kind: 'PodCliqueScalingGroup', name: g.name, index: i, tc: g.topologyConstraint, path: TEMPLATE.child('podCliqueScalingGroups').index(i).child('topologyConstraint') }));
  return sites;
}

export interface TopologyOutcome {
  readonly warnings: string[];
  readonly errors: ErrorList;
}

// ---------------------------------------------------------------- CREATE

/** Topology checks on CREATE (`validateTopologyConstraintsOnCreate`). */
export function validateTopologyOnCreate(pcs: PodCliqueSetView, tasEnabled: boolean, cluster: ClusterObjects): TopologyOutcome {
  if (!tasEnabled) {
    return { warnings: [], errors: disallowWhenTASDisabled(pcs) };
  }
  const resolved = resolveTopologyDomains(pcs, cluster);
  if ('errors' in resolved) {
    return { warnings: [], errors: resolved.errors };
  }
  return { warnings: redundantPreferredWarnings(pcs, resolved.domains), errors: validateDomainsAndHierarchy(pcs, resolved.domains) };
}

/** T1-T3. */
function disallowWhenTASDisabled(pcs: PodCliqueSetView): ErrorList {
  return constraintSites(pcs).map(s => invalid(s.path, 'topology constraints are not allowed when Topology Aware Scheduling is disabled'));
}

/** T10, then (only without T10 errors) T11/T12. */
function validateDomainsAndHierarchy(pcs: PodCliqueSetView, domains: readonly string[] | undefined): ErrorList {
  const errs = validateDomainsExist(pcs, domains);
  return errs.length > 0 ? errs : validateHierarchy(pcs, domains ?? []);
}

/**
 * T4-T9: the single effective topologyName and the domains of its ClusterTopologyBinding. `domains` is undefined
 * when the PodCliqueSet has no constraint at all (no lookup happens).
 */
function resolveTopologyDomains(pcs: PodCliqueSetView, cluster: ClusterObjects): { domains: string[] | undefined } | { errors: ErrorList } {
  if (!hasAnyTopologyConstraint(pcs)) {
    return { domains: undefined };
  }
  const resolution = resolveTopologyNames(pcs);
  if (resolution.errors.length > 0) {
    return { errors: resolution.errors };
  }
  const name = resolution.name;
  const domains = cluster.topologyDomains(name);
  if (domains === undefined) {
    return { errors: [invalid(TOPOLOGY_NAME_PATH, `ClusterTopologyBinding ${goQuote(name)} not found`)] };
  }
  return { domains };
}

/**
 * Visits the constraints in Grove's name-resolution order (PodCliqueSet, scaling groups, cliques), passing each the
 * name it may inherit: a group inherits the PodCliqueSet's, a clique its (first) constrained group's, else the
 * PodCliqueSet's. `resolve` returns the constraint's effective name, or `undefined` when it does not resolve.
 */
function walkTopologyNames(pcs: PodCliqueSetView, resolve: (site: ConstraintSite, inherited: string) => string | undefined): void {
  const sites = constraintSites(pcs);
  const pcsSite = sites.find(s => s.kind === 'PodCliqueSet');
  const pcsName = (pcsSite && resolve(pcsSite, '')) ?? '';
  const groupNameByClique = new Map<string, string>();
  for (const site of sites.filter(s => s.kind === 'PodCliqueScalingGroup')) {
    const name = resolve(site, pcsName);
    if (name !== undefined) {
      pcs.scalingGroups[site.index].cliqueNames.filter(c => !groupNameByClique.has(c)).forEach(c => groupNameByClique.set(c, name));
    }
  }
  for (const site of sites.filter(s => s.kind === 'PodClique')) {
    resolve(site, groupNameByClique.get(site.name) ?? pcsName);
  }
}

/**
 * T4-T7 (`resolveEffectiveTopologyNameFieldErrors`): each constraint needs an explicit or inherited name, an explicit
 * name must equal the inherited one, and all resolved names must agree (otherwise every explicit name is flagged).
 */
function resolveTopologyNames(pcs: PodCliqueSetView): { name: string; errors: ErrorList } {
  const errors: ErrorList = [];
  const resolvedNames: string[] = [];
  walkTopologyNames(pcs, ({ tc, path }, inherited) => {
    if (tc.topologyName === '' && inherited === '') {
      errors.push(required(path.child('topologyName'), 'topologyName is required when topologyConstraint is set and cannot be inherited'));
      return undefined;
    }
    if (tc.topologyName !== '' && inherited !== '' && tc.topologyName !== inherited) {
      errors.push(invalid(path.child('topologyName'), NAMES_MUST_MATCH));
      return undefined;
    }
    resolvedNames.push(tc.topologyName || inherited);
    return tc.topologyName || inherited;
  });
  if (new Set(resolvedNames).size > 1) {
    errors.push(...constraintSites(pcs)
      .sort((a, b) => KIND_ORDER_FOR_NAME_CONFLICTS[a.kind] - KIND_ORDER_FOR_NAME_CONFLICTS[b.kind])
      .filter(s => s.tc.topologyName !== '')
      .map(s => invalid(s.path.child('topologyName'), NAMES_MUST_MATCH)));
  }
  return { name: resolvedNames[0] ?? '', errors };
}

/** T7b lists the PCS first, then scaling groups, then cliques. */
const KIND_ORDER_FOR_NAME_CONFLICTS: Record<Kind, number> = { PodCliqueSet: 0, PodCliqueScalingGroup: 1, PodClique: 2 };

/** T10: every referenced domain must be a level of the ClusterTopologyBinding. */
function validateDomainsExist(pcs: PodCliqueSetView, domains: readonly string[] | undefined): ErrorList {
  if (domains === undefined) {
    return [];
  }
  const errs: ErrorList = [];
  const check = (domain: string, path: FieldPath) => {
    if (domain !== '' && !domains.includes(domain)) {
      errs.push(invalid(path, `topology domain '${domain}' does not exist in cluster topology ${goList(domains)}`));
    }
  };
  for (const { tc, path } of constraintSites(pcs)) {
    check(tc.packDomain, path.child('packDomain'));
    if (tc.pack) {
      check(tc.pack.required, path.child('pack', 'required'));
      check(tc.pack.preferred, path.child('pack', 'preferred'));
    }
  }
  return errs;
}

/** True when `parent` is narrower (a later level) than `child`; unknown domains are not compared. */
function isNarrower(parent: string, child: string, domains: readonly string[]): boolean {
  const p = domains.indexOf(parent);
  const c = domains.indexOf(child);
  return p !== -1 && c !== -1 && p > c;
}

function hierarchyMessage(parentDomain: string, parentKind: Kind, parentName: string, childDomain: string, childKind: Kind, childName: string): string {
  const parent = parentName === '' ? parentKind : `${parentKind} '${parentName}'`;
  return `${parent} topology constraint domain '${parentDomain}' is narrower than ${childKind} '${childName}' topology constraint domain '${childDomain}'`;
}

/** T11, T11p, T12, T12p: a parent's required (preferred) domain must not be narrower than a child's. */
function validateHierarchy(pcs: PodCliqueSetView, domains: readonly string[]): ErrorList {
  const errs: ErrorList = [];
  const compare = (parent: ConstraintSite, children: readonly ConstraintSite[]) => {
    for (const child of children) {
      for (const [domainOf, path] of [[requiredDomain, parent.path], [preferredDomain, parent.path.child('pack', 'preferred')]] as const) {
        if (isNarrower(domainOf(parent.tc), domainOf(child.tc), domains)) {
          errs.push(invalid(path, hierarchyMessage(domainOf(parent.tc), parent.kind, parent.name, domainOf(child.tc), child.kind, child.name)));
        }
      }
    }
  };
  const sites = constraintSites(pcs);
  const cliqueSites = sites.filter(s => s.kind === 'PodClique');
  const groupSites = sites.filter(s => s.kind === 'PodCliqueScalingGroup');
  const pcsSite = sites.find(s => s.kind === 'PodCliqueSet');
  if (pcsSite) {
    compare(pcsSite, cliqueSites);
    compare(pcsSite, groupSites);
  }
  for (const groupSite of groupSites) {
    // A member is the first clique of that name (`FindPodCliqueTemplateSpecByName`).
    const members = pcs.scalingGroups[groupSite.index].cliqueNames
      .map(name => pcs.cliques.findIndex(c => c.name === name))
      .flatMap(i => cliqueSites.filter(s => s.index === i));
    compare(groupSite, members);
  }
  return errs;
}

/** W1: within one constraint, a preferred domain coarser than the required one is redundant. */
function redundantPreferredWarnings(pcs: PodCliqueSetView, domains: readonly string[] | undefined): string[] {
  if (domains === undefined) {
    return [];
  }
  return constraintSites(pcs)
    .filter(({ tc }) => requiredDomain(tc) !== '' && preferredDomain(tc) !== '' && isNarrower(requiredDomain(tc), preferredDomain(tc), domains))
    .map(({ path }) => `${path.child('pack', 'preferred')} is coarser than ${path.child('pack', 'required')} and is redundant`);
}

/** W2 (valid updates): every remaining `packDomain` is deprecated. */
export function packDomainDeprecationWarnings(pcs: PodCliqueSetView): string[] {
  return constraintSites(pcs)
    .filter(({ tc }) => tc.packDomain !== '')
    .map(({ path }) => `${path.child('packDomain')} is deprecated; use ${path.child('pack', 'required')} instead`);
}

// ---------------------------------------------------------------- UPDATE

const TOPOLOGY_NAME_MISSING = 'topology constraints require an explicit or inherited topologyName';

/**
 * T13-T16 (`validateTopologyConstraintsUpdate`). A legacy object (packDomain without topologyName, whose name cannot
 * be resolved) may gain a topologyName; the repaired object is then validated like a create.
 */
export function validateTopologyUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView, tasEnabled: boolean, cluster: ClusterObjects): ErrorList {
  if (hasAnyTopologyConstraint(old) && hasRepairableLegacyConstraint(old)) {
    const problem = effectiveTopologyNameProblem(old);
    if (problem === TOPOLOGY_NAME_MISSING) {
      const errs = validateImmutability(pcs, old, true);
      return errs.length > 0 ? errs : validateLegacyRepair(pcs, tasEnabled, cluster);
    }
    if (problem !== undefined) {
      return [internalError(TOPOLOGY_NAME_PATH, problem)];
    }
  }
  return validateImmutability(pcs, old, false);
}

function hasRepairableLegacyConstraint(pcs: PodCliqueSetView): boolean {
  return constraintSites(pcs).some(({ tc }) => tc.topologyName === '' && tc.packDomain !== '');
}

/**
 * Why `ResolveEffectiveTopologyNameForPodCliqueSet` fails on `pcs` (its first error), or `undefined` when it resolves
 * to one name.
 */
function effectiveTopologyNameProblem(pcs: PodCliqueSetView): string | undefined {
  let problem: string | undefined;
  let first = '';
  walkTopologyNames(pcs, ({ tc }, inherited) => {
    const name = tc.topologyName || inherited;
    if (problem !== undefined) {
      return undefined;
    } else if (!hasAnyPackDomain(tc)) {
      problem = 'topology constraints require at least one pack domain';
    } else if (name === '') {
      problem = TOPOLOGY_NAME_MISSING;
    } else if ((tc.topologyName !== '' && inherited !== '' && tc.topologyName !== inherited) || (first !== '' && first !== name)) {
      problem = 'multiple topology names within a single PodCliqueSet are not supported';
    } else {
      first = first || name;
      return name;
    }
    return undefined;
  });
  return problem ?? (first === '' ? TOPOLOGY_NAME_MISSING : undefined);
}

/** The repaired object, validated like a create (`validateTopologyConstraintsForLegacyRepair`). */
function validateLegacyRepair(pcs: PodCliqueSetView, tasEnabled: boolean, cluster: ClusterObjects): ErrorList {
  if (!tasEnabled) {
    return disallowWhenTASDisabled(pcs);
  }
  const resolved = resolveTopologyDomains(pcs, cluster);
  return 'errors' in resolved ? resolved.errors : validateDomainsAndHierarchy(pcs, resolved.domains);
}

/** Legacy repair: an old constraint without topologyName gains one, keeping its packDomain. */
function isAllowedRepair(old: TopologyConstraintView | undefined, next: TopologyConstraintView | undefined): boolean {
  return old !== undefined && next !== undefined && old.topologyName === '' && old.packDomain !== ''
    && next.topologyName !== '' && next.packDomain === old.packDomain;
}

function isMigrationAttempt(old: TopologyConstraintView | undefined, next: TopologyConstraintView | undefined): boolean {
  return old !== undefined && next !== undefined && old.packDomain !== '' && next.packDomain === '' && next.pack !== undefined && next.pack.required !== '';
}

/** Deprecated-field migration: `packDomain: X` becomes `pack.required: X`, nothing else changes. */
function isAllowedMigration(old: TopologyConstraintView | undefined, next: TopologyConstraintView | undefined): boolean {
  return isMigrationAttempt(old, next) && old!.topologyName === next!.topologyName
    && requiredDomain(next) === old!.packDomain && preferredDomain(next) === preferredDomain(old);
}

function constraintChanged(old: TopologyConstraintView | undefined, next: TopologyConstraintView | undefined): boolean {
  if (old === undefined || next === undefined) {
    return old !== next;
  }
  return old.topologyName !== next.topologyName || old.packDomain !== next.packDomain
    || requiredDomain(old) !== requiredDomain(next) || preferredDomain(old) !== preferredDomain(next);
}

function constraintChangeMessage(kind: Kind, name: string, old: TopologyConstraintView | undefined, next: TopologyConstraintView | undefined): string {
  const who = name === '' ? kind : `${kind} '${name}'`;
  if (old === undefined) {
    return `${who} topology constraint cannot be added after creation`;
  }
  if (next === undefined) {
    return `${who} topology constraint cannot be removed after creation`;
  }
  if (old.topologyName !== next.topologyName) {
    return `${who} topology constraint topologyName cannot be changed from '${old.topologyName}' to '${next.topologyName}'`;
  }
  const domains = (req: string, pref: string) => `required=${goQuote(req)} preferred=${goQuote(pref)}`;
  if (isMigrationAttempt(old, next)) {
    return `${who} deprecated packDomain migration can only move packDomain to pack.required without changing the required or preferred topology domain `
      + `(old ${domains(old.packDomain, preferredDomain(old))}, new ${domains(requiredDomain(next), preferredDomain(next))})`;
  }
  return `${who} topology constraint cannot be changed from ${domains(requiredDomain(old), preferredDomain(old))} to ${domains(requiredDomain(next), preferredDomain(next))}`;
}

/** T13-T16 (`validateTopologyConstraintImmutability`); children are matched by name. */
function validateImmutability(pcs: PodCliqueSetView, old: PodCliqueSetView, allowRepair: boolean): ErrorList {
  const errs: ErrorList = [];
  const oldTc = old.topologyConstraint;
  const newTc = pcs.topologyConstraint;
  const oldName = oldTc?.topologyName ?? '';
  const newName = newTc?.topologyName ?? '';
  const repaired = allowRepair && isAllowedRepair(oldTc, newTc);
  if (oldName !== newName && !repaired) {
    errs.push(forbidden(TOPOLOGY_NAME_PATH, `topologyName cannot be changed from ${goQuote(oldName)} to ${goQuote(newName)}`));
  }
  if (oldName === newName && constraintChanged(oldTc, newTc) && !repaired && !isAllowedMigration(oldTc, newTc)) {
    errs.push(forbidden(TEMPLATE.child('topologyConstraint'), constraintChangeMessage('PodCliqueSet', '', oldTc, newTc)));
  }
  const checkChild = (kind: Kind, name: string, oldChild: TopologyConstraintView | undefined, newChild: TopologyConstraintView | undefined, path: FieldPath) => {
    if (constraintChanged(oldChild, newChild) && !(allowRepair && isAllowedRepair(oldChild, newChild)) && !isAllowedMigration(oldChild, newChild)) {
      errs.push(forbidden(path, constraintChangeMessage(kind, name, oldChild, newChild)));
    }
  };
  const oldCliques = new Map(old.cliques.map(c => [c.name, c.topologyConstraint]));
  pcs.cliques.forEach((c, i) => checkChild('PodClique', c.name, oldCliques.get(c.name), c.topologyConstraint, TEMPLATE.child('cliques').index(i).child('topologyConstraint')));
  const oldGroups = new Map(old.scalingGroups.map(g => [g.name, g.topologyConstraint]));
  pcs.scalingGroups.forEach((g, i) => checkChild('PodCliqueScalingGroup', g.name, oldGroups.get(g.name), g.topologyConstraint,
    TEMPLATE.child('podCliqueScalingGroups').index(i).child('topologyConstraint')));
  return errs;
}

/**
 * The admission rules of the next Grove API (GREP-393 Coherent updates; CRDs of PR #649, `crds/preview-pr649/` of
 * the reference data) that the pinned API does not have. Sources: ai-dynamo/grove
 * docs/proposals/393-coherent-rolling-updates/README.md ("MaxUnavailable defaulting and validation", "Handling
 * scale-outs and scale-ins during update"), the `rollingUpdate.maxUnavailable` descriptions of the preview
 * grove.io_podcliquesets.yaml, and the reference's VALIDATION.md §12. They run inside `admit()`'s one pipeline: the
 * defaults from `applyApiLevelDefaults` (defaulting.ts), the validation from `apiLevelWebhookRules`
 * (pod-clique-set-admission.ts). What the preview CRD states (the strategy enum and its `Coherent` default, the
 * integer type of `maxUnavailable`, unknown fields) is the schema stage's, not repeated here.
 *
 * - Defaulting: `spec.updateStrategy` is materialised with `type: Coherent`; `rollingUpdate.maxUnavailable` of every
 *   standalone clique and every scaling group defaults to its `minAvailable` under Coherent and to 1 under
 *   RollingRecreate (OnDelete: not defaulted); a clique's `minAvailable` defaults to its defaulted `replicas` (the
 *   pinned webhook takes the submitted value, quirk Q3).
 * - Validation: `maxUnavailable < minAvailable` is refused under Coherent (the preview CRD says "RollingRecreate: not
 *   enforced", where the GREP text says "regardless of strategy"; the CRD is followed); `rollingUpdate` on a clique
 *   that a scaling group owns is refused; while a Coherent update is in flight (stored `status.updateProgress` without
 *   `updateEndedAt`), changing any replica count is refused.
 */
import { ErrorList, forbidden, invalid } from '../errors';
import { FieldPath } from '../field-path';
import { JsonObject, arrayField, field, isInteger, isObject, objectField, stringListField } from '../json';
import { PodCliqueSetView, RollingUpdateView, scalingGroupCliqueNames } from '../model';

/** The strategy the preview CRD defaults `spec.updateStrategy.type` to. */
const DEFAULT_STRATEGY = 'Coherent';

/** The `maxUnavailable` the defaulting webhook writes for a component, or undefined when it writes none. */
export function defaultMaxUnavailable(strategy: string, minAvailable: number): number | undefined {
  if (strategy === 'Coherent') return minAvailable;
  if (strategy === 'RollingRecreate') return 1;
  return undefined;
}

/** Sets `parent[key]` when absent, counting the change (defaulting.ts `setIfAbsent`). */
export type SetIfAbsent = (parent: JsonObject, key: string, value: unknown) => void;

/**
 * The next API's defaults on the decoded object, in place. They run before the pinned webhook's own, so a clique's
 * `minAvailable` takes the defaulted replicas before the pinned rule (D5) would write the submitted ones.
 */
export function applyNextDefaults(pcs: JsonObject, setIfAbsent: SetIfAbsent): void {
  const spec = objectField(pcs, 'spec');
  if (spec === undefined) return;
  setIfAbsent(spec, 'updateStrategy', { type: DEFAULT_STRATEGY }); // an existing one got the type from the CRD default
  const type = field(objectField(spec, 'updateStrategy'), 'type');
  const strategy = typeof type === 'string' ? type : DEFAULT_STRATEGY;
  const template = objectField(spec, 'template');
  const members = new Set(arrayField(template, 'podCliqueScalingGroups').flatMap(g => stringListField(g, 'cliqueNames')));
  for (const clique of arrayField(template, 'cliques')) {
    const cspec = objectField(clique, 'spec');
    const replicas = field(cspec, 'replicas');
    if (!isObject(clique) || cspec === undefined || (replicas !== undefined && !isInteger(replicas))) continue;
    setIfAbsent(cspec, 'minAvailable', replicas === undefined || replicas === 0 ? 1 : replicas);
    const name = field(clique, 'name');
    if (typeof name === 'string' && !members.has(name)) {
      defaultBudget(clique, strategy, cspec.minAvailable, setIfAbsent);
    }
  }
  for (const group of arrayField(template, 'podCliqueScalingGroups')) {
    if (isObject(group)) defaultBudget(group, strategy, group.minAvailable ?? 1, setIfAbsent);
  }
}

function defaultBudget(owner: JsonObject, strategy: string, minAvailable: unknown, setIfAbsent: SetIfAbsent): void {
  const value = isInteger(minAvailable) ? defaultMaxUnavailable(strategy, minAvailable) : undefined;
  if (value === undefined) return;
  const rollingUpdate = field(owner, 'rollingUpdate');
  if (rollingUpdate === undefined) {
    setIfAbsent(owner, 'rollingUpdate', { maxUnavailable: value });
  } else if (isObject(rollingUpdate)) {
    setIfAbsent(rollingUpdate, 'maxUnavailable', value);
  }
}

/** The next API's webhook validation of a defaulted PodCliqueSet (`old`: the stored object on UPDATE). */
export function validateNextPodCliqueSet(pcs: PodCliqueSetView, old?: PodCliqueSetView): ErrorList {
  const errors: ErrorList = [];
  const templatePath = FieldPath.of('spec', 'template');
  const members = scalingGroupCliqueNames(pcs);
  pcs.cliques.forEach((clique, i) => {
    const path = templatePath.child('cliques').index(i);
    if (clique.rollingUpdate !== undefined && members.has(clique.name)) {
      errors.push(forbidden(path.child('rollingUpdate'), 'must not be set on a PodCliqueTemplateSpec whose name appears in '
        + 'PodCliqueScalingGroupConfig.CliqueNames. The PCSG carries the budget for its constituent PodCliques.'));
      return;
    }
    errors.push(...budgetErrors(clique.rollingUpdate, clique.minAvailable, pcs.updateStrategy, path));
  });
  pcs.scalingGroups.forEach((group, g) => {
    errors.push(...budgetErrors(group.rollingUpdate, group.minAvailable ?? 1, pcs.updateStrategy, templatePath.child('podCliqueScalingGroups').index(g)));
  });
  if (old !== undefined && old.updateStrategy === 'Coherent' && old.updateInProgress) {
    errors.push(...scaleErrors(pcs, old));
  }
  return errors;
}

function budgetErrors(rollingUpdate: RollingUpdateView | undefined, minAvailable: number | undefined, strategy: string, path: FieldPath): ErrorList {
  const budget = rollingUpdate?.maxUnavailable;
  if (budget === undefined || minAvailable === undefined || strategy !== 'Coherent' || budget >= minAvailable) return [];
  return [invalid(path.child('rollingUpdate', 'maxUnavailable'), `must not be less than minAvailable (${minAvailable}) under the Coherent update strategy`)];
}

/** Replica counts may not change while a Coherent update is in flight (GREP-393 refuses scaling PCS-wide). */
function scaleErrors(pcs: PodCliqueSetView, old: PodCliqueSetView): ErrorList {
  const detail = 'replica changes are not allowed while a coherent update is in progress on this PodCliqueSet; '
    + 'complete the update before scaling';
  const errors: ErrorList = [];
  if (pcs.replicas !== old.replicas) {
    errors.push(forbidden(FieldPath.of('spec', 'replicas'), detail));
  }
  const template = FieldPath.of('spec', 'template');
  const oldCliques = new Map(old.cliques.map(c => [c.name, c.replicas]));
  pcs.cliques.forEach((c, i) => {
    if (oldCliques.has(c.name) && oldCliques.get(c.name) !== c.replicas) {
      errors.push(forbidden(template.child('cliques').index(i).child('spec', 'replicas'), detail));
    }
  });
  const oldGroups = new Map(old.scalingGroups.map(g => [g.name, g.replicas]));
  pcs.scalingGroups.forEach((g, i) => {
    if (oldGroups.has(g.name) && oldGroups.get(g.name) !== g.replicas) {
      errors.push(forbidden(template.child('podCliqueScalingGroups').index(i).child('replicas'), detail));
    }
  });
  return errors;
}

/**
 * The admission rules of the next Grove API (GREP-393 Coherent updates; CRDs of PR #649, `crds/preview-pr649/` of
 * the reference data) that the pinned API does not have, as pure functions over plain objects. Sources: ai-dynamo/grove
 * docs/proposals/393-coherent-rolling-updates/README.md ("MaxUnavailable defaulting and validation", "Handling
 * scale-outs and scale-ins during update"), the `rollingUpdate.maxUnavailable` descriptions of the preview
 * grove.io_podcliquesets.yaml, and the reference's VALIDATION.md §12.
 *
 * - Defaulting: `spec.updateStrategy.type` defaults to `Coherent`; `rollingUpdate.maxUnavailable` of every standalone
 *   clique and every scaling group defaults to its `minAvailable` under Coherent and to 1 under RollingRecreate
 *   (OnDelete: not defaulted); a clique's `minAvailable` defaults to its defaulted `replicas` (the pinned webhook
 *   takes the submitted value, quirk Q3).
 * - Validation: `maxUnavailable < minAvailable` is refused under Coherent (the preview CRD says "RollingRecreate: not
 *   enforced", where the GREP text says "regardless of strategy"; the CRD is followed); `rollingUpdate` on a clique
 *   that a scaling group owns is refused; while a Coherent update is in flight (stored `status.updateProgress` without
 *   `updateEndedAt`), changing any replica count is refused.
 */
import { ErrorList, forbidden, invalid, notSupported } from '../errors';
import { FieldPath } from '../field-path';
import { arrayField, deepCopy, field, isInteger, isObject, objectField, stringListField } from '../json';

/** Update strategies of the next API (`Coherent` is new and the default). */
export const NEXT_UPDATE_STRATEGIES = ['Coherent', 'RollingRecreate', 'OnDelete'] as const;

/** The strategy in force once defaulted (`Coherent` unless set). */
export function nextStrategy(pcs: unknown): string {
  const type = field(objectField(objectField(pcs, 'spec'), 'updateStrategy'), 'type');
  return typeof type === 'string' && type !== '' ? type : 'Coherent';
}

/** Names of the cliques some scaling group owns. */
export function scalingGroupMembers(pcs: unknown): Set<string> {
  const template = objectField(objectField(pcs, 'spec'), 'template');
  return new Set(arrayField(template, 'podCliqueScalingGroups').flatMap(g => stringListField(g, 'cliqueNames')));
}

/** The defaulted replicas of a clique spec (unset or 0 → 1), or undefined when mistyped. */
function defaultedReplicas(spec: unknown): number | undefined {
  const r = field(spec, 'replicas');
  if (r === undefined || r === 0) return 1;
  return isInteger(r) ? r : undefined;
}

/** The `maxUnavailable` the defaulting webhook writes for a component, or undefined when it writes none. */
export function defaultMaxUnavailable(strategy: string, minAvailable: number): number | undefined {
  if (strategy === 'Coherent') return minAvailable;
  if (strategy === 'RollingRecreate') return 1;
  return undefined;
}

/** The next API's defaulting on top of an object (a new object; input untouched). */
export function defaultNextPodCliqueSet(object: unknown): unknown {
  const pcs = deepCopy(object);
  const spec = objectField(pcs, 'spec');
  if (spec === undefined) return pcs;
  const strategy = nextStrategy(pcs);
  spec.updateStrategy = { ...(objectField(spec, 'updateStrategy') ?? {}), type: strategy };
  const template = objectField(spec, 'template');
  const members = scalingGroupMembers(pcs);
  for (const clique of arrayField(template, 'cliques')) {
    const cspec = objectField(clique, 'spec');
    if (!isObject(clique) || cspec === undefined) continue;
    const replicas = defaultedReplicas(cspec);
    if (cspec.minAvailable === undefined && replicas !== undefined) cspec.minAvailable = replicas;
    const name = field(clique, 'name');
    if (typeof name === 'string' && !members.has(name)) {
      setDefaultBudget(clique, strategy, cspec.minAvailable);
    }
  }
  for (const group of arrayField(template, 'podCliqueScalingGroups')) {
    if (!isObject(group)) continue;
    setDefaultBudget(group, strategy, group.minAvailable ?? 1);
  }
  return pcs;
}

function setDefaultBudget(owner: Record<string, unknown>, strategy: string, minAvailable: unknown): void {
  const rollingUpdate = objectField(owner, 'rollingUpdate') ?? {};
  if (rollingUpdate.maxUnavailable !== undefined || !isInteger(minAvailable)) return;
  const value = defaultMaxUnavailable(strategy, minAvailable);
  if (value !== undefined) owner.rollingUpdate = { ...rollingUpdate, maxUnavailable: value };
}

/** The next API's validation of a defaulted PodCliqueSet (`old`: the stored object on UPDATE). */
export function validateNextPodCliqueSet(pcs: unknown, old?: unknown): ErrorList {
  const errors: ErrorList = [];
  const strategy = nextStrategy(pcs);
  if (!(NEXT_UPDATE_STRATEGIES as readonly string[]).includes(strategy)) {
    errors.push(notSupported(FieldPath.of('spec', 'updateStrategy', 'type'), strategy, NEXT_UPDATE_STRATEGIES));
  }
  const templatePath = FieldPath.of('spec', 'template');
  const template = objectField(objectField(pcs, 'spec'), 'template');
  const members = scalingGroupMembers(pcs);
  arrayField(template, 'cliques').forEach((clique, i) => {
    const path = templatePath.child('cliques').index(i);
    const name = field(clique, 'name');
    if (field(clique, 'rollingUpdate') !== undefined && typeof name === 'string' && members.has(name)) {
      errors.push(forbidden(path.child('rollingUpdate'), 'must not be set on a PodCliqueTemplateSpec whose name appears in '
        + 'PodCliqueScalingGroupConfig.CliqueNames. The PCSG carries the budget for its constituent PodCliques.'));
      return;
    }
    errors.push(...budgetErrors(clique, field(objectField(clique, 'spec'), 'minAvailable'), strategy, path));
  });
  arrayField(template, 'podCliqueScalingGroups').forEach((group, g) => {
    errors.push(...budgetErrors(group, field(group, 'minAvailable') ?? 1, strategy, templatePath.child('podCliqueScalingGroups').index(g)));
  });
  if (old !== undefined && nextStrategy(old) === 'Coherent' && coherentUpdateInFlight(old)) {
    errors.push(...scaleErrors(pcs, old));
  }
  return errors;
}

function budgetErrors(owner: unknown, minAvailable: unknown, strategy: string, path: FieldPath): ErrorList {
  const budget = field(objectField(owner, 'rollingUpdate'), 'maxUnavailable');
  const budgetPath = path.child('rollingUpdate', 'maxUnavailable');
  if (budget === undefined) return [];
  if (!isInteger(budget)) return [invalid(budgetPath, 'must be an integer')];
  if (strategy === 'Coherent' && isInteger(minAvailable) && budget < minAvailable) {
    return [invalid(budgetPath, `must not be less than minAvailable (${minAvailable}) under the Coherent update strategy`)];
  }
  return [];
}

/** A Coherent update is in flight while the stored status has an update without an end. */
export function coherentUpdateInFlight(stored: unknown): boolean {
  const progress = objectField(objectField(stored, 'status'), 'updateProgress');
  return progress !== undefined && field(progress, 'updateEndedAt') === undefined;
}

/** Replica counts may not change while a Coherent update is in flight (GREP-393 refuses scaling PCS-wide). */
function scaleErrors(pcs: unknown, old: unknown): ErrorList {
  const detail = 'replica changes are not allowed while a coherent update is in progress on this PodCliqueSet; '
    + 'complete the update before scaling';
  const errors: ErrorList = [];
  if (field(objectField(pcs, 'spec'), 'replicas') !== field(objectField(old, 'spec'), 'replicas')) {
    errors.push(forbidden(FieldPath.of('spec', 'replicas'), detail));
  }
  const templateOf = (o: unknown) => objectField(objectField(o, 'spec'), 'template');
  const oldCliques = new Map(arrayField(templateOf(old), 'cliques').map(c => [field(c, 'name'), field(objectField(c, 'spec'), 'replicas')]));
  arrayField(templateOf(pcs), 'cliques').forEach((c, i) => {
    const name = field(c, 'name');
    if (oldCliques.has(name) && oldCliques.get(name) !== field(objectField(c, 'spec'), 'replicas')) {
      errors.push(forbidden(FieldPath.of('spec', 'template', 'cliques').index(i).child('spec', 'replicas'), detail));
    }
  });
  const oldGroups = new Map(arrayField(templateOf(old), 'podCliqueScalingGroups').map(g => [field(g, 'name'), field(g, 'replicas')]));
  arrayField(templateOf(pcs), 'podCliqueScalingGroups').forEach((g, i) => {
    const name = field(g, 'name');
    if (oldGroups.has(name) && oldGroups.get(name) !== field(g, 'replicas')) {
      errors.push(forbidden(FieldPath.of('spec', 'template', 'podCliqueScalingGroups').index(i).child('replicas'), detail));
    }
  });
  return errors;
}

/**
 * The object with the next-only fields taken out (`updateStrategy`, `rollingUpdate`) and a clique's unset
 * `minAvailable` set to its defaulted replicas, so the pinned pipeline checks everything else.
 */
export function withoutNextFields(object: unknown): unknown {
  const pcs = deepCopy(object);
  const spec = objectField(pcs, 'spec');
  if (spec === undefined) return pcs;
  delete spec.updateStrategy;
  const template = objectField(spec, 'template');
  for (const clique of arrayField(template, 'cliques')) {
    if (!isObject(clique)) continue;
    delete clique.rollingUpdate;
    const cspec = objectField(clique, 'spec');
    const replicas = defaultedReplicas(cspec);
    if (cspec !== undefined && cspec.minAvailable === undefined && replicas !== undefined) cspec.minAvailable = replicas;
  }
  for (const group of arrayField(template, 'podCliqueScalingGroups')) {
    if (isObject(group)) delete group.rollingUpdate;
  }
  return pcs;
}

/** Puts the next-only fields of `source` back on `target` (a pinned-defaulted copy), then applies the next defaults. */
export function restoreNextFields(target: unknown, source: unknown): unknown {
  const out = deepCopy(target);
  const spec = objectField(out, 'spec');
  const sourceSpec = objectField(source, 'spec');
  if (spec === undefined) return out;
  if (sourceSpec?.updateStrategy !== undefined) spec.updateStrategy = deepCopy(sourceSpec.updateStrategy);
  const byName = (o: unknown, key: string) => new Map(arrayField(objectField(objectField(o, 'spec'), 'template'), key).map(x => [field(x, 'name'), x]));
  for (const key of ['cliques', 'podCliqueScalingGroups']) {
    const from = byName(source, key);
    for (const x of arrayField(objectField(spec, 'template'), key)) {
      const ru = field(from.get(field(x, 'name')), 'rollingUpdate');
      if (isObject(x) && ru !== undefined) x.rollingUpdate = deepCopy(ru);
    }
  }
  return defaultNextPodCliqueSet(out);
}

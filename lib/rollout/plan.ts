/**
 * `planRollout(OLD, NEW)`: for each PodCliqueSet whose pods the update replaces, the steps Grove follows under the
 * strategy in force (GREP-393's step plan for Coherent, the controllers' loops for RollingRecreate, nothing for
 * OnDelete), with capacity per step, and what would refuse or stall the update. Pure.
 */
import type { GroveApiLevel } from '../schema/api-level';
import { admit, DEFAULT_OPERATOR_CONFIG, formatAdmissionError, OperatorConfig } from '../admission';
import { ClusterModel, kaiLabelKey } from '../cluster';
import { annotateSteps, serving, servingUnit, unitsOf, VersionPods } from './capacity';
import { ClusterCapacity, fitsFreeCapacity, PodGroup } from './cluster-fit';
import { coherentStepPlan, CoherentStepPlan, RawStep } from './coherent';
import { appliedOver, defaultedAt, RolloutModel, rolloutModel } from './model';
import { rollingRecreateSteps } from './rolling-recreate';
import { PodCliqueSetRollout, RolloutReport, Stall, UpdateStrategyName } from './types';

/** Options of `planRollout`. */
export interface RolloutOptions {
  /**
   * The Grove API level of the cluster.
   * @default 'pinned'
   */
  readonly groveApi?: GroveApiLevel;
  /**
   * The operator configuration UPDATE admission runs with.
   * @default - the stock Helm install
   */
  readonly operatorConfig?: OperatorConfig;
  /**
   * The cluster model (lib/cluster; `plan`'s `--pool` and `--cluster` build it): when given, each sub-step's new
   * pods are placed on what the rest leaves free, with every predicate of the placement engine.
   * @default - capacity is not checked
   */
  readonly cluster?: ClusterModel;
  /**
   * Objects that exist in the cluster at admission time (ClusterTopologyBindings, Volcano Queues).
   * @default - the ClusterTopologyBindings and Queues of NEW
   */
  readonly clusterObjects?: readonly unknown[];
}

type Obj = Record<string, unknown>;

const isPcs = (o: unknown): o is Obj => typeof o === 'object' && o !== null && (o as Obj).kind === 'PodCliqueSet'
  && String((o as Obj).apiVersion ?? '').startsWith('grove.io/');
const keyOf = (o: Obj): string => {
  const m = (o.metadata ?? {}) as Obj;
  return `${typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default'}/${String(m.name ?? '')}`;
};

/** Plans the update from `oldObjects` to `newObjects` (plain manifests). */
export function planRollout(oldObjects: readonly unknown[], newObjects: readonly unknown[], options: RolloutOptions = {}): RolloutReport {
  const groveApi = options.groveApi ?? 'pinned';
  const operatorConfig = options.operatorConfig ?? DEFAULT_OPERATOR_CONFIG;
  const clusterObjects = options.clusterObjects ?? newObjects.filter(o => {
    const kind = (o as Obj | undefined)?.kind;
    return kind === 'ClusterTopologyBinding' || kind === 'Queue';
  });
  const olds = new Map(oldObjects.filter(isPcs).map(o => [keyOf(o), o]));
  const news = newObjects.filter(isPcs);
  const out: PodCliqueSetRollout[] = [];
  for (const written of news) {
    const prev = olds.get(keyOf(written));
    if (prev === undefined) continue;
    const next = groveApi === 'next' ? appliedOver(written, defaultedAt(prev, groveApi)) : written;
    const labelKey = options.cluster === undefined ? undefined : kaiLabelKey(options.cluster);
    const model = rolloutModel(next, groveApi, prev, labelKey);
    if (!model.components.some(c => c.inScope)) continue;
    const oldModel = rolloutModel(prev, groveApi, undefined, labelKey);
    const others = news.filter(o => o !== written).map(o => rolloutModel(o, groveApi, undefined, labelKey));
    const cluster: ClusterCapacity | undefined = options.cluster === undefined ? undefined
      : { model: options.cluster, occupied: [...otherReplicaPods(oldModel), ...others.flatMap(allPods)] };
    const response = admit({ operation: 'UPDATE', object: next, oldObject: prev, operatorConfig, clusterObjects }, { groveApi });
    const refused: Stall[] = response.errors.map(e => ({
      kind: 'refused', message: `Grove refuses the update: ${formatAdmissionError(e)}`,
      fix: e.field.endsWith('maxUnavailable')
        ? 'set rollingUpdate.maxUnavailable to at least minAvailable in NEW (a budget Grove defaulted under RollingRecreate stays when NEW leaves it out)'
        : 'correct the field; the update never starts while it is refused',
    }));
    out.push(planOne(model, oldModel, refused, cluster, groveApi));
  }
  return { groveApi, ok: out.every(p => p.stalls.length === 0), podCliqueSets: out };
}

function planOne(model: RolloutModel, oldModel: RolloutModel, refused: readonly Stall[], cluster: ClusterCapacity | undefined, groveApi: GroveApiLevel): PodCliqueSetRollout {
  const strategy = (['Coherent', 'RollingRecreate', 'OnDelete'].includes(model.strategy) ? model.strategy : 'RollingRecreate') as UpdateStrategyName;
  const stalls: Stall[] = [...refused];
  const notes: string[] = [];
  const { components } = model;
  let raw: RawStep[] = [];
  let stepPlan: CoherentStepPlan | undefined;
  if (strategy === 'Coherent' && refused.length === 0) {
    try {
      stepPlan = coherentStepPlan(components);
      raw = [...stepPlan.steps];
    } catch (e) {
      stalls.push({ kind: 'never-starts', message: e instanceof Error ? e.message : String(e), fix: 'set 1 <= minAvailable <= replicas and maxUnavailable >= minAvailable' });
    }
  } else if (strategy === 'RollingRecreate') {
    raw = rollingRecreateSteps(components);
    for (const c of components.filter(x => x.inScope && x.replicas > 0 && x.maxUnavailable <= 0)) {
      stalls.push({
        kind: 'never-progresses', component: c.name,
        message: `${c.name} has rollingUpdate.maxUnavailable ${c.maxUnavailable}: Grove may never take one of its ${c.kind === 'clique' ? 'pods' : 'replicas'} down, so it never rolls`,
        fix: 'set rollingUpdate.maxUnavailable to 1 or more',
      });
    }
  } else if (strategy === 'OnDelete') {
    notes.push('OnDelete: Grove records the new templates and replaces nothing; each pod you delete comes back on the new version');
  }
  const steps = annotateSteps(components, raw, cluster ? { cluster, newPods: version(model, 'new'), oldPods: version(oldModel, 'old') } : {});
  const before = serving(components, {});
  if (cluster !== undefined) {
    const oldFit = fitsFreeCapacity(cluster, [], replicaPods(oldModel));
    if (!oldFit.fits) {
      notes.push(`the old version does not fit on this cluster: some of its gangs are pending before the update starts (${oldFit.reason ?? 'no node'})`);
      if (groveApi === 'next' && strategy === 'RollingRecreate') {
        // ai-dynamo/grove issue #840: pending units use up the maxUnavailable budget, so RollingRecreate never takes one down
        stalls.push({
          kind: 'never-starts',
          message: 'RollingRecreate counts the pending pods of the old version against maxUnavailable, so the budget is used up and the update never starts',
          fix: 'add nodes so the old version is placed, or use the Coherent strategy',
        });
      }
    } else {
      for (const step of steps) {
        const sub = step.subSteps.find(x => x.fits === false);
        if (sub !== undefined) {
          stalls.push({
            kind: 'never-progresses', step: step.index,
            message: `sub-step ${sub.id}: the new pods (${sub.podsDown} pods, ${sub.gpusDown} GPUs) do not fit on what the cluster has free while the old ones are down; they stay pending and the gate never opens${sub.unfitReason === undefined ? '' : ` (${sub.unfitReason})`}`,
            fix: 'add nodes, or lower rollingUpdate.maxUnavailable so fewer pods are replaced at once; if the scheduler names a taint, selector or node pool, correct the new pod template',
          });
          break;
        }
      }
    }
  }
  for (const step of steps) {
    if (step.serving.old + step.serving.new === 0 && before.old > 0) {
      notes.push(`step ${step.index}: no complete serving unit is up while it runs${model.replicas > 1 ? ' in this replica (the other PodCliqueSet replicas keep serving)' : ''}; `
        + 'give the components more replicas than minAvailable, or the PodCliqueSet more replicas');
      break;
    }
  }
  return {
    name: model.name,
    namespace: model.namespace,
    strategy,
    replicas: model.replicas,
    components,
    ...(stepPlan ? { stepPlan: { mpgSteps: stepPlan.mpgSteps, stepTarget: stepPlan.stepTarget, leftover: stepPlan.leftover } } : {}),
    unit: servingUnit(components),
    before,
    steps,
    stalls,
    notes,
  };
}

/** The pods of one version of a set. */
function version(model: RolloutModel, which: 'old' | 'new'): VersionPods {
  return { owner: `${model.namespace}/${model.name} (${which})`, ...(model.shard === undefined ? {} : { shard: model.shard }), unitPods: model.unitPods };
}

/** Every pod of one replica. */
function replicaPods(model: RolloutModel, which: 'old' | 'new' = 'old'): PodGroup[] {
  return model.components.map(c => unitsOf(version(model, which), c.name, c.replicas));
}

/** The pods of the replicas that are not rolling while replica 0 does. */
function otherReplicaPods(model: RolloutModel): PodGroup[] {
  return Array.from({ length: Math.max(0, model.replicas - 1) }, () => replicaPods(model)).flat();
}

/** Every pod of every replica. */
function allPods(model: RolloutModel): PodGroup[] {
  return Array.from({ length: model.replicas }, () => replicaPods(model, 'new')).flat();
}

/**
 * Reads a PodCliqueSet (a plain object, as synthesized or applied) into the components Grove's update code works
 * with, after the defaulting of the chosen API level. Pure.
 */
import type { GroveApiLevel } from '../schema/api-level';
import { defaultPodCliqueSet } from '../admission';
import { defaultMaxUnavailable } from '../admission/next';
import { semanticEqual } from '../admission/json';
import { podGpuRequest } from '../catalog';
import { gangShard, KAI_NODE_POOL_LABEL_KEY, readPodSpec, SimPod } from '../cluster';
import { CliqueInfo, Json, readPcs, record, str } from '../cli/pcs-model';
import { RolloutComponent, UpdateStrategyName } from './types';

/** A PodCliqueSet as a rollout sees it. */
export interface RolloutModel {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly strategy: UpdateStrategyName | string;
  readonly components: readonly RolloutComponent[];
  /** Pods of one unit of each component, as the scheduler sees them (lib/cluster `readPodSpec`). */
  readonly unitPods: ReadonlyMap<string, readonly SimPod[]>;
  /**
   * The KAI shard that judges the set's gangs (lib/cluster `gangShard`; null for the default shard).
   * @default - not scheduled by KAI
   */
  readonly shard?: string | null;
}

/** The object after the defaulting of `groveApi` (a new object). */
export function defaultedAt(object: unknown, groveApi: GroveApiLevel): Json {
  return record(defaultPodCliqueSet(object, groveApi));
}

/**
 * The components of `object` (defaulted at `groveApi`). A component is in scope when its pod template differs from
 * `previous` (clique `labels`, `annotations`, `podSpec`, or the template's `priorityClassName`: what Grove's
 * pod-template hash covers); without `previous` every component is in scope. `kaiNodePoolLabelKey` is the cluster's
 * KAI node-pool label key (default `kai.scheduler/node-pool`).
 */
export function rolloutModel(object: unknown, groveApi: GroveApiLevel, previous?: unknown, kaiNodePoolLabelKey: string = KAI_NODE_POOL_LABEL_KEY): RolloutModel {
  const defaulted = defaultedAt(object, groveApi);
  const pcs = readPcs(defaulted);
  const prev = previous === undefined ? undefined : readPcs(defaultedAt(previous, groveApi));
  const strategy = pcs.updateStrategy;
  const template = record(record(defaulted.spec).template);
  const rawCliques = new Map((Array.isArray(template.cliques) ? template.cliques : []).map(c => [str(record(c).name), record(c)]));
  const rawGroups = new Map((Array.isArray(template.podCliqueScalingGroups) ? template.podCliqueScalingGroups : []).map(g => [str(record(g).name), record(g)]));
  const budget = (owner: Json, minAvailable: number): number => {
    if (groveApi === 'pinned') return 1; // the pinned controllers replace one unit at a time
    const explicit = record(owner.rollingUpdate).maxUnavailable;
    if (typeof explicit === 'number') return explicit;
    return defaultMaxUnavailable(strategy, minAvailable) ?? minAvailable;
  };
  const changed = (c: CliqueInfo): boolean => {
    if (prev === undefined) return true;
    const before = prev.cliques.find(x => x.name === c.name);
    return before === undefined || prev.priorityClassName !== pcs.priorityClassName
      || !semanticEqual(before.labels, c.labels) || !semanticEqual(before.annotations, c.annotations) || !semanticEqual(before.podSpec, c.podSpec);
  };
  const pod = (c: CliqueInfo, podClique: string, k = 0): SimPod => ({
    name: `${podClique}-${k}`,
    gang: pcs.name,
    podClique,
    clique: c.name,
    ...readPodSpec(c.podSpec),
  });

  const components: RolloutComponent[] = [];
  const unitPods = new Map<string, SimPod[]>();
  for (const c of pcs.cliques.filter(x => x.scalingGroup === undefined)) {
    const p = pod(c, `${pcs.name}-0-${c.name}`);
    unitPods.set(c.name, [p]);
    components.push({
      name: c.name, kind: 'clique', replicas: c.replicas, minAvailable: c.minAvailable,
      maxUnavailable: budget(rawCliques.get(c.name) ?? {}, c.minAvailable), podsPerUnit: 1, gpusPerUnit: podGpuRequest(c.podSpec).gpus, inScope: changed(c),
    });
  }
  for (const g of pcs.scalingGroups) {
    const members = pcs.cliques.filter(c => g.cliqueNames.includes(c.name));
    const pods = members.flatMap(c => Array.from({ length: c.replicas }, (_, k) => pod(c, `${pcs.name}-0-${g.name}-0-${c.name}`, k)));
    unitPods.set(g.name, pods);
    components.push({
      name: g.name, kind: 'scalingGroup', replicas: g.replicas, minAvailable: g.minAvailable,
      maxUnavailable: budget(rawGroups.get(g.name) ?? {}, g.minAvailable), podsPerUnit: pods.length,
      gpusPerUnit: members.reduce((n, c) => n + c.replicas * podGpuRequest(c.podSpec).gpus, 0), inScope: members.some(changed),
    });
  }
  const shard = gangShard(defaulted, pcs.cliques.map(c => c.name), kaiNodePoolLabelKey);
  return { name: pcs.name, namespace: pcs.namespace || 'default', replicas: pcs.replicas, strategy, components, unitPods, ...(shard === undefined ? {} : { shard }) };
}

/**
 * NEW as the API server stores it when applied over OLD: a `rollingUpdate.maxUnavailable` that Grove's defaulting
 * wrote into the stored object stays where NEW does not set one (`kubectl apply` keeps fields it did not write).
 * This is GREP-393's "strategy-flip safety": switching RollingRecreate to Coherent keeps the defaulted budget of 1,
 * which admission then refuses for every component with `minAvailable >= 2`.
 */
export function appliedOver(next: unknown, storedOld: unknown): unknown {
  const out = JSON.parse(JSON.stringify(next)) as Json;
  const templateOf = (o: unknown) => record(record(record(o).spec).template);
  for (const key of ['cliques', 'podCliqueScalingGroups']) {
    const stored = new Map((Array.isArray(templateOf(storedOld)[key]) ? templateOf(storedOld)[key] as unknown[] : []).map(x => [str(record(x).name), record(x)]));
    const items = templateOf(out)[key];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const it = record(item);
      const budget = record(stored.get(str(it.name))?.rollingUpdate).maxUnavailable;
      if (budget !== undefined && record(it.rollingUpdate).maxUnavailable === undefined && item === it) {
        it.rollingUpdate = { ...record(it.rollingUpdate), maxUnavailable: budget };
      }
    }
  }
  return out;
}

/**
 * The one adapter between rollout plans and the cluster model: does a set of pods fit on the node pools? Today it
 * asks the catalog's gang placement (`fitGangs`, lib/catalog/fit.ts: GPUs only, a pod never spans nodes, first-fit
 * decreasing); swapping the cluster model means changing this file only.
 */
import { GangPod, NodePool, PodGang, fitGangs } from '../catalog';

/** The cluster a plan is checked against. */
export interface ClusterCapacity {
  readonly pools: readonly NodePool[];
  /** Pods of everything else that runs there (other PodCliqueSets, other replicas of this one). */
  readonly occupied: readonly GangPod[];
}

/**
 * Whether `incoming` (the pods a sub-step creates, gang-scheduled together) fits on the free capacity left by
 * `cluster.occupied` and `running` (the pods that keep running during the sub-step).
 */
export function fitsFreeCapacity(cluster: ClusterCapacity, running: readonly GangPod[], incoming: readonly GangPod[]): boolean {
  const base = gang('running', 'base', [...cluster.occupied, ...running]);
  const next = { ...gang('incoming', 'scaled', incoming), baseGang: 'running' };
  return fitGangs([base, next], cluster.pools).fits;
}

function gang(name: string, kind: 'base' | 'scaled', pods: readonly GangPod[]): PodGang {
  const gpus = pods.reduce((n, p) => n + p.gpus, 0);
  return { name, kind, podCliqueSet: name, replicaIndex: 0, podGroups: [], pods, gpus, minPods: pods.length };
}

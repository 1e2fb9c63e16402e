/**
 * The one adapter between rollout plans and the cluster model: do a sub-step's new pods fit on what the cluster has
 * free? It asks lib/cluster's placement engine (`placeGangs`), so every predicate of `plan` applies: KAI shards,
 * taints and tolerations, nodeSelector and required node affinity, CPU, memory, GPUs, extended resources and pods per
 * node. What keeps running (everything else occupied, then the pods of this set that stay up) is placed first, one
 * gang per PodCliqueSet version and shard; then the new pods, all or nothing, as one gang per shard. Pods are placed
 * one by one: `pack.required` constraints are not applied here (`plan` checks them for the whole set).
 */
import { ClusterModel, placeGangs, SimGang, SimPod } from '../cluster';

/** Pods of one PodCliqueSet version, judged by one KAI shard. */
export interface PodGroup {
  /** Who the pods belong to, for messages and gang names (`<namespace>/<name>`, `old`/`new`). */
  readonly owner: string;
  /**
   * The KAI shard (node-pool label value; null for the default shard).
   * @default - not scheduled by KAI
   */
  readonly shard?: string | null;
  readonly pods: readonly SimPod[];
}

/** The cluster a plan is checked against. */
export interface ClusterCapacity {
  readonly model: ClusterModel;
  /** Pods of everything else that runs there (other PodCliqueSets, other replicas of this one). */
  readonly occupied: readonly PodGroup[];
}

/** The verdict on one set of new pods. */
export interface FitVerdict {
  readonly fits: boolean;
  /**
   * Why not: the scheduler's message for the first pod that found no node.
   * @default - none (fits)
   */
  readonly reason?: string;
}

/**
 * Whether `incoming` (the pods a sub-step creates, gang-scheduled together) fits on the free capacity left by
 * `cluster.occupied` and `running` (the pods that keep running during the sub-step).
 */
export function fitsFreeCapacity(cluster: ClusterCapacity, running: readonly PodGroup[], incoming: readonly PodGroup[]): FitVerdict {
  const before = merge([...cluster.occupied, ...running]).map((g, i) => gang(`running-${i + 1}`, g));
  const next = merge(incoming).map((g, i) => gang(`incoming-${i + 1}`, g));
  // every gang is a base gang: placeGangs keeps their order, so what runs is placed before what the sub-step creates
  const result = placeGangs(cluster.model, [...before, ...next]);
  const first = result.unplaced[0];
  if (first === undefined) return { fits: true };
  const what = first.gang.startsWith('running-') ? 'the pods that keep running do not fit' : 'the new pods do not fit';
  return { fits: false, reason: `${what}: ${first.pendingPod ? `pod ${first.pendingPod.name}: ${first.pendingPod.message}` : first.reason}` };
}

/** Groups of the same owner and shard joined, in first-seen order, empty ones left out. */
function merge(groups: readonly PodGroup[]): PodGroup[] {
  const out = new Map<string, { owner: string; shard?: string | null; pods: SimPod[] }>();
  for (const g of groups) {
    if (g.pods.length === 0) continue;
    const key = `${g.owner}\u0000${g.shard === undefined ? 'none' : String(g.shard)}`;
    const entry = out.get(key) ?? { owner: g.owner, ...(g.shard === undefined ? {} : { shard: g.shard }), pods: [] };
    entry.pods.push(...g.pods);
    out.set(key, entry);
  }
  return [...out.values()];
}

function gang(name: string, group: PodGroup): SimGang {
  return {
    name,
    kind: 'base',
    podCliqueSet: group.owner,
    ...(group.shard === undefined ? {} : { shard: group.shard }),
    root: { id: name, label: `gang ${name} (${group.owner})`, pods: group.pods, children: [] },
    pods: group.pods,
  };
}

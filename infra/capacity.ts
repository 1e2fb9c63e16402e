/**
 * The capacity check of the program: before anything is created, the GPU gangs of every workload are placed
 * on the GPU pools at their largest size (`maxCount` nodes of the pool's VM size). A thin layer over
 * `lib/catalog`: the gang computation, the placement rules and the SKU facts all live there.
 *
 * A workload fails the check when
 * - its gangs at the template's replica counts (every base gang, which must be placed for the service to start,
 *   and the scaled gangs the template asks for) cannot be placed, or
 * - what its autoscalers may add (clique HPA and scaling-group `maxReplicas`) cannot be placed on top.
 *
 * KAI partitions nodes into shards by the `kai.scheduler/node-pool` label, so a KAI-scheduled workload is only
 * held against the pools of its own shard; other workloads against every pool. Workloads are checked together
 * per shard, so they compete for the same nodes.
 */
import { GroveValidationError, ValidationProblem } from '../lib/errors';
import { CapacityPlan, fitPodCliqueSets, NodePool, nodeSku, podCliqueSetGangs, PodCliqueSetGangs, quotaVcpus } from '../lib/catalog';
import { isPodCliqueSet, kaiPlacementOf, workloadPath } from './kai-queue';

/** A GPU pool as the capacity check sees it. */
export interface CapacityPool {
  /** Pool name (the AKS agent pool name). */
  readonly name: string;
  /** VM size; must be in the `lib/catalog` SKU catalog. */
  readonly vmSize: string;
  /** Most nodes the pool can have. */
  readonly maxCount: number;
  /**
   * The KAI node pool (shard) the pool's nodes belong to.
   * @default - the default shard
   */
  readonly kaiNodePool?: string;
}

/** The objects of one app. */
export interface AppObjects {
  /** App name, for messages. */
  readonly name: string;
  /** The app's Kubernetes objects (plain JSON, as synthesized). */
  readonly objects: readonly unknown[];
}

/** GPU nodes one app needs, per pool. */
export interface CapacityReport {
  /** App name. */
  readonly app: string;
  /** GPUs its gangs need at the template's replica counts, and at the autoscalers' maximum. */
  readonly gpus: number;
  readonly maxGpus: number;
  /** Nodes per pool its gangs use when placed alone, at the template's replica counts and at the maximum. */
  readonly nodes: Readonly<Record<string, number>>;
  readonly maxNodes: Readonly<Record<string, number>>;
}

interface Workload {
  readonly path: string;
  readonly pcs: unknown;
  /** Its gangs, as lib/catalog computes them. */
  readonly gangs: PodCliqueSetGangs;
  /** Shard key: the KAI node pool, `null` for the default shard, `undefined` when KAI does not schedule it. */
  readonly shard: string | null | undefined;
}

/** The PodCliqueSets of the apps with their gangs, and the problems of those lib/catalog cannot read. */
function readWorkloads(apps: readonly AppObjects[]): { workloads: Workload[]; problems: ValidationProblem[] } {
  const workloads: Workload[] = [];
  const problems: ValidationProblem[] = [];
  for (const a of apps) {
    for (const pcs of a.objects.filter(isPodCliqueSet)) {
      const path = workloadPath(a.name, pcs);
      try {
        const kai = kaiPlacementOf(pcs);
        workloads.push({ path, pcs, gangs: podCliqueSetGangs(pcs), shard: kai.usesKai ? (kai.nodePool ?? null) : undefined });
      } catch (e) {
        if (!(e instanceof GroveValidationError)) {
          throw e;
        }
        problems.push(...e.problems.map(p => ({ ...p, constructPath: path })));
      }
    }
  }
  return { workloads, problems };
}

/** The pools a workload may use. */
function poolsFor(shard: string | null | undefined, pools: readonly CapacityPool[]): CapacityPool[] {
  return shard === undefined ? [...pools] : pools.filter(p => (p.kaiNodePool ?? null) === shard);
}

function asNodePools(pools: readonly CapacityPool[], nodes?: number): NodePool[] {
  return pools.map(p => ({ name: p.name, sku: p.vmSize, nodes: nodes ?? p.maxCount }));
}

/** Places the workloads on pools as large as they need (one node per GPU pod at most): the nodes they use. */
function unboundedPlan(group: readonly Workload[], pools: readonly CapacityPool[]): CapacityPlan {
  const gpuPods = group.flatMap(w => w.gangs.maxGangs).flatMap(g => g.pods).filter(p => p.gpus > 0).length;
  return fitPodCliqueSets(group.map(w => w.pcs), asNodePools(pools, Math.max(1, gpuPods)));
}

function describeNeed(nodesUsed: Readonly<Record<string, number>>, pools: readonly CapacityPool[]): string {
  return pools
    .filter(p => (nodesUsed[p.name] ?? 0) > 0)
    .map(p => `${nodesUsed[p.name]} ${p.vmSize} node(s) in pool ${p.name}, which allows ${p.maxCount} (maxCount)`)
    .join(' and ');
}

function describeFix(nodesUsed: Readonly<Record<string, number>>, pools: readonly CapacityPool[], smaller: string): string {
  const raises = pools
    .filter(p => (nodesUsed[p.name] ?? 0) > p.maxCount)
    .map(p => {
      const n = nodesUsed[p.name];
      return `raise the maxCount of GPU pool ${p.name} to ${n} (${quotaVcpus(p.vmSize, n)} vCPUs of ${nodeSku(p.vmSize).quotaFamily} quota)`;
    });
  return [...raises, smaller].join(', or ');
}

/** Problems for GPU workloads of a shard that has no pool. */
function noPoolProblems(group: readonly Workload[], shard: string | null | undefined): ValidationProblem[] {
  return group.filter(w => w.gangs.maxGpus > 0).map(w => {
    const where = shard === undefined
      ? 'the stack has no GPU pool'
      : shard === null ? 'no GPU pool is in the default KAI shard' : `no GPU pool is in KAI node pool ${JSON.stringify(shard)}`;
    return {
      constructPath: w.path,
      field: 'gpus',
      message: `requests ${w.gangs.gpus} GPU(s) (${w.gangs.maxGpus} at the autoscaler maximum) but ${where}`,
      fix: typeof shard === 'string'
        ? `add a GPU pool with kaiNodePool ${JSON.stringify(shard)}, or label the workload with the node pool of an existing GPU pool`
        : 'add a GPU pool (gpuPools) without a kaiNodePool, or label the workload kai.scheduler/node-pool with a GPU pool\'s node pool',
    };
  });
}

/**
 * Every workload that can never be scheduled on the pools, with the nodes of which VM size it needs.
 * Returns no problem when everything fits.
 */
export function capacityProblems(apps: readonly AppObjects[], pools: readonly CapacityPool[]): ValidationProblem[] {
  const { workloads, problems: unreadable } = readWorkloads(apps);
  if (unreadable.length > 0) {
    return unreadable;
  }
  const problems: ValidationProblem[] = [];
  for (const shard of [...new Set(workloads.map(w => w.shard))]) {
    const group = workloads.filter(w => w.shard === shard);
    const eligible = poolsFor(shard, pools);
    if (eligible.length === 0) {
      problems.push(...noPoolProblems(group, shard));
      continue;
    }
    if (group.every(w => w.gangs.maxGpus === 0)) {
      continue;
    }
    const plan = fitPodCliqueSets(group.map(w => w.pcs), asNodePools(eligible));
    if (plan.initial.fits && plan.atMaximum.fits) {
      continue;
    }
    const unbounded = unboundedPlan(group, eligible);
    const owners = new Map(group.flatMap(w => w.gangs.maxGangs.map(g => [g.name, w.path] as const)));
    const unplaced = (plan.initial.fits ? plan.atMaximum : plan.initial).unplaced;
    for (const path of [...new Set(unplaced.map(u => owners.get(u.gang) ?? group[0].path))]) {
      const mine = unplaced.filter(u => (owners.get(u.gang) ?? group[0].path) === path);
      // lib/catalog lists no node counts for gangs no number of nodes can hold (a pod larger than a node).
      const impossible = mine.find(u => u.nodesNeeded.length === 0);
      if (impossible) {
        problems.push({ constructPath: path, field: `gang ${impossible.gang}`, message: impossible.reason });
        continue;
      }
      const phase = plan.initial.fits ? 'at the autoscaler maximum' : 'to start';
      const nodesUsed = plan.initial.fits ? unbounded.atMaximum.nodesUsed : unbounded.initial.nodesUsed;
      problems.push({
        constructPath: path,
        field: mine.map(u => `gang ${u.gang}`).join(', '),
        message: `can never be scheduled ${phase}: ${shard === undefined ? 'the workloads' : 'the workloads of this KAI shard'} need ${describeNeed(nodesUsed, eligible)}; ${mine[0].reason}`,
        fix: describeFix(nodesUsed, eligible, plan.initial.fits ? 'lower the autoscalers\' maxReplicas' : 'lower the replicas or GPUs per pod'),
      });
    }
  }
  return problems;
}

/**
 * What each app needs on the pools it may use, when placed alone on pools as large as needed (a stack output).
 * PodCliqueSets `capacityProblems` reports as unreadable are left out.
 */
export function capacityReport(apps: readonly AppObjects[], pools: readonly CapacityPool[]): CapacityReport[] {
  return apps.map(a => {
    const { workloads } = readWorkloads([a]);
    const nodes: Record<string, number> = {};
    const maxNodes: Record<string, number> = {};
    for (const shard of [...new Set(workloads.map(w => w.shard))]) {
      const eligible = poolsFor(shard, pools);
      if (eligible.length === 0) {
        continue;
      }
      const plan = unboundedPlan(workloads.filter(w => w.shard === shard), eligible);
      for (const [pool, n] of Object.entries(plan.initial.nodesUsed)) {
        nodes[pool] = (nodes[pool] ?? 0) + n;
      }
      for (const [pool, n] of Object.entries(plan.atMaximum.nodesUsed)) {
        maxNodes[pool] = (maxNodes[pool] ?? 0) + n;
      }
    }
    return {
      app: a.name,
      gpus: workloads.reduce((s, w) => s + w.gangs.gpus, 0),
      maxGpus: workloads.reduce((s, w) => s + w.gangs.maxGpus, 0),
      nodes,
      maxNodes,
    };
  });
}

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
 * Before that, `rdmaProblems` finds the pods that request an RDMA device (`rdma/*`) no node they may run on
 * advertises: they would stay Pending however many nodes there are.
 *
 * KAI partitions nodes into shards by the `kai.scheduler/node-pool` label, so a KAI-scheduled workload is only
 * held against the pools of its own shard; other workloads against every pool. Workloads are checked together
 * per shard, so they compete for the same nodes.
 */
import { GroveValidationError, ValidationProblem } from '../lib/errors';
import { CapacityPlan, findNodeSku, fitPodCliqueSets, NodePool, nodeSku, podCliqueSetGangs, PodCliqueSetGangs, quotaVcpus } from '../lib/catalog';
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
  /**
   * Extended resources of RDMA device plugins the pool's nodes advertise (e.g. `rdma/ib`).
   * @default - none
   */
  readonly rdmaResources?: readonly string[];
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

/** The prefix of the extended resources RDMA device plugins advertise (`rdma/ib`, `rdma/shared_ib`). */
const RDMA_PREFIX = 'rdma/';

/** Pod specs of a workload object, each with who owns it (for messages). */
function podSpecsOf(o: unknown): { owner: string; podSpec: any }[] {
  const x = o as { kind?: string; spec?: any } | null;
  const spec = x?.spec;
  if (typeof spec !== 'object' || spec === null) {
    return [];
  }
  if (isPodCliqueSet(o)) {
    return ((spec.template?.cliques ?? []) as any[]).map((c, i) => ({ owner: `clique ${c?.name ?? i}`, podSpec: c?.spec?.podSpec }));
  }
  switch (x?.kind) {
    case 'Pod':
      return [{ owner: 'the pod', podSpec: spec }];
    case 'CronJob':
      return [{ owner: 'its pod template', podSpec: spec.jobTemplate?.spec?.template?.spec }];
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return [{ owner: 'its pod template', podSpec: spec.template?.spec }];
    default:
      return [];
  }
}

/** The resources the containers of a pod spec request or limit (a quantity of 0 asks for nothing). */
function requestedResources(podSpec: any): string[] {
  const containers = [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])] as any[];
  return [...new Set(containers.flatMap(c => [
    ...Object.entries(c?.resources?.requests ?? {}),
    ...Object.entries(c?.resources?.limits ?? {}),
  ].filter(([, q]) => q !== 0 && q !== '0').map(([name]) => name)))];
}

function describePools(pools: readonly CapacityPool[]): string {
  const named = pools.map(p => (findNodeSku(p.vmSize)?.infiniband ?? false) ? p.name : `${p.name} (${p.vmSize} has no InfiniBand)`);
  return `${named.length === 1 ? 'GPU pool' : 'GPU pools'} ${named.join(', ')}`;
}

/**
 * Every workload whose pods request an RDMA device (an `rdma/*` extended resource) that no node they may run on
 * advertises: such pods stay Pending forever. A PodCliqueSet scheduled by KAI may run on the pools of its KAI
 * shard, any other workload on every pool. `setup` says, in the stack's terms, why the nodes advertise what
 * they do. GPU workloads without any pool are left to `capacityProblems`.
 */
export function rdmaProblems(apps: readonly AppObjects[], pools: readonly CapacityPool[], setup: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const a of apps) {
    for (const o of a.objects) {
      const specs = podSpecsOf(o);
      const byResource = new Map<string, string[]>();
      for (const { owner, podSpec } of specs) {
        for (const r of requestedResources(podSpec).filter(n => n.startsWith(RDMA_PREFIX))) {
          byResource.set(r, [...(byResource.get(r) ?? []), owner]);
        }
      }
      if (byResource.size === 0) {
        continue;
      }
      let eligible: CapacityPool[] = [...pools];
      if (isPodCliqueSet(o)) {
        try {
          const kai = kaiPlacementOf(o);
          eligible = poolsFor(kai.usesKai ? (kai.nodePool ?? null) : undefined, pools);
        } catch {
          // Unreadable PodCliqueSets are reported by capacityProblems.
        }
      }
      const usesGpus = specs.some(s => requestedResources(s.podSpec).includes('nvidia.com/gpu'));
      if (eligible.length === 0 && usesGpus) {
        continue;
      }
      for (const [resource, owners] of byResource) {
        if (eligible.some(p => (p.rdmaResources ?? []).includes(resource))) {
          continue;
        }
        const where = eligible.length === 0 ? 'the stack has no GPU pool it can run on' : `the nodes of ${describePools(eligible)} do not advertise it`;
        const slash = resource.indexOf('/');
        const owned = owners.every(w => w.startsWith('clique ')) ? `cliques ${owners.map(w => w.slice('clique '.length)).join(', ')}` : owners.join(', ');
        problems.push({
          constructPath: workloadPath(a.name, o),
          field: `resources[${JSON.stringify(resource)}]`,
          message: `is requested by ${owned}, but ${where} (${setup}), so those pods would stay Pending`,
          fix: `enable operators.networkOperator with an RDMA device plugin that advertises ${resource} in its nicClusterPolicy`
            + ` (a sriovDevicePlugin or rdmaSharedDevicePlugin config entry with "resourcePrefix": ${JSON.stringify(resource.slice(0, slash))},`
            + ` "resourceName": ${JSON.stringify(resource.slice(slash + 1))}), or set infiniband: false on the service`,
        });
      }
    }
  }
  return problems;
}

/**
 * The capacity check of the program: before anything is created, every workload's gangs are placed on the
 * stack's cluster model (`infra/cluster-model.ts`: every pool at its largest size, `maxCount` nodes) by the
 * placement engine of `lib/cluster`, the same one `cdk8s-grove plan` uses: KAI shards, taints and tolerations,
 * node selectors and affinity, CPU, memory, GPUs, extended resources and pods per node, pack constraints.
 *
 * A workload fails the check when
 * - its gangs at the template's replica counts (every base gang, which must be placed for the service to start,
 *   and the scaled gangs the template asks for) cannot be placed, or
 * - what its autoscalers may add (clique HPA and scaling-group `maxReplicas`) cannot be placed on top.
 * The message carries the scheduler's answer for the first pod that finds no node ("0/5 nodes are available:
 * ..."), and, when more nodes would do, how many of which VM size.
 *
 * Before that, `rdmaProblems` finds the pods that request an RDMA device (`rdma/*`) no node they may run on
 * advertises, with the stack's reason for it.
 */
import { GroveValidationError, ValidationProblem } from '../lib/errors';
import { findNodeSku, nodeSku, quotaVcpus } from '../lib/catalog';
import { ClusterModel, gpuPool, GPU, podSpecsOf, readWorkload, simulate, SimWorkload, UnplacedGang, withPoolsOfAtLeast } from '../lib/cluster';
import { isPodCliqueSet, kaiPlacementOf, workloadPath } from './kai-queue';

/** A GPU pool as the RDMA check sees it (and, with `capacityPoolsModel`, a GPU pool with GpuNodePool defaults). */
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

/** GPU pools with a `GpuNodePool`'s defaults (GPU taint, AKS labels), at `maxCount` nodes. */
export function capacityPoolsModel(pools: readonly CapacityPool[]): ClusterModel {
  return {
    pools: pools.map(p => gpuPool(p.vmSize, p.maxCount, {
      name: p.name,
      ...(p.kaiNodePool === undefined ? {} : { kaiNodePool: p.kaiNodePool }),
      extendedResources: Object.fromEntries((p.rdmaResources ?? []).map(r => [r, findNodeSku(p.vmSize)?.infinibandHcas ?? 1])),
    })),
  };
}

function asModel(cluster: ClusterModel | readonly CapacityPool[]): ClusterModel {
  return Array.isArray(cluster) ? capacityPoolsModel(cluster as readonly CapacityPool[]) : cluster as ClusterModel;
}

interface Workload {
  readonly path: string;
  readonly sim: SimWorkload;
}

/** The PodCliqueSets of the apps, read for placement, and the problems of those that cannot be read. */
function readWorkloads(apps: readonly AppObjects[], model: ClusterModel): { workloads: Workload[]; problems: ValidationProblem[] } {
  const workloads: Workload[] = [];
  const problems: ValidationProblem[] = [];
  for (const a of apps) {
    for (const pcs of a.objects.filter(isPodCliqueSet)) {
      const path = workloadPath(a.name, pcs);
      try {
        workloads.push({ path, sim: readWorkload(pcs, { kaiNodePoolLabelKey: model.kaiNodePoolLabelKey }) });
      } catch (e) {
        if (!(e instanceof GroveValidationError)) throw e;
        problems.push(...e.problems.map(p => ({ ...p, constructPath: path })));
      }
    }
  }
  return { workloads, problems };
}

/** The model with pools as large as the workloads could need (one node per pod). */
function unbounded(model: ClusterModel, workloads: readonly Workload[]): ClusterModel {
  return withPoolsOfAtLeast(model, Math.max(1, workloads.reduce((n, w) => n + w.sim.maximum.reduce((m, g) => m + g.pods.length, 0), 0)));
}

function nodesUsed(pools: readonly { name: string; nodesUsed: number }[]): Record<string, number> {
  return Object.fromEntries(pools.filter(p => p.nodesUsed > 0).map(p => [p.name, p.nodesUsed]));
}

function gpusOf(gangs: SimWorkload['template']): number {
  return gangs.reduce((n, g) => n + g.pods.reduce((m, p) => m + (p.requests[GPU] ?? 0), 0), 0);
}

/**
 * Every workload that can never be scheduled on the stack's cluster, with the scheduler's reason and, when more
 * nodes would do, how many of which VM size. Returns no problem when everything fits.
 */
export function capacityProblems(apps: readonly AppObjects[], cluster: ClusterModel | readonly CapacityPool[]): ValidationProblem[] {
  const model = asModel(cluster);
  const { workloads: read, problems: unreadable } = readWorkloads(apps, model);
  if (unreadable.length > 0) return unreadable;
  // CPU-only workloads may run on nodes the model does not hold (a platform cluster's own pools): not checked.
  const workloads = read.filter(w => gpusOf(w.sim.maximum) > 0);
  if (workloads.length === 0) return [];
  const sim = simulate(model, workloads.map(w => w.sim));
  const atStart = [...sim.base.unplaced, ...sim.template.unplaced];
  const unplaced: readonly UnplacedGang[] = atStart.length > 0 ? atStart : sim.maximum.unplaced;
  if (unplaced.length === 0) return [];
  const phase = atStart.length > 0 ? 'to start' : 'at the autoscaler maximum';
  const large = simulate(unbounded(model, workloads), workloads.map(w => w.sim));
  const largeFits = atStart.length > 0 ? large.template.fits : large.maximum.fits;
  const need = nodesUsed(atStart.length > 0 ? large.template.pools : large.maximum.pools);
  const owner = new Map(workloads.flatMap(w => w.sim.maximum.map(g => [g.name, w.path] as const)));
  const problems: ValidationProblem[] = [];
  for (const path of [...new Set(unplaced.map(u => owner.get(u.gang) ?? workloads[0].path))]) {
    const mine = unplaced.filter(u => (owner.get(u.gang) ?? workloads[0].path) === path);
    const first = mine.find(u => u.pendingPod !== undefined) ?? mine[0];
    if (!largeFits) {
      problems.push({
        constructPath: path,
        field: mine.map(u => `gang ${u.gang}`).join(', '),
        message: `can never be scheduled ${phase}, however many nodes the pools have: ${first.reason}`,
        fix: fixFor(first),
      });
      continue;
    }
    const pools = model.pools.filter(p => (need[p.name] ?? 0) > 0);
    const needText = pools.map(p => `${need[p.name]} ${p.sku ?? p.name} node(s) in pool ${p.name}, which allows ${p.nodes} (maxCount)`).join(' and ');
    const raises = pools.filter(p => need[p.name] > p.nodes && p.sku !== undefined && findNodeSku(p.sku) !== undefined).map(p => {
      const sku = p.sku as string;
      return `raise the maxCount of GPU pool ${p.name} to ${need[p.name]} (${quotaVcpus(sku, need[p.name])} vCPUs of ${nodeSku(sku).quotaFamily} quota)`;
    });
    problems.push({
      constructPath: path,
      field: mine.map(u => `gang ${u.gang}`).join(', '),
      message: `can never be scheduled ${phase}: the workloads need ${needText}; ${first.reason}`,
      fix: [...raises, atStart.length > 0 ? 'lower the replicas or the resources per pod' : 'lower the autoscalers\' maxReplicas'].join(', or '),
    });
  }
  return problems;
}

/** A fix for a gang no number of nodes can hold, from the scheduler's reason. */
function fixFor(u: UnplacedGang): string {
  const message = u.pendingPod?.message ?? u.reason;
  const taint = /untolerated taint \{([^:]+): ([^}]*)\}/.exec(message);
  if (taint !== null) {
    return `give the pod's clique a toleration for ${taint[1]}=${taint[2]} (or a pool it may run on in the gang's KAI node pool)`;
  }
  if (message.includes("didn't match the KAI")) {
    return 'add a pool to the gang\'s KAI node pool (kaiNodePool), or label the workload with the node pool of a pool that can run every pod of the gang';
  }
  if (message.includes('Insufficient')) {
    return 'request less per pod than one node\'s allocatable (see lib/cluster/model.ts for the figures), or use a larger VM size';
  }
  return 'make every pod of the gang match a node of its KAI node pool (node selector, affinity, tolerations, resources)';
}

/**
 * What each app needs on the pools it may use, when placed alone on pools as large as needed (a stack output).
 * PodCliqueSets `capacityProblems` reports as unreadable are left out.
 */
export function capacityReport(apps: readonly AppObjects[], cluster: ClusterModel | readonly CapacityPool[]): CapacityReport[] {
  const model = asModel(cluster);
  return apps.map(a => {
    const { workloads } = readWorkloads([a], model);
    const sim = simulate(unbounded(model, workloads), workloads.map(w => w.sim));
    return {
      app: a.name,
      gpus: workloads.reduce((s, w) => s + gpusOf(w.sim.template), 0),
      maxGpus: workloads.reduce((s, w) => s + gpusOf(w.sim.maximum), 0),
      nodes: nodesUsed(sim.template.pools.filter(p => p.gpusUsed > 0)),
      maxNodes: nodesUsed(sim.maximum.pools.filter(p => p.gpusUsed > 0)),
    };
  });
}

/** The pools a PodCliqueSet may use: those of its KAI shard, or every pool when KAI does not schedule it. */
function poolsFor(shard: string | null | undefined, pools: readonly CapacityPool[]): CapacityPool[] {
  return shard === undefined ? [...pools] : pools.filter(p => (p.kaiNodePool ?? null) === shard);
}

/** The prefix of the extended resources RDMA device plugins advertise (`rdma/ib`, `rdma/shared_ib`). */
const RDMA_PREFIX = 'rdma/';

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

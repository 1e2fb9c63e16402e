/**
 * GPU bin packing for `plan`, with Grove's pack constraints.
 *
 * The counting model is the catalog's (`lib/catalog/fit.ts`): only `nvidia.com/gpu` is counted; a pod never spans
 * nodes; a gang is placed all or nothing; pods are placed first-fit decreasing; pods without GPUs are not placed
 * (they fit on a CPU pool); node selectors on `node.kubernetes.io/instance-type` and `kubernetes.azure.com/agentpool`
 * restrict pods to pools.
 *
 * On top of that, a `pack.required` (or legacy `packDomain`) constraint keeps a group inside one physical domain:
 * the whole PodGang for a PodCliqueSet constraint (Grove applies it per PodGang), each scaling-group replica for a
 * scaling-group constraint, each PodClique for a clique constraint. Domain names map to what an AKS GPU cluster has:
 *
 * | pack domain                       | packed into                                                               |
 * |-----------------------------------|---------------------------------------------------------------------------|
 * | `host`, `numa`                    | one node (the NVLink domain of HGX SKUs)                                  |
 * | `rack`                            | one NVLink domain where it spans nodes (GB200 NVL72), else one pool       |
 * | `block` and any other name        | one pool: AKS links nodes of one pool (VM scale set) by one InfiniBand fabric |
 * | `zone`, `region`, `datacenter`    | no restriction (the pools of one cluster)                                 |
 *
 * `pack.preferred` is best effort and does not change what fits. The packer tries each candidate domain of a
 * constrained group in node order and places the group's members greedily inside it; like first-fit decreasing it
 * can miss a packing that exists, but never reports one that does not.
 */
import type * as catalog from '../catalog';
import { GangPod, NodeSku } from '../catalog';

/** Node labels that select a VM size and an AKS agent pool. */
const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';

/** Pack domains that do not restrict placement within one cluster. */
const CLUSTER_WIDE_DOMAINS = new Set(['zone', 'region', 'datacenter']);
const NODE_DOMAINS = new Set(['host', 'numa']);

/** A pool of identical nodes. */
export interface PackPool {
  readonly name: string;
  readonly sku: NodeSku;
  readonly nodes: number;
}

/** A group of pods placed together, possibly inside one pack domain. */
export interface PackUnit {
  /** Key under which the placement scope is remembered (gang, PCSG replica or PodClique name). */
  readonly id: string;
  /** For messages, e.g. `scaling group worker replica 0`. */
  readonly label: string;
  /**
   * `pack.required` domain the unit must fit in.
   * @default - no constraint
   */
  readonly domain?: string;
  /** Pods directly in this unit. */
  readonly pods: readonly GangPod[];
  readonly children: readonly PackUnit[];
}

/** A node: pool index and node index. */
interface NodeRef {
  readonly pool: number;
  readonly node: number;
}

/** Why a placement failed. */
export interface PackFailure {
  readonly reason: string;
}

/** Usage of one pool (the catalog's type, so `plan` and the catalog report pools alike). */
export type PoolUsage = catalog.PoolUsage;

/** Pack-domain level of a domain name on a SKU. */
export type DomainLevel = 'node' | 'nvlink' | 'pool' | 'cluster';

/** Where a pack domain keeps pods on nodes of a SKU (see the module documentation). */
export function domainLevel(domain: string, sku: NodeSku): DomainLevel {
  if (NODE_DOMAINS.has(domain)) return 'node';
  if (CLUSTER_WIDE_DOMAINS.has(domain)) return 'cluster';
  if (domain === 'rack' && sku.nvlinkDomainGpus > sku.gpusPerNode) return 'nvlink';
  return 'pool';
}

/** Nodes of one NVLink domain of a SKU (1 for HGX boards, 18 for GB200 NVL72). */
function nodesPerNvlinkDomain(sku: NodeSku): number {
  return Math.max(1, Math.floor(sku.nvlinkDomainGpus / sku.gpusPerNode));
}

/** Free GPUs per node of every pool, with an undo journal for all-or-nothing placements. */
export class Packer {
  private readonly free: number[][];
  private readonly journal: { ref: NodeRef; gpus: number }[] = [];
  private readonly scopes = new Map<string, NodeRef[]>();

  constructor(public readonly pools: readonly PackPool[]) {
    this.free = pools.map(p => Array.from({ length: p.nodes }, () => p.sku.gpusPerNode));
  }

  /**
   * Places a unit (a gang) all or nothing.
   *
   * @returns undefined when placed, else why not
   */
  public place(unit: PackUnit): PackFailure | undefined {
    const mark = this.journal.length;
    const recorded: [string, NodeRef[]][] = [];
    const failure = this.placeUnit(unit, this.allNodes(), recorded);
    if (failure !== undefined) {
      this.rollback(mark);
      return failure;
    }
    for (const [id, scope] of recorded) {
      this.scopes.set(id, scope);
    }
    return undefined;
  }

  /**
   * Places one more pod of an already placed unit (an autoscaler adding a pod to a PodClique), inside the scope
   * the unit was placed in.
   *
   * @returns true when placed
   */
  public placeExtraPod(unitId: string, pod: GangPod): boolean {
    if (pod.gpus === 0) return true;
    const scope = this.scopes.get(unitId);
    if (scope === undefined) return false;
    const ref = this.firstFit(pod, scope);
    if (ref === undefined) return false;
    this.allocate(ref, pod.gpus);
    return true;
  }

  /** Usage of every pool. */
  public usage(): PoolUsage[] {
    return this.pools.map((p, i) => {
      const per = p.sku.gpusPerNode;
      const free = this.free[i];
      const used = free.filter(f => f < per);
      return {
        name: p.name,
        sku: p.sku.name,
        nodes: p.nodes,
        gpusPerNode: per,
        nodesUsed: used.length,
        gpusUsed: sum(free.map(f => per - f)),
        gpusFree: sum(free),
        gpusStranded: sum(used),
      };
    });
  }

  /** Empty nodes per pool. */
  public emptyNodes(pool: number): number {
    return this.free[pool].filter(f => f === this.pools[pool].sku.gpusPerNode).length;
  }

  private allNodes(): NodeRef[] {
    return this.free.flatMap((nodes, pool) => nodes.map((_, node) => ({ pool, node })));
  }

  private placeUnit(unit: PackUnit, scope: readonly NodeRef[], recorded: [string, NodeRef[]][]): PackFailure | undefined {
    if (unitGpus(unit) === 0) {
      recorded.push([unit.id, [...scope]]);
      return undefined;
    }
    // zone, region and datacenter do not restrict a cluster's pools: such a unit is placed like an unconstrained one
    if (unit.domain === undefined || this.pools.every(p => domainLevel(unit.domain as string, p.sku) === 'cluster')) {
      const failure = this.placeContents(unit, scope, recorded);
      if (failure === undefined) recorded.push([unit.id, [...scope]]);
      return failure;
    }
    const candidates = this.domainsWithin(scope, unit.domain);
    let last: PackFailure | undefined;
    for (const candidate of candidates) {
      const mark = this.journal.length;
      const recordMark = recorded.length;
      const failure = this.placeContents(unit, candidate, recorded);
      if (failure === undefined) {
        recorded.push([unit.id, candidate]);
        return undefined;
      }
      this.rollback(mark);
      recorded.length = recordMark;
      last = failure;
    }
    const gpus = unitGpus(unit);
    const sizes = [...new Set(this.pools.map(p => describeDomain(unit.domain as string, p.sku)))].join(' or ');
    return {
      reason: candidates.length === 0
        ? `${unit.label} (${gpus} GPUs, pack.required: ${unit.domain}) has no ${sizes} to go to`
        : `${unit.label} (${gpus} GPUs, pack.required: ${unit.domain}) fits in no single ${sizes}${last === undefined ? '' : ` (${last.reason})`}`,
    };
  }

  private placeContents(unit: PackUnit, scope: readonly NodeRef[], recorded: [string, NodeRef[]][]): PackFailure | undefined {
    const children = [...unit.children].sort((a, b) => unitGpus(b) - unitGpus(a));
    for (const child of children) {
      const failure = this.placeUnit(child, scope, recorded);
      if (failure !== undefined) return failure;
    }
    const pods = unit.pods.filter(p => p.gpus > 0).sort((a, b) => b.gpus - a.gpus);
    for (const pod of pods) {
      const ref = this.firstFit(pod, scope);
      if (ref === undefined) {
        return { reason: this.podReason(pod) };
      }
      this.allocate(ref, pod.gpus);
    }
    return undefined;
  }

  /** Why a pod found no node: it can never fit, or there is no room left. */
  private podReason(pod: GangPod): string {
    const pools = this.eligiblePools(pod);
    if (pools.length === 0) {
      return `pod ${pod.name} has node selector ${JSON.stringify(pod.nodeSelector)} that matches no pool`;
    }
    const largest = Math.max(...pools.map(i => this.pools[i].sku.gpusPerNode));
    if (pod.gpus > largest) {
      return `pod ${pod.name} requests ${pod.gpus} GPUs but a node has at most ${largest}; a pod never spans nodes`;
    }
    return `no node has ${pod.gpus} free GPUs for pod ${pod.name}`;
  }

  private firstFit(pod: GangPod, scope: readonly NodeRef[]): NodeRef | undefined {
    const eligible = new Set(this.eligiblePools(pod));
    return scope.find(r => eligible.has(r.pool) && this.free[r.pool][r.node] >= pod.gpus);
  }

  /** Pools a pod may run on, by its node selector. */
  private eligiblePools(pod: GangPod): number[] {
    const instanceType = INSTANCE_TYPE_LABELS.map(l => pod.nodeSelector[l]).find(v => v !== undefined);
    const agentPool = pod.nodeSelector[AGENT_POOL_LABEL];
    return this.pools.map((p, i) => ({ p, i }))
      .filter(({ p }) => (instanceType === undefined || instanceType.toLowerCase() === p.sku.name.toLowerCase())
        && (agentPool === undefined || agentPool === p.name))
      .map(({ i }) => i);
  }

  /** The domains of `domain` inside a scope, each as its nodes, in node order. */
  private domainsWithin(scope: readonly NodeRef[], domain: string): NodeRef[][] {
    const groups = new Map<string, NodeRef[]>();
    for (const ref of scope) {
      const sku = this.pools[ref.pool].sku;
      const level = domainLevel(domain, sku);
      const key = level === 'cluster' ? 'all'
        : level === 'pool' ? `${ref.pool}`
          : level === 'nvlink' ? `${ref.pool}/nv${Math.floor(ref.node / nodesPerNvlinkDomain(sku))}`
            : `${ref.pool}/${ref.node}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [ref]);
      else group.push(ref);
    }
    return [...groups.values()];
  }

  private allocate(ref: NodeRef, gpus: number): void {
    this.free[ref.pool][ref.node] -= gpus;
    this.journal.push({ ref, gpus });
  }

  private rollback(mark: number): void {
    while (this.journal.length > mark) {
      const { ref, gpus } = this.journal.pop() as { ref: NodeRef; gpus: number };
      this.free[ref.pool][ref.node] += gpus;
    }
  }
}

/** What a domain means on a SKU, for messages: `node`, `NVLink domain (18 nodes)`, `pool`. */
export function describeDomain(domain: string, sku: NodeSku): string {
  switch (domainLevel(domain, sku)) {
    case 'node': return `${sku.name} node (${sku.gpusPerNode} GPUs)`;
    case 'nvlink': return `NVLink domain (${nodesPerNvlinkDomain(sku)} ${sku.name} nodes)`;
    case 'pool': return 'pool (one InfiniBand domain)';
    default: return 'cluster';
  }
}

/** GPUs of a unit and its children. */
export function unitGpus(unit: PackUnit): number {
  return sum(unit.pods.map(p => p.gpus)) + sum(unit.children.map(unitGpus));
}

/** Every pod of a unit and its children. */
export function unitPods(unit: PackUnit): GangPod[] {
  return [...unit.pods, ...unit.children.flatMap(unitPods)];
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

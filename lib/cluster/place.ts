/**
 * The placement engine: places gangs on a cluster model all or nothing, pod by pod, with the predicates of
 * `predicates.ts`, and keeps each group with a `pack.required` constraint inside one domain:
 *
 * | pack domain                    | packed into                                                            |
 * |--------------------------------|------------------------------------------------------------------------|
 * | `host`, `numa`                 | one node (the NVLink domain of HGX SKUs)                               |
 * | `rack`                         | one NVLink domain where it spans nodes (GB200 NVL72), else the IB domain |
 * | `block` and any other name     | one InfiniBand domain: the pool (AKS links one scale set's VMs)        |
 * | `zone`                         | one zone (`topology.kubernetes.io/zone`); regional nodes are one zone   |
 * | `region`, `datacenter`         | no restriction (one cluster is one region)                             |
 *
 * A KAI-scheduled gang only sees the nodes of its shard. Inside a gang, groups are placed largest first and pods
 * largest first (GPUs, then CPU), each on the first node that passes every filter (first-fit decreasing): a
 * heuristic that can miss a packing that exists, but never reports one that does not. `pack.preferred` does not
 * change what fits. Pods never span nodes.
 */
import { CPU, ClusterModel, GPU, kaiLabelKey, ModelNode, modelNodes, PODS, ZONE_LABEL } from './model';
import { fitError, nodeReasons } from './predicates';
import { SimGang, SimPod, SimUnit, unitPods } from './workload';

/** A pod on a node. */
export interface PlacedPod {
  readonly pod: SimPod;
  readonly node: string;
}

/** A gang that was not placed, or autoscaled pods that were not. */
export interface UnplacedGang {
  readonly gang: string;
  /** `autoscaled-pods` for pods a clique HPA adds to a base gang above the template's replicas. */
  readonly kind: 'base' | 'scaled' | 'autoscaled-pods';
  readonly pods: number;
  readonly gpus: number;
  /** Why, with the first pod that found no node and the scheduler's message for it. */
  readonly reason: string;
  /** The pod that found no node, and the scheduler's message (`0/5 nodes are available: ...`). */
  readonly pendingPod?: { readonly name: string; readonly message: string };
  /** The gang's pods, for pictures. */
  readonly podNames: readonly string[];
}

/** How much of a pool is used. */
export interface PoolUsage {
  readonly name: string;
  readonly sku: string;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** Nodes with at least one pod. */
  readonly nodesUsed: number;
  readonly gpusUsed: number;
  readonly gpusFree: number;
  /** Free GPUs on nodes that have GPUs allocated. */
  readonly gpusStranded: number;
}

type Failure = { readonly reason: string; readonly pod?: { readonly name: string; readonly message: string } };

const NODE_DOMAINS = new Set(['host', 'numa']);
const CLUSTER_DOMAINS = new Set(['region', 'datacenter']);

/** The node-set key of a domain for a node. */
function domainKey(domain: string, node: ModelNode): string {
  if (NODE_DOMAINS.has(domain)) return node.name;
  if (CLUSTER_DOMAINS.has(domain)) return '*';
  if (domain === 'zone') return node.labels[ZONE_LABEL] ?? '*';
  if (domain === 'rack' && node.nvlinkDomain !== node.name) return node.nvlinkDomain;
  return node.infinibandDomain;
}

/** The free capacity of every node, with an undo journal for all-or-nothing placement. */
export class ClusterState {
  public readonly nodes: readonly ModelNode[];
  private readonly free: Record<string, number>[];
  private readonly placed: { pod: SimPod; node: number }[] = [];
  private readonly scopes = new Map<string, number[]>();
  private readonly labelKey: string;

  /** @param used pods already running (e.g. earlier rollout steps) */
  constructor(public readonly model: ClusterModel, used: readonly PlacedPod[] = []) {
    this.nodes = modelNodes(model);
    this.labelKey = kaiLabelKey(model);
    this.free = this.nodes.map(n => ({ ...n.allocatable }));
    const index = new Map(this.nodes.map((n, i) => [n.name, i]));
    for (const u of used) {
      const i = index.get(u.node);
      if (i !== undefined) this.take(u.pod, i);
    }
  }

  /** A copy to continue placing on. */
  public clone(): ClusterState {
    const c = new ClusterState(this.model);
    c.free.splice(0, c.free.length, ...this.free.map(f => ({ ...f })));
    c.placed.push(...this.placed);
    this.scopes.forEach((v, k) => c.scopes.set(k, v));
    return c;
  }

  /** Every placed pod, in placement order. */
  public placements(): PlacedPod[] {
    return this.placed.map(p => ({ pod: p.pod, node: this.nodes[p.node].name }));
  }

  /** Free resources of a node. */
  public freeOf(node: string): Readonly<Record<string, number>> {
    return this.free[this.nodes.findIndex(n => n.name === node)];
  }

  /** Places a gang all or nothing; returns why not, or undefined when placed. */
  public placeGang(gang: SimGang): Failure | undefined {
    const shards = this.model.kaiShards;
    if (typeof gang.shard === 'string' && shards !== undefined && !shards.includes(gang.shard)) {
      // KAI runs one scheduler per SchedulingShard: a PodGroup of a node pool without one is never looked at.
      return { reason: `no KAI SchedulingShard has partitionLabelValue ${gang.shard} (the cluster's shards: ${['default', ...shards].join(', ')}), so no scheduler picks up the gang` };
    }
    const mark = this.placed.length;
    const recorded: [string, number[]][] = [];
    const shard = gang.shard === undefined ? undefined : { value: gang.shard, labelKey: this.labelKey };
    const all = this.nodes.map((_, i) => i);
    const failure = this.placeUnit(gang.root, all, recorded, shard, undefined);
    if (failure !== undefined) {
      this.rollback(mark);
      return failure;
    }
    for (const [id, scope] of recorded) this.scopes.set(id, scope);
    return undefined;
  }

  /** Places one pod an autoscaler adds to a placed PodClique, inside the scope its unit was placed in. */
  public placeExtraPod(gang: SimGang, pod: SimPod): Failure | undefined {
    const scope = this.scopes.get(pod.podClique) ?? this.scopes.get(gang.name);
    if (scope === undefined) return { reason: `its gang ${gang.name} was not placed` };
    const shard = gang.shard === undefined ? undefined : { value: gang.shard, labelKey: this.labelKey };
    return this.placePod(pod, scope, shard, undefined);
  }

  /** Usage per pool. */
  public usage(): PoolUsage[] {
    return this.model.pools.map(p => {
      const idx = this.nodes.map((n, i) => ({ n, i })).filter(x => x.n.pool === p.name).map(x => x.i);
      const per = p.allocatable[GPU] ?? 0;
      const gpuFree = idx.map(i => this.free[i][GPU] ?? 0);
      const podsOn = idx.map(i => (p.allocatable[PODS] ?? 0) - (this.free[i][PODS] ?? 0));
      return {
        name: p.name,
        sku: p.sku ?? p.name,
        nodes: p.nodes,
        gpusPerNode: per,
        nodesUsed: podsOn.filter(x => x > 0).length,
        gpusUsed: sum(gpuFree.map(f => per - f)),
        gpusFree: sum(gpuFree),
        gpusStranded: sum(gpuFree.filter(f => f < per)),
      };
    });
  }

  private placeUnit(unit: SimUnit, scope: number[], recorded: [string, number[]][], shard: Shard, inherited: Pack): Failure | undefined {
    const domain = unit.domain;
    const pack: Pack = domain === undefined || CLUSTER_DOMAINS.has(domain) ? inherited : { domain, label: unit.label };
    const candidates = domain === undefined || CLUSTER_DOMAINS.has(domain) ? [scope] : this.domainsWithin(scope, domain);
    let last: Failure | undefined;
    for (const candidate of candidates) {
      const mark = this.placed.length;
      const recordMark = recorded.length;
      const failure = this.placeContents(unit, candidate, recorded, shard, pack);
      if (failure === undefined) {
        recorded.push([unit.id, candidate]);
        return undefined;
      }
      this.rollback(mark);
      recorded.length = recordMark;
      last = failure;
    }
    if (last === undefined) {
      return { reason: `${unit.label} (pack.required: ${domain}) has no ${domain} domain to go to` };
    }
    return candidates.length > 1 && domain !== undefined
      ? { reason: `${unit.label} fits in no single ${describeDomain(domain)} (pack.required: ${domain}); ${last.reason}`, ...(last.pod ? { pod: last.pod } : {}) }
      : last;
  }

  private placeContents(unit: SimUnit, scope: number[], recorded: [string, number[]][], shard: Shard, pack: Pack): Failure | undefined {
    const children = [...unit.children].sort((a, b) => weight(unitPods(b)) - weight(unitPods(a)));
    for (const child of children) {
      const failure = this.placeUnit(child, scope, recorded, shard, pack);
      if (failure !== undefined) return failure;
    }
    for (const pod of [...unit.pods].sort((a, b) => weight([b]) - weight([a]))) {
      const failure = this.placePod(pod, scope, shard, pack);
      if (failure !== undefined) return failure;
    }
    return undefined;
  }

  private placePod(pod: SimPod, scope: readonly number[], shard: Shard, pack: Pack): Failure | undefined {
    for (const i of scope) {
      if (nodeReasons(pod, this.nodes[i], this.free[i], shard).length === 0) {
        this.take(pod, i);
        return undefined;
      }
    }
    const inScope = new Set(scope);
    const perNode = this.nodes.map((n, i) => {
      const reasons = nodeReasons(pod, n, this.free[i], shard);
      return reasons.length === 0 && !inScope.has(i) && pack !== undefined
        ? [`node(s) were outside the ${pack.domain} domain ${pack.label} is packed into`]
        : reasons;
    });
    const message = fitError(this.nodes.length, perNode);
    return { reason: `pod ${pod.name}: ${message}`, pod: { name: pod.name, message } };
  }

  private domainsWithin(scope: readonly number[], domain: string): number[][] {
    const groups = new Map<string, number[]>();
    for (const i of scope) {
      const key = domainKey(domain, this.nodes[i]);
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [i]);
      else g.push(i);
    }
    return [...groups.values()];
  }

  private take(pod: SimPod, i: number): void {
    const f = this.free[i];
    for (const [k, v] of Object.entries(pod.requests)) f[k] = (f[k] ?? 0) - v;
    this.placed.push({ pod, node: i });
  }

  private rollback(mark: number): void {
    while (this.placed.length > mark) {
      const { pod, node } = this.placed.pop() as { pod: SimPod; node: number };
      const f = this.free[node];
      for (const [k, v] of Object.entries(pod.requests)) f[k] = (f[k] ?? 0) + v;
    }
  }
}

type Shard = { readonly value: string | null; readonly labelKey: string } | undefined;
type Pack = { readonly domain: string; readonly label: string } | undefined;

/** What a pack domain means, for messages. */
export function describeDomain(domain: string): string {
  if (NODE_DOMAINS.has(domain)) return 'node';
  if (CLUSTER_DOMAINS.has(domain)) return 'cluster';
  if (domain === 'zone') return 'zone';
  if (domain === 'rack') return 'NVLink domain (or InfiniBand domain where NVLink stays in a node)';
  return 'InfiniBand domain (one pool)';
}

/** Sort key: GPUs first, then CPU. */
function weight(pods: readonly SimPod[]): number {
  return sum(pods.map(p => (p.requests[GPU] ?? 0) * 1e6 + (p.requests[CPU] ?? 0)));
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** GPUs of pods. */
export function podsGpus(pods: readonly SimPod[]): number {
  return sum(pods.map(p => p.requests[GPU] ?? 0));
}

/**
 * Does a set of PodGangs fit on a set of GPU node pools?
 *
 * The model is deliberately simple and only counts GPUs (`nvidia.com/gpu`); CPU, memory, RDMA devices, taints and
 * topology constraints are not modelled:
 * - A pod never spans nodes: it needs one node with as many free GPUs as it requests. A pod that requests more GPUs
 *   than any eligible node has can never be scheduled.
 * - A gang is placed all or nothing (gang scheduling). Gangs are placed in the order Grove releases them: the base
 *   gangs of all PodCliqueSet replicas first, then the scaled gangs; a scaled gang whose base gang did not fit is not
 *   placed either (Grove keeps its pods gated).
 * - Inside a gang, pods are placed first-fit decreasing: largest GPU request first, each on the first node (pools in
 *   the given order, nodes in index order) with enough free GPUs. First-fit decreasing is a heuristic: it can miss a
 *   packing that exists, but never reports a placement that does not.
 * - Pods that request no GPU are not placed; they fit on any CPU pool.
 * - Node selectors restrict pods to pools for two well-known AKS node labels: `node.kubernetes.io/instance-type`
 *   (the VM size) and `kubernetes.azure.com/agentpool` (the pool name). Other selector keys are assumed to match.
 */
import { GroveValidationError, ValidationProblem } from '../errors';
import { GangPod, PodCliqueSetGangsOptions, PodGang, podCliqueSetGangs } from './gangs';
import { NodeSku, nodeSku } from './node-skus';

/** Node label with the VM size on AKS nodes. */
const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
/** Node label with the agent pool name on AKS nodes. */
const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';

/** A pool of identical GPU nodes. */
export interface NodePool {
  /** Azure VM size of the nodes, from the catalog (`nodeSku`). */
  readonly sku: string;
  /** Number of nodes. */
  readonly nodes: number;
  /**
   * AKS agent pool name, matched against `kubernetes.azure.com/agentpool` node selectors.
   * @default - the SKU name
   */
  readonly name?: string;
}

/** How much of a pool a placement uses. */
export interface PoolUsage {
  readonly name: string;
  readonly sku: string;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** Nodes with at least one GPU allocated. */
  readonly nodesUsed: number;
  readonly gpusUsed: number;
  /** Free GPUs in the pool, on used and empty nodes. */
  readonly gpusFree: number;
  /** Free GPUs on used nodes: idle unless a pod small enough to use the gap comes along. */
  readonly gpusStranded: number;
}

/** Nodes a gang needs on a pool's SKU, on its own. */
export interface NodesNeeded {
  readonly pool: string;
  readonly sku: string;
  readonly nodes: number;
}

/** A gang (or a set of autoscaled pods) that could not be placed. */
export interface UnplacedGang {
  /** PodGang name. */
  readonly gang: string;
  /** `autoscaled-pods` for pods a clique HPA adds to a base gang above the template replicas. */
  readonly kind: 'base' | 'scaled' | 'autoscaled-pods';
  /** Pods that were not placed. */
  readonly pods: number;
  /** GPUs of those pods. */
  readonly gpus: number;
  /** Why, including how many nodes of which SKU the gang needs. */
  readonly reason: string;
  /** Nodes the gang would need on each eligible pool's SKU on its own (empty when it can never fit). */
  readonly nodesNeeded: readonly NodesNeeded[];
}

/** Outcome of a placement. */
export interface FitResult {
  /** True when every gang was placed. */
  readonly fits: boolean;
  readonly pools: readonly PoolUsage[];
  /** Nodes used per pool name. */
  readonly nodesUsed: Readonly<Record<string, number>>;
  readonly gpusUsed: number;
  /** Free GPUs on used nodes, over all pools. */
  readonly gpusStranded: number;
  /** Names of the placed gangs, in placement order. */
  readonly placed: readonly string[];
  readonly unplaced: readonly UnplacedGang[];
  /** One-line summary. */
  readonly message: string;
}

/**
 * Places gangs on node pools; see the module documentation for the rules.
 *
 * @throws GroveValidationError for unknown SKUs, negative node counts or duplicate pool names
 */
export function fitGangs(gangs: readonly PodGang[], pools: readonly NodePool[]): FitResult {
  const cluster = Cluster.of(pools);
  const run = new Run(cluster);
  for (const gang of releaseOrder(gangs)) {
    run.placeGang(gang);
  }
  return run.result('');
}

/**
 * Nodes of a SKU that a gang needs on its own (first-fit decreasing onto empty nodes). Pods without GPUs need none.
 *
 * @throws GroveValidationError when a pod requests more GPUs than a node of the SKU has; a pod never spans nodes
 */
export function nodesNeeded(gang: Pick<PodGang, 'name' | 'pods'>, sku: string): number {
  const s = nodeSku(sku);
  const tooBig = gang.pods.filter(p => p.gpus > s.gpusPerNode);
  if (tooBig.length > 0) {
    throw new GroveValidationError(tooBig.map(p => ({
      constructPath: `PodGang/${gang.name}`,
      field: `pods[${p.name}]`,
      message: `requests ${p.gpus} GPUs but ${s.name} has ${s.gpusPerNode} per node; a pod never spans nodes, so it can never be scheduled`,
      value: p.gpus,
      fix: `request at most ${s.gpusPerNode} GPUs per pod (split the model over more pods) or use a SKU with more GPUs per node`,
    })));
  }
  return packOnEmptyNodes(gang.pods, s.gpusPerNode);
}

/** Growth the autoscalers may add, and how much of it fits. */
export interface GrowthFit {
  /** Scaled gangs beyond the template's PCSG replicas, up to `scaleConfig.maxReplicas`. */
  readonly scaledGangs: number;
  readonly scaledGangsPlaced: number;
  /** Pods beyond the template's clique replicas, up to `autoScalingConfig.maxReplicas`. */
  readonly pods: number;
  readonly podsPlaced: number;
}

/** Capacity verdict for one or more PodCliqueSets. */
export interface CapacityPlan {
  /** The gangs at the template's replica counts. */
  readonly initial: FitResult;
  /**
   * The initial placement plus what the autoscalers may add (clique HPA pods one by one, extra scaled gangs all or
   * nothing), placed after it on the remaining capacity.
   */
  readonly atMaximum: FitResult;
  /** How far the autoscalers can go. */
  readonly growth: GrowthFit;
  /** One-line summary of both. */
  readonly message: string;
}

/**
 * Capacity check for PodCliqueSets (plain objects, as synthesized): places the gangs of all of them at the template's
 * replica counts (base gangs of every PCS first, then scaled gangs), then continues with what their autoscalers may
 * add, to show how far they can scale on these pools.
 *
 * @throws GroveValidationError for PodCliqueSets the gang computation cannot read, and for invalid pools
 */
export function fitPodCliqueSets(podCliqueSets: readonly unknown[], pools: readonly NodePool[],
  options: PodCliqueSetGangsOptions = {}): CapacityPlan {
  const sets = podCliqueSets.map(p => podCliqueSetGangs(p, options));
  const cluster = Cluster.of(pools);
  const run = new Run(cluster);
  for (const gang of releaseOrder(sets.flatMap(s => s.gangs))) {
    run.placeGang(gang);
  }
  const initial = run.result('');

  const grow = run.fork();
  const initialNames = new Set(sets.flatMap(s => s.gangs.map(g => g.name)));
  const initialPods = new Set(sets.flatMap(s => s.gangs.flatMap(g => g.pods.map(p => p.name))));
  let pods = 0;
  let podsPlaced = 0;
  let scaledGangs = 0;
  let scaledGangsPlaced = 0;
  const maxGangs = releaseOrder(sets.flatMap(s => s.maxGangs));
  for (const gang of maxGangs.filter(g => g.kind === 'base')) {
    const extra = gang.pods.filter(p => !initialPods.has(p.name));
    pods += extra.length;
    podsPlaced += grow.placeAutoscaledPods(gang, extra);
  }
  for (const gang of maxGangs.filter(g => g.kind === 'scaled' && !initialNames.has(g.name))) {
    scaledGangs++;
    if (grow.placeGang(gang)) {
      scaledGangsPlaced++;
    }
  }
  const growth: GrowthFit = { scaledGangs, scaledGangsPlaced, pods, podsPlaced };
  const growthText = scaledGangs + pods === 0
    ? 'no autoscaler headroom configured'
    : `${scaledGangsPlaced} of ${scaledGangs} extra scaled gang(s) and ${podsPlaced} of ${pods} autoscaled pod(s) fit`;
  const atMaximum = grow.result(`at the autoscaler maximum (${growthText}): `);
  return {
    initial,
    atMaximum,
    growth,
    message: `initial: ${initial.message}; ${atMaximum.message}`,
  };
}

/** Base gangs first, then scaled gangs, each in input order. */
function releaseOrder(gangs: readonly PodGang[]): PodGang[] {
  return [...gangs.filter(g => g.kind === 'base'), ...gangs.filter(g => g.kind !== 'base')];
}

interface PoolState {
  readonly name: string;
  readonly sku: NodeSku;
  /** Free GPUs per node. */
  readonly free: number[];
}

type Attempt = { readonly ok: true } | { readonly ok: false; readonly impossible: boolean; readonly reason: string };

/** Free GPUs per node of every pool. */
class Cluster {
  public static of(pools: readonly NodePool[]): Cluster {
    const problems: ValidationProblem[] = [];
    const states: PoolState[] = [];
    pools.forEach((p, i) => {
      const sku = nodeSku(p.sku);
      const name = p.name ?? sku.name;
      if (!(Number.isInteger(p.nodes) && p.nodes >= 0)) {
        problems.push({ constructPath: 'catalog/fit', field: `pools[${i}].nodes`, message: 'must be a whole number >= 0', value: p.nodes });
        return;
      }
      if (states.some(s => s.name === name)) {
        problems.push({
          constructPath: 'catalog/fit',
          field: `pools[${i}].name`,
          message: 'duplicate pool name',
          value: name,
          fix: 'give pools of the same SKU distinct names',
        });
        return;
      }
      states.push({ name, sku, free: Array.from({ length: p.nodes }, () => sku.gpusPerNode) });
    });
    if (problems.length > 0) {
      throw new GroveValidationError(problems);
    }
    return new Cluster(states);
  }

  private constructor(public readonly pools: readonly PoolState[]) {}

  public clone(): Cluster {
    return new Cluster(this.pools.map(p => ({ ...p, free: [...p.free] })));
  }

  /** Pools a pod may run on, by its node selector. */
  public eligible(pod: GangPod): PoolState[] {
    const instanceType = INSTANCE_TYPE_LABELS.map(l => pod.nodeSelector[l]).find(v => v !== undefined);
    const agentPool = pod.nodeSelector[AGENT_POOL_LABEL];
    return this.pools.filter(p => (instanceType === undefined || instanceType.toLowerCase() === p.sku.name.toLowerCase())
      && (agentPool === undefined || agentPool === p.name));
  }

  /** Places every GPU pod or none (first-fit decreasing). */
  public placeAll(pods: readonly GangPod[]): Attempt {
    const gpuPods = pods.filter(p => p.gpus > 0).sort((a, b) => b.gpus - a.gpus);
    for (const pod of gpuPods) {
      const pools = this.eligible(pod);
      if (pools.length === 0) {
        return { ok: false, impossible: true, reason: `pod ${pod.name} has node selector ${JSON.stringify(pod.nodeSelector)} that matches no pool` };
      }
      const largest = Math.max(...pools.map(p => p.sku.gpusPerNode));
      if (pod.gpus > largest) {
        const skus = [...new Set(pools.map(p => p.sku.name))].join(', ');
        return {
          ok: false,
          impossible: true,
          reason: `pod ${pod.name} requests ${pod.gpus} GPUs but ${skus} has ${largest} per node; a pod never spans nodes, so it can never be scheduled`,
        };
      }
    }
    const taken: { pool: PoolState; node: number; gpus: number }[] = [];
    for (const pod of gpuPods) {
      let spot: { pool: PoolState; node: number } | undefined;
      for (const pool of this.eligible(pod)) {
        const node = pool.free.findIndex(f => f >= pod.gpus);
        if (node >= 0) {
          spot = { pool, node };
          break;
        }
      }
      if (spot === undefined) {
        for (const t of taken) {
          t.pool.free[t.node] += t.gpus;
        }
        return { ok: false, impossible: false, reason: '' };
      }
      spot.pool.free[spot.node] -= pod.gpus;
      taken.push({ ...spot, gpus: pod.gpus });
    }
    return { ok: true };
  }
}

/** One placement run: cluster state plus the record of placed and unplaced gangs. */
class Run {
  private readonly placed: string[] = [];
  private readonly unplaced: UnplacedGang[] = [];
  private readonly placedGangs = new Set<string>();

  public constructor(private readonly cluster: Cluster) {}

  /** A copy to continue placing on, keeping what was placed so far. */
  public fork(): Run {
    const run = new Run(this.cluster.clone());
    run.placed.push(...this.placed);
    run.unplaced.push(...this.unplaced);
    this.placedGangs.forEach(g => run.placedGangs.add(g));
    return run;
  }

  /** Places a gang all or nothing; returns whether it was placed. */
  public placeGang(gang: PodGang): boolean {
    if (gang.baseGang !== undefined && !this.placedGangs.has(gang.baseGang)) {
      this.fail(gang, gang.kind, gang.pods, `gang ${gang.name} waits for its base gang ${gang.baseGang}, which was not placed`, false);
      return false;
    }
    const attempt = this.cluster.placeAll(gang.pods);
    if (attempt.ok) {
      this.placed.push(gang.name);
      this.placedGangs.add(gang.name);
      return true;
    }
    const reason = attempt.impossible
      ? attempt.reason
      : `gang ${gang.name} (${gang.pods.length} pod(s), ${gang.gpus} GPU(s)) does not fit: ${this.capacityReason(gang.pods)}`;
    this.fail(gang, gang.kind, gang.pods, reason, attempt.impossible);
    return false;
  }

  /** Places pods an HPA adds to a placed base gang, one at a time; returns how many were placed. */
  public placeAutoscaledPods(gang: PodGang, pods: readonly GangPod[]): number {
    if (pods.length === 0) {
      return 0;
    }
    if (!this.placedGangs.has(gang.name)) {
      this.fail(gang, 'autoscaled-pods', pods, `autoscaled pods of gang ${gang.name} wait for the gang, which was not placed`, false);
      return 0;
    }
    const left: GangPod[] = [];
    let firstReason: string | undefined;
    for (const pod of pods) {
      const attempt = this.cluster.placeAll([pod]);
      if (!attempt.ok) {
        left.push(pod);
        firstReason ??= attempt.impossible ? attempt.reason : undefined;
      }
    }
    if (left.length > 0) {
      const gpus = sum(left.map(p => p.gpus));
      const detail = firstReason ?? this.capacityReason(left);
      this.fail(gang, 'autoscaled-pods', left,
        `${left.length} of ${pods.length} autoscaled pod(s) of gang ${gang.name} (${gpus} GPU(s)) do not fit: ${detail}`, firstReason !== undefined);
    }
    return pods.length - left.length;
  }

  public result(prefix: string): FitResult {
    const pools: PoolUsage[] = this.cluster.pools.map(p => {
      const per = p.sku.gpusPerNode;
      const used = p.free.filter(f => f < per);
      return {
        name: p.name,
        sku: p.sku.name,
        nodes: p.free.length,
        gpusPerNode: per,
        nodesUsed: used.length,
        gpusUsed: sum(p.free.map(f => per - f)),
        gpusFree: sum(p.free),
        gpusStranded: sum(used),
      };
    });
    const gpusUsed = sum(pools.map(p => p.gpusUsed));
    const gpusStranded = sum(pools.map(p => p.gpusStranded));
    const fits = this.unplaced.length === 0;
    const usage = pools.map(p => `${p.nodesUsed} of ${p.nodes} ${p.sku} node(s)${p.name === p.sku ? '' : ` in pool ${p.name}`}`).join(', ');
    const message = fits
      ? `${prefix}fits: ${this.placed.length} gang(s), ${gpusUsed} GPU(s) on ${usage || 'no pools'}; ${gpusStranded} GPU(s) stranded`
      : `${prefix}does not fit: ${this.unplaced.length} gang(s) not placed (${this.placed.length} placed, on ${usage || 'no pools'}); ${this.unplaced[0].reason}`;
    return {
      fits,
      pools,
      nodesUsed: Object.fromEntries(pools.map(p => [p.name, p.nodesUsed])),
      gpusUsed,
      gpusStranded,
      placed: [...this.placed],
      unplaced: [...this.unplaced],
      message,
    };
  }

  private fail(gang: PodGang, kind: UnplacedGang['kind'], pods: readonly GangPod[], reason: string, impossible: boolean): void {
    this.unplaced.push({
      gang: gang.name,
      kind,
      pods: pods.length,
      gpus: sum(pods.map(p => p.gpus)),
      reason,
      nodesNeeded: impossible ? [] : this.needs(pods),
    });
  }

  /** Nodes the pods need on each pool they may use, on their own. */
  private needs(pods: readonly GangPod[]): NodesNeeded[] {
    const gpuPods = pods.filter(p => p.gpus > 0);
    const pools = this.cluster.pools.filter(pool => gpuPods.some(p => this.cluster.eligible(p).includes(pool)));
    return pools
      .filter(pool => gpuPods.every(p => p.gpus <= pool.sku.gpusPerNode))
      .map(pool => ({ pool: pool.name, sku: pool.sku.name, nodes: packOnEmptyNodes(gpuPods, pool.sku.gpusPerNode) }));
  }

  /** `needs N <sku> node(s) on its own; pool P has E empty of T node(s) and F free GPU(s)`, per eligible pool. */
  private capacityReason(pods: readonly GangPod[]): string {
    const byPool = this.needs(pods).map(n => {
      const pool = this.cluster.pools.find(p => p.name === n.pool) as PoolState;
      const empty = pool.free.filter(f => f === pool.sku.gpusPerNode).length;
      return `needs ${n.nodes} ${n.sku} node(s) on its own; pool ${pool.name} has ${empty} empty of ${pool.free.length} node(s) and ${sum(pool.free)} free GPU(s)`;
    });
    return byPool.join('; ') || 'no pool can run its pods';
  }
}

/** First-fit decreasing onto empty nodes with `perNode` GPUs; returns the node count. Pods must fit a node. */
function packOnEmptyNodes(pods: readonly GangPod[], perNode: number): number {
  const free: number[] = [];
  for (const gpus of pods.map(p => p.gpus).filter(g => g > 0).sort((a, b) => b - a)) {
    const node = free.findIndex(f => f >= gpus);
    if (node >= 0) {
      free[node] -= gpus;
    } else {
      free.push(perNode - gpus);
    }
  }
  return free.length;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/**
 * The scheduler simulation: the gangs of every PodCliqueSet placed in the order Grove releases them (the base
 * gangs of every PodCliqueSet, then the scaled gangs at the template's replica counts, then what the autoscalers
 * may add: clique HPA pods one by one inside their clique's placement, extra scaled gangs all or nothing). A scaled
 * gang whose base gang was not placed waits (Grove keeps its pods gated).
 */
import { ClusterModel } from './model';
import { ClusterState, PlacedPod, PoolUsage, UnplacedGang, podsGpus, sum } from './place';
import { SimGang, SimPod, SimWorkload } from './workload';

/** The cluster after one stage. */
export interface StageResult {
  /** Everything of this stage and the stages before it was placed. */
  readonly fits: boolean;
  /** Gangs placed so far, in placement order. */
  readonly placed: readonly string[];
  /** What did not fit in this stage. */
  readonly unplaced: readonly UnplacedGang[];
  readonly pools: readonly PoolUsage[];
  readonly gpusUsed: number;
  readonly gpusStranded: number;
  /** Every pod on its node after this stage. */
  readonly placements: readonly PlacedPod[];
}

/** How far one autoscaler can go. */
export interface AutoscalerResult {
  readonly podCliqueSet: string;
  /** `scaling group <name>` or `clique <name>`. */
  readonly target: string;
  readonly templateReplicas: number;
  readonly maxReplicas: number;
  /** Extra scaled gangs or pods over all PodCliqueSet replicas. */
  readonly extra: number;
  readonly extraPlaced: number;
  /** GPUs of one extra gang or pod. */
  readonly gpusEach: number;
}

/** The three stages and the autoscalers. */
export interface Simulation {
  readonly base: StageResult;
  readonly template: StageResult;
  readonly maximum: StageResult;
  readonly autoscalers: readonly AutoscalerResult[];
}

/** Outcome of placing a list of gangs. */
export interface GangPlacement {
  readonly fits: boolean;
  readonly placed: readonly string[];
  readonly unplaced: readonly UnplacedGang[];
  /** The new pods on their nodes (not those already running). */
  readonly placements: readonly PlacedPod[];
  readonly pools: readonly PoolUsage[];
}

/**
 * Do these gangs fit the cluster's free capacity? Places them in order (base gangs before scaled ones) onto
 * the model with `used` pods already running. For rollout steps and any caller with its own gangs.
 */
export function placeGangs(model: ClusterModel, gangs: readonly SimGang[], used: readonly PlacedPod[] = []): GangPlacement {
  const state = new ClusterState(model, used);
  const run = new Run(state);
  const ordered = [...gangs.filter(g => g.kind === 'base'), ...gangs.filter(g => g.kind !== 'base')];
  const unplaced = ordered.map(g => run.gang(g)).filter(isDefined);
  return { fits: unplaced.length === 0, placed: [...run.placed], unplaced, placements: state.placements().slice(used.length), pools: state.usage() };
}

/** Runs the three stages on the model. */
export function simulate(model: ClusterModel, workloads: readonly SimWorkload[], used: readonly PlacedPod[] = []): Simulation {
  const state = new ClusterState(model, used);
  const run = new Run(state);
  let fitsSoFar = true;
  const stage = (failed: UnplacedGang[]): StageResult => {
    const pools = state.usage();
    fitsSoFar = fitsSoFar && failed.length === 0;
    return {
      fits: fitsSoFar,
      placed: [...run.placed],
      unplaced: failed,
      pools,
      gpusUsed: sum(pools.map(p => p.gpusUsed)),
      gpusStranded: sum(pools.map(p => p.gpusStranded)),
      placements: state.placements().slice(used.length),
    };
  };
  const all = workloads.flatMap(w => w.template);
  const base = stage(all.filter(g => g.kind === 'base').map(g => run.gang(g)).filter(isDefined));
  const template = stage(all.filter(g => g.kind === 'scaled').map(g => run.gang(g)).filter(isDefined));

  const autoscalers: AutoscalerResult[] = [];
  const failures: UnplacedGang[] = [];
  for (const w of workloads) {
    const initialPods = new Set(w.template.flatMap(g => g.pods.map(p => p.name)));
    const counts = new Map<string, { extra: number; placed: number }>();
    for (const gang of w.maximum.filter(g => g.kind === 'base')) {
      const extra = gang.pods.filter(p => !initialPods.has(p.name));
      const left: SimPod[] = [];
      let first: { name: string; message: string } | undefined;
      for (const pod of extra) {
        const c = counts.get(pod.clique) ?? { extra: 0, placed: 0 };
        c.extra++;
        const failure = run.placed.includes(gang.name) ? state.placeExtraPod(gang, pod) : { reason: 'its gang was not placed' };
        if (failure === undefined) c.placed++;
        else {
          left.push(pod);
          first ??= failure.pod ?? { name: pod.name, message: failure.reason };
        }
        counts.set(pod.clique, c);
      }
      if (left.length > 0) {
        failures.push({
          gang: gang.name, kind: 'autoscaled-pods', pods: left.length, gpus: podsGpus(left), podNames: left.map(p => p.name),
          reason: run.placed.includes(gang.name)
            ? `${left.length} of ${extra.length} autoscaled pod(s) of gang ${gang.name} find no node: pod ${first?.name}: ${first?.message}`
            : `autoscaled pods of gang ${gang.name} wait for the gang, which was not placed`,
          ...(first !== undefined && run.placed.includes(gang.name) ? { pendingPod: first } : {}),
        });
      }
    }
    for (const c of w.gangs.cliques.filter(x => x.scalingGroup === undefined && x.maxReplicas > x.replicas)) {
      const n = counts.get(c.name) ?? { extra: 0, placed: 0 };
      autoscalers.push({ podCliqueSet: w.name, target: `clique ${c.name}`, templateReplicas: c.replicas, maxReplicas: c.maxReplicas, extra: n.extra, extraPlaced: n.placed, gpusEach: c.gpusPerPod });
    }
    const templateNames = new Set(w.template.map(g => g.name));
    for (const g of w.gangs.scalingGroups.filter(x => x.maxReplicas > x.replicas)) {
      const extra = w.maximum.filter(x => x.kind === 'scaled' && x.name.startsWith(`${w.name}-`) && !templateNames.has(x.name)
        && w.gangs.maxGangs.find(m => m.name === x.name)?.scalingGroup === g.name);
      let ok = 0;
      for (const gang of extra) {
        const failure = run.gang(gang);
        if (failure === undefined) ok++;
        else failures.push(failure);
      }
      autoscalers.push({
        podCliqueSet: w.name, target: `scaling group ${g.name}`, templateReplicas: g.replicas, maxReplicas: g.maxReplicas,
        extra: extra.length, extraPlaced: ok, gpusEach: extra[0] === undefined ? 0 : podsGpus(extra[0].pods),
      });
    }
  }
  return { base, template, maximum: stage(failures), autoscalers };
}

/** Placed gangs and the release rule. */
class Run {
  public readonly placed: string[] = [];

  constructor(private readonly state: ClusterState) {}

  public gang(gang: SimGang): UnplacedGang | undefined {
    const head = { gang: gang.name, kind: gang.kind, pods: gang.pods.length, gpus: podsGpus(gang.pods), podNames: gang.pods.map(p => p.name) };
    if (gang.baseGang !== undefined && !this.placed.includes(gang.baseGang)) {
      return { ...head, reason: `gang ${gang.name} waits for its base gang ${gang.baseGang}, which was not placed` };
    }
    const failure = this.state.placeGang(gang);
    if (failure === undefined) {
      this.placed.push(gang.name);
      return undefined;
    }
    return {
      ...head,
      reason: `gang ${gang.name} (${gang.pods.length} pod(s), ${head.gpus} GPU(s)) cannot be placed: ${failure.reason}`,
      ...(failure.pod === undefined ? {} : { pendingPod: failure.pod }),
    };
  }
}

function isDefined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

/**
 * Types of a rollout plan: what Grove does, step by step, when the pod templates of a PodCliqueSet change.
 */
import type { GroveApiLevel } from '../schema/api-level';

/** Grove's update strategies (`Coherent` exists only at the `next` API level). */
export type UpdateStrategyName = 'Coherent' | 'RollingRecreate' | 'OnDelete';

/**
 * One component of a PodCliqueSet replica, as Grove's update code counts it: a standalone clique (units are pods) or a
 * scaling group (units are whole scaling-group replicas).
 */
export interface RolloutComponent {
  /** Standalone clique name or scaling-group name. */
  readonly name: string;
  readonly kind: 'clique' | 'scalingGroup';
  /** Units of the component (`replicas` of the clique or of the scaling group). */
  readonly replicas: number;
  /** `minAvailable` of the clique or of the scaling group. */
  readonly minAvailable: number;
  /** The disruption budget in force (explicit `rollingUpdate.maxUnavailable`, or the strategy's default). */
  readonly maxUnavailable: number;
  /** Pods of one unit (1 for a clique; the member cliques' pods for a scaling-group replica). */
  readonly podsPerUnit: number;
  /** GPUs of one unit. */
  readonly gpusPerUnit: number;
  /** Whether this update changes the component's pod templates (only those roll). */
  readonly inScope: boolean;
}

/** Per-component counts, keyed by component name. */
export type Counts = Readonly<Record<string, number>>;

/** Serving capacity in complete units (the replica in miniature: each component's replicas over their gcd). */
export interface Serving {
  /** Complete units on the old version. */
  readonly old: number;
  /** Complete units on the new version. */
  readonly new: number;
  /** Running pods of the changed components that belong to no complete unit of their version (stranded capacity). */
  readonly strandedPods: number;
  /** GPUs of those pods. */
  readonly strandedGpus: number;
}

/** One sub-step: what goes down at once, and the gangs that bring it back on the new version. */
export interface SubStep {
  /** `<step>.<sub-step>`, 1-based, as GREP-393 numbers them. */
  readonly id: string;
  /** Units taken down (and recreated on the new version) per component. */
  readonly take: Counts;
  /**
   * Coherent: the MVU gang created by this sub-step (`minAvailable` of every component in scope).
   * @default - none
   */
  readonly mpg?: Counts;
  /**
   * Coherent: tail gangs created by this sub-step, one per scaling-group replica.
   * @default - none
   */
  readonly tpgs?: Counts;
  /**
   * Coherent: standalone-clique pods added to an existing MVU gang (`MPG-<n>`).
   * @default - none
   */
  readonly subsumed?: Counts;
  /** Pods down while this sub-step runs. */
  readonly podsDown: number;
  /** GPUs down while this sub-step runs. */
  readonly gpusDown: number;
  /** Serving capacity while this sub-step runs. */
  readonly serving: Serving;
  /**
   * Whether the new pods fit on the cluster's free capacity (only with node pools).
   * @default - not checked
   */
  readonly fits?: boolean;
  /**
   * Why the new pods do not fit: the scheduler's message for the first pod that finds no node.
   * @default - none (fits, or not checked)
   */
  readonly unfitReason?: string;
}

/** One step of a plan. */
export interface RolloutStep {
  /** 1-based. */
  readonly index: number;
  /**
   * Coherent: `MPG` for a step that creates an MVU gang, `TPG` for a step of tail gangs only. RollingRecreate: `Round`
   * (every component still rolling replaces up to its budget at once). OnDelete has no steps.
   */
  readonly kind: 'MPG' | 'TPG' | 'Round';
  /** Units rolled by the step, per component (`StepTarget`). */
  readonly target: Counts;
  readonly subSteps: readonly SubStep[];
  /** Most pods down at once during the step. */
  readonly podsDown: number;
  /** Most GPUs down at once during the step. */
  readonly gpusDown: number;
  /** Lowest serving capacity during the step (the sub-step with the fewest complete units). */
  readonly serving: Serving;
  /** Serving capacity once the step is done. */
  readonly after: Serving;
  /**
   * Whether every sub-step's new pods fit (only with node pools).
   * @default - not checked
   */
  readonly fits?: boolean;
}

/** Why a plan cannot run to its end. */
export interface Stall {
  /** `refused`: the update is refused at admission; `never-starts`; `never-progresses`: a step's gate never holds. */
  readonly kind: 'refused' | 'never-starts' | 'never-progresses';
  /**
   * The step that stalls.
   * @default - the update as a whole
   */
  readonly step?: number;
  /**
   * The component concerned.
   * @default - the PodCliqueSet as a whole
   */
  readonly component?: string;
  readonly message: string;
  readonly fix: string;
}

/** The plan of one PodCliqueSet. */
export interface PodCliqueSetRollout {
  readonly name: string;
  readonly namespace: string;
  readonly strategy: UpdateStrategyName;
  /** PodCliqueSet replicas: Grove rolls them one after the other, each with the same steps. */
  readonly replicas: number;
  readonly components: readonly RolloutComponent[];
  /** Coherent: `MPGSteps`, `StepTarget` and `Leftover` of GREP-393's step plan. */
  readonly stepPlan?: { readonly mpgSteps: number; readonly stepTarget: Counts; readonly leftover: Counts };
  /** One complete serving unit (`lib/rollout/capacity.ts`). */
  readonly unit: Counts;
  /** Serving capacity of one replica before the update (all old). */
  readonly before: Serving;
  /** Steps of replica 0. */
  readonly steps: readonly RolloutStep[];
  readonly stalls: readonly Stall[];
  /** Things worth knowing that are no stall (e.g. a step that serves nothing). */
  readonly notes: readonly string[];
}

/** The plans of every PodCliqueSet whose pods an update replaces. */
export interface RolloutReport {
  readonly groveApi: GroveApiLevel;
  /** False when some update is refused or would stall. */
  readonly ok: boolean;
  readonly podCliqueSets: readonly PodCliqueSetRollout[];
}

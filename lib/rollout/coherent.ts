/**
 * GREP-393's step plan for a Coherent update of one PodCliqueSet replica (ai-dynamo/grove
 * docs/proposals/393-coherent-rolling-updates/README.md, "Step plan" and "Illustration by example"):
 *
 * - `MPGSteps = min(replicas[c] / minAvailable[c])` over the components in scope (integer division);
 * - `TailPerStep[c] = (replicas[c] - MPGSteps * minAvailable[c]) / MPGSteps`, `StepTarget[c] = minAvailable[c] + TailPerStep[c]`;
 * - `Leftover[c] = replicas[c] - MPGSteps * StepTarget[c]`.
 *
 * Each MPG-bearing step opens with a sub-step that creates the step's MVU gang (`minAvailable[c]` of every component),
 * then drains its tail in sub-steps that take at most `maxUnavailable[c]` of each component. Tail pods of standalone
 * cliques join the step's MVU gang; each scaling-group replica of the tail gets its own tail gang. The leftover is
 * drained by one TPG-only step (its standalone-clique pods join the newest MVU gang), in as many sub-steps as the
 * budgets need. Pure.
 */
import { Counts, RolloutComponent } from './types';

/** A sub-step before capacity is worked out. */
export interface RawSubStep {
  readonly take: Counts;
  readonly mpg?: Counts;
  readonly tpgs?: Counts;
  readonly subsumed?: Counts;
}

/** A step before capacity is worked out. */
export interface RawStep {
  readonly kind: 'MPG' | 'TPG' | 'Round';
  readonly target: Counts;
  readonly subSteps: readonly RawSubStep[];
}

/** GREP-393's numbers for one replica. */
export interface CoherentStepPlan {
  readonly mpgSteps: number;
  readonly stepTarget: Counts;
  readonly leftover: Counts;
  readonly steps: readonly RawStep[];
}

/**
 * The Coherent step plan of the components in scope. Components must satisfy Grove's admission rules
 * (`1 <= minAvailable <= replicas`, `maxUnavailable >= minAvailable`); others throw, since Grove refuses them.
 */
export function coherentStepPlan(components: readonly RolloutComponent[]): CoherentStepPlan {
  const scope = components.filter(c => c.inScope && c.replicas > 0);
  for (const c of scope) {
    if (!(c.minAvailable >= 1 && c.minAvailable <= c.replicas && c.maxUnavailable >= c.minAvailable)) {
      throw new Error(`component ${c.name}: a Coherent plan needs 1 <= minAvailable <= replicas and maxUnavailable >= minAvailable`
        + ` (got replicas ${c.replicas}, minAvailable ${c.minAvailable}, maxUnavailable ${c.maxUnavailable})`);
    }
  }
  if (scope.length === 0) {
    return { mpgSteps: 0, stepTarget: {}, leftover: {}, steps: [] };
  }
  const mpgSteps = Math.min(...scope.map(c => Math.floor(c.replicas / c.minAvailable)));
  const stepTarget: Record<string, number> = {};
  const leftover: Record<string, number> = {};
  for (const c of scope) {
    const tail = Math.floor((c.replicas - mpgSteps * c.minAvailable) / mpgSteps);
    stepTarget[c.name] = c.minAvailable + tail;
    leftover[c.name] = c.replicas - mpgSteps * stepTarget[c.name];
  }

  const steps: RawStep[] = [];
  for (let s = 0; s < mpgSteps; s++) {
    const floor = Object.fromEntries(scope.map(c => [c.name, c.minAvailable]));
    const tail = Object.fromEntries(scope.map(c => [c.name, stepTarget[c.name] - c.minAvailable]));
    steps.push({ kind: 'MPG', target: { ...stepTarget }, subSteps: [{ take: floor, mpg: floor }, ...drain(scope, tail)] });
  }
  if (scope.some(c => leftover[c.name] > 0)) {
    const target = Object.fromEntries(scope.filter(c => leftover[c.name] > 0).map(c => [c.name, leftover[c.name]]));
    steps.push({ kind: 'TPG', target, subSteps: drain(scope, target) });
  }
  return { mpgSteps, stepTarget, leftover, steps };
}

/** Sub-steps that drain `remaining` under each component's `maxUnavailable`, all components batched together. */
function drain(scope: readonly RolloutComponent[], remaining: Counts): RawSubStep[] {
  const left: Record<string, number> = { ...remaining };
  const out: RawSubStep[] = [];
  while (scope.some(c => (left[c.name] ?? 0) > 0)) {
    const take: Record<string, number> = {};
    const tpgs: Record<string, number> = {};
    const subsumed: Record<string, number> = {};
    for (const c of scope) {
      const n = Math.min(left[c.name] ?? 0, c.maxUnavailable);
      if (n <= 0) continue;
      take[c.name] = n;
      left[c.name] -= n;
      (c.kind === 'clique' ? subsumed : tpgs)[c.name] = n;
    }
    out.push({
      take,
      ...(Object.keys(tpgs).length > 0 ? { tpgs } : {}),
      ...(Object.keys(subsumed).length > 0 ? { subsumed } : {}),
    });
  }
  return out;
}

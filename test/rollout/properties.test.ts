/**
 * Properties of every plan (fast-check): each replica of each changed component rolls exactly once, untouched
 * components never roll, and no sub-step takes a component below its floor `replicas - maxUnavailable` (the budget
 * GREP-393's per-sub-step gate, predicate 3, holds the update to; ai-dynamo/grove
 * docs/proposals/393-coherent-rolling-updates/README.md "Per-sub-step gate").
 */
import * as fc from 'fast-check';
import { annotateSteps, coherentStepPlan, planRollout, RawStep, rollingRecreateSteps, RolloutComponent, serving } from '../../lib/rollout';
import { params, TIMEOUT } from '../property/support';
import { disaggSet } from './fixtures';

/** A component that Grove admits under Coherent: 1 <= minAvailable <= replicas, maxUnavailable >= minAvailable. */
const component = (name: string): fc.Arbitrary<RolloutComponent> => fc.record({
  replicas: fc.integer({ min: 1, max: 60 }),
  minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  extra: fc.integer({ min: 0, max: 6 }),
  kind: fc.constantFrom('clique' as const, 'scalingGroup' as const),
  inScope: fc.boolean(),
  podsPerUnit: fc.integer({ min: 1, max: 4 }),
  gpus: fc.constantFrom(0, 1, 8),
}).map(r => {
  const minAvailable = Math.max(1, Math.ceil(r.minFraction * r.replicas));
  return {
    name, kind: r.kind, replicas: r.replicas, minAvailable, maxUnavailable: minAvailable + r.extra,
    podsPerUnit: r.kind === 'clique' ? 1 : r.podsPerUnit, gpusPerUnit: r.gpus * (r.kind === 'clique' ? 1 : r.podsPerUnit), inScope: r.inScope,
  };
});

const components = fc.integer({ min: 1, max: 4 })
  .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => component(`c${i}`))))
  .filter(cs => cs.some(c => c.inScope));

function rolledPerComponent(steps: readonly RawStep[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of steps) for (const sub of s.subSteps) for (const [c, n] of Object.entries(sub.take)) out[c] = (out[c] ?? 0) + n;
  return out;
}

const expected = (cs: readonly RolloutComponent[]) => Object.fromEntries(cs.filter(c => c.inScope).map(c => [c.name, c.replicas]));

describe('Coherent plans', () => {
  test('roll every replica of every changed component exactly once, and nothing else', () => {
    fc.assert(fc.property(components, cs => {
      expect(rolledPerComponent(coherentStepPlan(cs).steps)).toEqual(expected(cs));
    }), params(300));
  }, TIMEOUT);

  test('never take a component below replicas - maxUnavailable in any sub-step', () => {
    fc.assert(fc.property(components, cs => {
      for (const step of coherentStepPlan(cs).steps) {
        for (const sub of step.subSteps) {
          for (const c of cs) {
            expect(c.replicas - (sub.take[c.name] ?? 0)).toBeGreaterThanOrEqual(c.replicas - c.maxUnavailable);
          }
        }
      }
    }), params(300));
  }, TIMEOUT);

  test("follow GREP-393's shape: MPGSteps MPG steps, each opening with an MVU gang of minAvailable of every changed component, then at most one TPG-only step", () => {
    fc.assert(fc.property(components, cs => {
      const plan = coherentStepPlan(cs);
      const scope = cs.filter(c => c.inScope);
      expect(plan.mpgSteps).toBe(Math.min(...scope.map(c => Math.floor(c.replicas / c.minAvailable))));
      const mpg = plan.steps.filter(s => s.kind === 'MPG');
      expect(mpg).toHaveLength(plan.mpgSteps);
      for (const s of mpg) expect(s.subSteps[0].mpg).toEqual(Object.fromEntries(scope.map(c => [c.name, c.minAvailable])));
      expect(plan.steps.filter(s => s.kind === 'TPG').length).toBeLessThanOrEqual(1);
      expect(plan.steps.slice(0, plan.mpgSteps).every(s => s.kind === 'MPG')).toBe(true);
    }), params(300));
  }, TIMEOUT);

  test('end with the full capacity of before on the new version and nothing stranded', () => {
    fc.assert(fc.property(components, cs => {
      const steps = annotateSteps(cs, coherentStepPlan(cs).steps);
      const before = serving(cs, {});
      expect(before.strandedPods).toBe(0);
      expect(steps[steps.length - 1].after).toEqual({ old: 0, new: before.old, strandedPods: 0, strandedGpus: 0 });
    }), params(200));
  }, TIMEOUT);
});

describe('RollingRecreate plans', () => {
  test('roll every replica once, at most maxUnavailable (1 at the pinned commit) of each component at a time', () => {
    fc.assert(fc.property(components, cs => {
      const steps = rollingRecreateSteps(cs);
      expect(rolledPerComponent(steps)).toEqual(expected(cs));
      for (const s of steps) for (const c of cs) expect(s.subSteps[0].take[c.name] ?? 0).toBeLessThanOrEqual(c.maxUnavailable);
    }), params(300));
  }, TIMEOUT);
});

describe('planRollout end to end', () => {
  const shape = fc.record({
    replicas: fc.integer({ min: 1, max: 12 }),
    min: fc.integer({ min: 1, max: 12 }),
  }).map(s => ({ replicas: s.replicas, minAvailable: Math.min(s.min, s.replicas) }));

  test('for generated disaggregated sets and any subset of changed roles, every replica of the changed roles rolls once', () => {
    fc.assert(fc.property(shape, shape, shape, fc.subarray(['F', 'P', 'D'] as const, { minLength: 1 }), fc.constantFrom('pinned' as const, 'next' as const),
      (F, P, D, changed, groveApi) => {
        const fixture = { F, P, D };
        const images = Object.fromEntries(changed.map(r => [r, 'v2']));
        const report = planRollout([disaggSet(fixture)], [disaggSet(fixture, images)], { groveApi });
        const pcs = report.podCliqueSets[0];
        expect(report.ok).toBe(true);
        const rolled: Record<string, number> = {};
        for (const s of pcs.steps) for (const sub of s.subSteps) for (const [c, n] of Object.entries(sub.take)) rolled[c] = (rolled[c] ?? 0) + n;
        const names = { F: 'frontend', P: 'prefill', D: 'decode' } as const;
        expect(rolled).toEqual(Object.fromEntries(changed.map(r => [names[r], fixture[r].replicas])));
      }), params(60));
  }, TIMEOUT);
});

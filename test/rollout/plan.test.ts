import { planRollout } from '../../lib/rollout';
import { CASE_A, CASE_B, CASE_E, CASE_H, WORKED_EXAMPLE, disaggSet, updateOfAll } from './fixtures';

// Cases from ai-dynamo/grove docs/proposals/393-coherent-rolling-updates/README.md ("Worked example", "Case A" .. "Case H").
const next = (oldObj: any, newObj: any) => planRollout([oldObj], [newObj], { groveApi: 'next' });

describe('GREP-393 worked example (F {10,2,2}, P {10,3,3}, D {20,3,4})', () => {
  const report = next(...updateOfAll(WORKED_EXAMPLE));
  const pcs = report.podCliqueSets[0];

  test('Coherent is the default at the next API level and the update is allowed', () => {
    expect(report.ok).toBe(true);
    expect(pcs.strategy).toBe('Coherent');
    expect(pcs.stalls).toEqual([]);
  });

  test('MPGSteps 3, StepTarget {3F, 3P, 6D}, Leftover {1F, 1P, 2D}', () => {
    expect(pcs.stepPlan).toEqual({ mpgSteps: 3, stepTarget: { frontend: 3, prefill: 3, decode: 6 }, leftover: { frontend: 1, prefill: 1, decode: 2 } });
  });

  test('three MPG steps rolling {3F, 3P, 6D}, then one TPG-only step with the leftover', () => {
    expect(pcs.steps.map(s => [s.kind, s.target])).toEqual([
      ['MPG', { frontend: 3, prefill: 3, decode: 6 }],
      ['MPG', { frontend: 3, prefill: 3, decode: 6 }],
      ['MPG', { frontend: 3, prefill: 3, decode: 6 }],
      ['TPG', { frontend: 1, prefill: 1, decode: 2 }],
    ]);
  });

  test('sub-steps: N.1 creates the MVU gang {2F,3P,3D}; N.2 subsumes 1F and creates 3 D tail gangs; 4.1 drains the leftover at once', () => {
    for (const step of pcs.steps.slice(0, 3)) {
      expect(step.subSteps.map(s => ({ mpg: s.mpg, tpgs: s.tpgs, subsumed: s.subsumed }))).toEqual([
        { mpg: { frontend: 2, prefill: 3, decode: 3 }, tpgs: undefined, subsumed: undefined },
        { mpg: undefined, tpgs: { decode: 3 }, subsumed: { frontend: 1 } },
      ]);
    }
    expect(pcs.steps[3].subSteps.map(s => [s.id, s.tpgs, s.subsumed])).toEqual([['4.1', { prefill: 1, decode: 2 }, { frontend: 1 }]]);
  });

  test('every replica rolls exactly once', () => {
    const rolled: Record<string, number> = {};
    for (const s of pcs.steps) for (const sub of s.subSteps) for (const [c, n] of Object.entries(sub.take)) rolled[c] = (rolled[c] ?? 0) + n;
    expect(rolled).toEqual({ frontend: 10, prefill: 10, decode: 20 });
  });

  test('capacity: 3 complete units before; each MPG step keeps 2 serving while it runs and is back to 3 after', () => {
    expect(pcs.before).toMatchObject({ old: 3, new: 0 });
    expect(pcs.steps.slice(0, 3).map(s => s.serving.old + s.serving.new)).toEqual([2, 2, 2]);
    expect(pcs.steps.map(s => s.after.old + s.after.new)).toEqual([3, 3, 3, 3]);
    expect(pcs.steps[3].after).toMatchObject({ old: 0, new: 3 });
  });
});

describe('GREP-393 case A (clean divisibility)', () => {
  const pcs = next(...updateOfAll(CASE_A)).podCliqueSets[0];

  test('10 MPG steps rolling {1F, 10P, 8D}, no TPG-only step', () => {
    expect(pcs.stepPlan).toEqual({ mpgSteps: 10, stepTarget: { frontend: 1, prefill: 10, decode: 8 }, leftover: { frontend: 0, prefill: 0, decode: 0 } });
    expect(pcs.steps).toHaveLength(10);
    expect(pcs.steps.every(s => s.kind === 'MPG')).toBe(true);
  });

  test('sub-steps N.1 MPG {1F,3P,3D}; N.2 3P + 4D tail gangs; N.3 3P + 1D; N.4 1P', () => {
    for (const step of pcs.steps) {
      expect(step.subSteps.map(s => s.mpg ?? s.tpgs)).toEqual([
        { frontend: 1, prefill: 3, decode: 3 },
        { prefill: 3, decode: 4 },
        { prefill: 3, decode: 1 },
        { prefill: 1 },
      ]);
    }
  });
});

describe('GREP-393 case B (residual and leftover)', () => {
  const pcs = next(...updateOfAll(CASE_B)).podCliqueSets[0];

  test('3 MPG steps rolling {6F, 3P, 6D} plus one TPG-only step with {2F, 1P, 2D}', () => {
    expect(pcs.stepPlan).toEqual({ mpgSteps: 3, stepTarget: { frontend: 6, prefill: 3, decode: 6 }, leftover: { frontend: 2, prefill: 1, decode: 2 } });
    expect(pcs.steps.map(s => [s.kind, s.target])).toEqual([
      ['MPG', { frontend: 6, prefill: 3, decode: 6 }],
      ['MPG', { frontend: 6, prefill: 3, decode: 6 }],
      ['MPG', { frontend: 6, prefill: 3, decode: 6 }],
      ['TPG', { frontend: 2, prefill: 1, decode: 2 }],
    ]);
  });

  test('sub-steps: N.1 MPG {2F,3P,3D}; N.2 2F subsumed + 3 D gangs; N.3 2F subsumed; 4.1 2F + 1P + 2D', () => {
    expect(pcs.steps[0].subSteps.map(s => [s.mpg, s.subsumed, s.tpgs])).toEqual([
      [{ frontend: 2, prefill: 3, decode: 3 }, undefined, undefined],
      [undefined, { frontend: 2 }, { decode: 3 }],
      [undefined, { frontend: 2 }, undefined],
    ]);
    expect(pcs.steps[3].subSteps.map(s => [s.subsumed, s.tpgs])).toEqual([[{ frontend: 2 }, { prefill: 1, decode: 2 }]]);
  });
});

describe('GREP-393 case E (single-component update)', () => {
  const pcs = next(disaggSet(CASE_E), disaggSet(CASE_E, { F: 'v2' })).podCliqueSets[0];

  test('only the frontend is in scope; 10 MPG steps of {1F} each, no tail, no TPG-only step', () => {
    expect(pcs.components.filter(c => c.inScope).map(c => c.name)).toEqual(['frontend']);
    expect(pcs.stepPlan).toEqual({ mpgSteps: 10, stepTarget: { frontend: 1 }, leftover: { frontend: 0 } });
    expect(pcs.steps.map(s => s.subSteps.map(x => x.mpg))).toEqual(Array.from({ length: 10 }, () => [{ frontend: 1 }]));
  });

  test('prefill and decode keep serving both versions: capacity never drops below 3 units (F 9/1 of 10 still >= 3)', () => {
    expect(pcs.steps.every(s => s.serving.old + s.serving.new >= 3)).toBe(true);
  });
});

describe('GREP-393 case H (maxUnavailable < minAvailable)', () => {
  const report = next(...updateOfAll(CASE_H));
  const pcs = report.podCliqueSets[0];

  test('refused at admission: the update never starts and the report is not ok', () => {
    expect(report.ok).toBe(false);
    expect(pcs.steps).toEqual([]);
    expect(pcs.stalls).toEqual([expect.objectContaining({
      kind: 'refused',
      message: expect.stringContaining('spec.template.cliques[0].rollingUpdate.maxUnavailable: must not be less than minAvailable (2) under the Coherent update strategy'),
    })]);
  });
});

describe('unchanged PodCliqueSets', () => {
  test('an update that replaces no pods has no plan', () => {
    expect(next(disaggSet(WORKED_EXAMPLE), disaggSet(WORKED_EXAMPLE)).podCliqueSets).toEqual([]);
  });
});

import { ClusterModel, gpuPool, PoolModel } from '../../lib/cluster';
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

  test('capacity in units of {1F, 1P, 2D}: 10 before; each MPG step keeps 7 serving while it runs, all 10 after, nothing stranded between steps', () => {
    expect(pcs.unit).toEqual({ frontend: 1, prefill: 1, decode: 2 });
    expect(pcs.before).toEqual({ old: 10, new: 0, strandedPods: 0, strandedGpus: 0 });
    expect(pcs.steps.map(s => s.serving.old + s.serving.new)).toEqual([7, 7, 7, 9]);
    expect(pcs.steps.map(s => [s.after.old, s.after.new, s.after.strandedPods])).toEqual([[7, 3, 0], [4, 6, 0], [1, 9, 0], [0, 10, 0]]);
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

  test('prefill and decode serve both versions: one frontend pod down at a time costs one unit of ten', () => {
    expect(pcs.steps.map(s => s.serving.old + s.serving.new)).toEqual(Array.from({ length: 10 }, () => 9));
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

describe('RollingRecreate as the pinned controllers run it (podclique/components/pod/rollingupdate.go, podcliquescalinggroup/components/podclique/rollingupdate.go)', () => {
  const pcs = planRollout(...updateOfAll(WORKED_EXAMPLE).map(o => [o]) as [any[], any[]]).podCliqueSets[0];

  test('pinned: RollingRecreate is the default, one pod or scaling-group replica per component at a time, all components at once', () => {
    expect(pcs.strategy).toBe('RollingRecreate');
    expect(pcs.components.map(c => c.maxUnavailable)).toEqual([1, 1, 1]);
    expect(pcs.steps).toHaveLength(20);
    expect(pcs.steps[0].target).toEqual({ frontend: 1, prefill: 1, decode: 1 });
    expect(pcs.steps[10].target).toEqual({ decode: 1 });
  });

  test('roles roll at different rates and strand capacity: after round 10 only 5 of 10 units serve, with 50 pods stranded', () => {
    // old {0F, 0P, 10D}: the 10 old decode replicas (30 pods) have no old partner; new {10F, 10P, 10D} make 5 units of {1, 1, 2}
    expect(pcs.steps[9].after).toEqual({ old: 0, new: 5, strandedPods: 50, strandedGpus: 0 });
    const coherent = planRollout(...updateOfAll(WORKED_EXAMPLE).map(o => [o]) as [any[], any[]], { groveApi: 'next' }).podCliqueSets[0];
    const worst = (p: typeof pcs) => Math.min(...p.steps.map(s => s.serving.old + s.serving.new));
    expect(worst(pcs)).toBe(4);
    expect(worst(coherent)).toBe(7);
  });

  test('at the next level RollingRecreate uses rollingUpdate.maxUnavailable, and a budget of 0 never progresses', () => {
    const shape = { F: { replicas: 4, minAvailable: 1, maxUnavailable: 0 }, P: { replicas: 2, minAvailable: 1, maxUnavailable: 2 } };
    const p = planRollout([disaggSet(shape, {}, { strategy: 'RollingRecreate' })], [disaggSet(shape, { F: 'v2', P: 'v2' }, { strategy: 'RollingRecreate' })], { groveApi: 'next' });
    expect(p.ok).toBe(false);
    expect(p.podCliqueSets[0].steps.map(s => s.target)).toEqual([{ prefill: 2 }]);
    expect(p.podCliqueSets[0].stalls).toEqual([expect.objectContaining({ kind: 'never-progresses', component: 'frontend' })]);
  });

  test('OnDelete has no steps: Grove waits for pods to be deleted', () => {
    const [o, n] = updateOfAll(WORKED_EXAMPLE, { strategy: 'OnDelete' });
    const p = planRollout([o], [n]).podCliqueSets[0];
    expect(p.steps).toEqual([]);
    expect(p.notes[0]).toMatch(/OnDelete/);
  });
});

/** A CPU pool for the frontend (no taint) next to `nodes` H100 nodes as a GpuNodePool creates them (lib/cluster `gpuPool`). */
const SYSTEM_POOL: PoolModel = { name: 'system', nodes: 1, labels: {}, taints: [], allocatable: { cpu: 3.8, memory: 12 * 2 ** 30, pods: 100 } };
const h100 = (nodes: number): ClusterModel => ({ pools: [gpuPool('Standard_ND96isr_H100_v5', nodes), SYSTEM_POOL] });

describe('the cluster model (lib/cluster placement behind lib/rollout/cluster-fit.ts)', () => {
  // prefill and decode pods take 8 GPUs each: one H100 node per pod
  const shape = { F: { replicas: 1, minAvailable: 1 }, P: { replicas: 2, minAvailable: 1 }, D: { replicas: 2, minAvailable: 1 } };
  const [o, n] = updateOfAll(shape, { gpus: 8 });
  const pool = h100;

  test('in place: the new gang reuses the nodes the old pods free, so the cluster that runs the old version suffices', () => {
    const p = planRollout([o], [n], { groveApi: 'next', cluster: pool(12) }).podCliqueSets[0];
    expect(p.steps.every(s => s.fits === true)).toBe(true);
    expect(p.stalls).toEqual([]);
  });

  test('a new version that needs more GPUs than its old pods free: the first sub-step can never satisfy its gate', () => {
    // old pods take 4 GPUs (two per node), new ones 8: 12 pods fit on 6 nodes before, the step's 6 new pods need 6 nodes
    const oldSet = updateOfAll(shape, { gpus: 4 })[0];
    const newSet = updateOfAll(shape, { gpus: 8 })[1];
    const p = planRollout([oldSet], [newSet], { groveApi: 'next', cluster: pool(6) });
    expect(p.ok).toBe(false);
    expect(p.podCliqueSets[0].notes.filter(x => x.includes('does not fit'))).toEqual([]);
    expect(p.podCliqueSets[0].steps[0].fits).toBe(false);
    expect(p.podCliqueSets[0].stalls).toEqual([expect.objectContaining({ kind: 'never-progresses', step: 1, message: expect.stringContaining('sub-step 1.1') })]);
    // 9 nodes: 1.1 fits (6 old pods on 3 nodes + 6 new), 1.2 needs 6 nodes for the rolled pods and 6 for the next
    const nine = planRollout([oldSet], [newSet], { groveApi: 'next', cluster: pool(9) }).podCliqueSets[0];
    expect(nine.steps[0].subSteps.map(x => x.fits)).toEqual([true, false]);
    expect(nine.stalls[0].message).toContain('sub-step 1.2');
    expect(planRollout([oldSet], [newSet], { groveApi: 'next', cluster: pool(12) }).ok).toBe(true);
  });
});

describe('predicates other than GPU count decide whether a sub-step fits (lib/cluster/predicates.ts)', () => {
  // one prefill and one decode replica of 3 pods with 8 GPUs each: 6 of 12 H100 nodes before the update
  const shape = { F: { replicas: 1, minAvailable: 1 }, P: { replicas: 2, minAvailable: 1 }, D: { replicas: 2, minAvailable: 1 } };
  const oldSet = updateOfAll(shape, { gpus: 8 })[0];

  test('untolerated taint: NEW drops the GPU toleration, so its pods find no node although 6 H100 nodes are free', () => {
    const newSet = updateOfAll(shape, { gpus: 8, tolerateGpuTaint: false })[1];
    const p = planRollout([oldSet], [newSet], { groveApi: 'next', cluster: h100(12) }).podCliqueSets[0];
    expect(p.notes.filter(x => x.includes('does not fit'))).toEqual([]);
    expect(p.steps[0].subSteps[0]).toMatchObject({ fits: false, gpusDown: 48 });
    expect(p.steps[0].subSteps[0].unfitReason).toMatch(/untolerated taint \{nvidia\.com\/gpu: present\}/);
    expect(p.stalls).toEqual([expect.objectContaining({ kind: 'never-progresses', step: 1, message: expect.stringContaining('untolerated taint {nvidia.com/gpu: present}') })]);
    // the same pods with the toleration fit (GPU count alone is no obstacle here)
    expect(planRollout([oldSet], [updateOfAll(shape, { gpus: 8 })[1]], { groveApi: 'next', cluster: h100(12) }).ok).toBe(true);
  });

  test('Insufficient cpu: NEW asks for more CPU than an H100 node has allocatable, with GPUs to spare', () => {
    // ND96isr_H100_v5: 96 vCPUs less AKS's reservation and the daemonsets leave about 94 cores
    const newSet = updateOfAll(shape, { gpus: 8, cpu: '95' })[1];
    const p = planRollout([oldSet], [newSet], { groveApi: 'next', cluster: h100(12) }).podCliqueSets[0];
    expect(p.steps[0].subSteps[0].fits).toBe(false);
    expect(p.steps[0].subSteps[0].unfitReason).toMatch(/Insufficient cpu/);
    expect(p.stalls[0].message).toContain('Insufficient cpu');
    expect(planRollout([oldSet], [updateOfAll(shape, { gpus: 8, cpu: '90' })[1]], { groveApi: 'next', cluster: h100(12) }).ok).toBe(true);
  });

  test('KAI node pool: NEW labels its cliques for the h200 node pool, whose shard has no nodes here', () => {
    // KAI needs a queue label on the set (lib/admission/scheduler.ts); the node-pool label picks the shard
    const kai = (pcs: any, nodePool?: string) => {
      pcs.metadata.labels = { 'kai.scheduler/queue': 'inference' };
      for (const c of pcs.spec.template.cliques) {
        c.spec.podSpec.schedulerName = 'kai-scheduler';
        c.labels = { 'kai.scheduler/queue': 'inference', ...(nodePool === undefined ? {} : { 'kai.scheduler/node-pool': nodePool }) };
      }
      return pcs;
    };
    const kaiOld = kai(updateOfAll(shape, { gpus: 8 })[0]);
    const kaiNew = kai(updateOfAll(shape, { gpus: 8 })[1], 'h200');
    const p = planRollout([kaiOld], [kaiNew], { groveApi: 'next', cluster: { ...h100(12), kaiShards: ['h200'] } }).podCliqueSets[0];
    expect(p.notes.filter(x => x.includes('does not fit'))).toEqual([]);
    expect(p.steps[0].subSteps[0].fits).toBe(false);
    expect(p.steps[0].subSteps[0].unfitReason).toMatch(/didn't match the KAI node pool h200/);
    // labelled for the default shard again, the same update fits
    expect(planRollout([kaiOld], [kai(updateOfAll(shape, { gpus: 8 })[1])], { groveApi: 'next', cluster: h100(12) }).ok).toBe(true);
  });
});

describe('an old version that does not fit (ai-dynamo/grove issue #840)', () => {
  const shape = { F: { replicas: 1, minAvailable: 1 }, P: { replicas: 2, minAvailable: 1 }, D: { replicas: 2, minAvailable: 1 } };
  const cluster = h100(2);

  test('next RollingRecreate: the pending pods use up the budget and the update never starts', () => {
    const [o, n] = updateOfAll(shape, { gpus: 8, strategy: 'RollingRecreate' });
    const p = planRollout([o], [n], { groveApi: 'next', cluster }).podCliqueSets[0];
    expect(p.notes[0]).toMatch(/old version does not fit/);
    expect(p.stalls.map(s => s.kind)).toContain('never-starts');
  });

  test('Coherent: no such stall (the plan rolls the pending units like the others)', () => {
    const [o, n] = updateOfAll(shape, { gpus: 8 });
    const p = planRollout([o], [n], { groveApi: 'next', cluster }).podCliqueSets[0];
    expect(p.stalls.map(s => s.kind)).not.toContain('never-starts');
  });
});

describe("GREP-393's strategy-flip safety (a Grove upgrade that makes Coherent the default)", () => {
  const shape = { F: { replicas: 4, minAvailable: 2 }, P: { replicas: 2, minAvailable: 1 } };

  test('RollingRecreate -> Coherent without budgets: the defaulted budget of 1 stays and the update is refused', () => {
    const report = planRollout([disaggSet(shape, {}, { strategy: 'RollingRecreate' })], [disaggSet(shape, { F: 'v2' })], { groveApi: 'next' });
    expect(report.ok).toBe(false);
    expect(report.podCliqueSets[0].stalls).toEqual([expect.objectContaining({
      kind: 'refused', message: expect.stringContaining('cliques[0].rollingUpdate.maxUnavailable: must not be less than minAvailable (2)'),
    })]);
  });

  test('the same flip with the budgets written (as the constructs always do) is allowed', () => {
    const withBudgets = { F: { ...shape.F, maxUnavailable: 2 }, P: { ...shape.P, maxUnavailable: 1 } };
    const report = planRollout([disaggSet(shape, {}, { strategy: 'RollingRecreate' })], [disaggSet(withBudgets, { F: 'v2' })], { groveApi: 'next' });
    expect(report.ok).toBe(true);
    expect(report.podCliqueSets[0].strategy).toBe('Coherent');
  });
});

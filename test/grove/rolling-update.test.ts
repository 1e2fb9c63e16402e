/**
 * Update strategy and rollingUpdate on the constructs, at both Grove API levels (lib/grove/rolling-update.ts;
 * GREP-393 "MaxUnavailable defaulting and validation", ai-dynamo/grove docs/proposals/393-coherent-rolling-updates/README.md).
 */
import { App, Chart, Testing } from 'cdk8s';
import { addLlmApps } from '../../apps/llm';
import { addGroveSamples } from '../../apps/grove-samples';
import { GroveOperatorConfig, PodCliqueSet, UpdateStrategyType } from '../../lib';
import { describeWithPreviewCrds, expectSchemaValid } from '../support/schema';
import { APP, catchValidation, synthPcs } from './helpers';

function chartAt(groveApi: 'pinned' | 'next'): Chart {
  const app = Testing.app();
  GroveOperatorConfig.set(app, { groveApi });
  return new Chart(app, 'test');
}

function disagg(chart: Chart, options: { strategy?: UpdateStrategyType; frontend?: number; prefill?: number; member?: number } = {}): PodCliqueSet {
  const pcs = new PodCliqueSet(chart, 'svc', { updateStrategy: options.strategy });
  pcs.addClique('frontend', { replicas: 4, minAvailable: 2, containers: [APP], rollingUpdate: options.frontend === undefined ? undefined : { maxUnavailable: options.frontend } });
  const prefill = pcs.addScalingGroup('prefill', { replicas: 3, minAvailable: 2, rollingUpdate: options.prefill === undefined ? undefined : { maxUnavailable: options.prefill } });
  prefill.addClique('leader', { containers: [APP], rollingUpdate: options.member === undefined ? undefined : { maxUnavailable: options.member } });
  prefill.addClique('worker', { replicas: 2, containers: [APP] });
  return pcs;
}

describe('at the next Grove API', () => {
  test('Coherent is written explicitly, with every standalone clique and scaling group budget at minAvailable', () => {
    const chart = chartAt('next');
    disagg(chart);
    const pcs = synthPcs(chart);
    expect(pcs.spec.updateStrategy).toEqual({ type: 'Coherent' });
    expect(pcs.spec.template.cliques.map((c: any) => [c.name, c.rollingUpdate])).toEqual([['frontend', { maxUnavailable: 2 }], ['leader', undefined], ['worker', undefined]]);
    expect(pcs.spec.template.podCliqueScalingGroups[0].rollingUpdate).toEqual({ maxUnavailable: 2 });
  });

  test('explicit budgets are kept; RollingRecreate writes 1; OnDelete writes none', () => {
    const a = chartAt('next');
    disagg(a, { frontend: 3, prefill: 3 });
    expect(synthPcs(a).spec.template.cliques[0].rollingUpdate).toEqual({ maxUnavailable: 3 });
    const b = chartAt('next');
    disagg(b, { strategy: UpdateStrategyType.ROLLING_RECREATE });
    expect(synthPcs(b).spec.template.podCliqueScalingGroups[0].rollingUpdate).toEqual({ maxUnavailable: 1 });
    const c = chartAt('next');
    disagg(c, { strategy: UpdateStrategyType.ON_DELETE });
    expect(synthPcs(c).spec.template.cliques[0].rollingUpdate).toBeUndefined();
  });

  test('case H at synth: a budget below minAvailable under Coherent fails on the clique, naming the field', () => {
    const chart = chartAt('next');
    disagg(chart, { frontend: 1 });
    const err = catchValidation(() => Testing.synth(chart));
    expect(err.problems).toEqual([expect.objectContaining({ constructPath: 'test/svc/frontend', field: expect.stringContaining('rollingUpdate.maxUnavailable') })]);
    expect(err.message).toContain('must not be less than minAvailable (2) under the Coherent update strategy');
  });

  test('case I at synth: rollingUpdate on a clique of a scaling group fails', () => {
    const chart = chartAt('next');
    disagg(chart, { member: 1 });
    expect(catchValidation(() => Testing.synth(chart)).problems).toEqual([expect.objectContaining({ constructPath: 'test/svc/prefill/leader', field: 'rollingUpdate' })]);
  });

  test('a budget under OnDelete would be ignored and fails at synth', () => {
    const chart = chartAt('next');
    disagg(chart, { strategy: UpdateStrategyType.ON_DELETE, prefill: 2 });
    expect(catchValidation(() => Testing.synth(chart)).problems).toEqual([expect.objectContaining({ constructPath: 'test/svc/prefill', field: 'rollingUpdate' })]);
  });

  test('a RollingRecreate budget of 0 can never progress and fails at synth', () => {
    const chart = chartAt('next');
    disagg(chart, { strategy: UpdateStrategyType.ROLLING_RECREATE, prefill: 0 });
    expect(catchValidation(() => Testing.synth(chart)).problems).toEqual([expect.objectContaining({ constructPath: 'test/svc/prefill', field: 'rollingUpdate.maxUnavailable', value: 0 })]);
  });
});

describe('at the pinned Grove API', () => {
  test('RollingRecreate is written explicitly and no rollingUpdate is rendered', () => {
    const chart = chartAt('pinned');
    disagg(chart);
    const pcs = synthPcs(chart);
    expect(pcs.spec.updateStrategy).toEqual({ type: 'RollingRecreate' });
    expect(JSON.stringify(pcs)).not.toContain('rollingUpdate');
    expectSchemaValid([pcs]);
  });

  test('Coherent and rollingUpdate need the next API: both fail at synth with the fix', () => {
    const chart = chartAt('pinned');
    disagg(chart, { strategy: UpdateStrategyType.COHERENT, frontend: 2 });
    const err = catchValidation(() => Testing.synth(chart));
    expect(err.problems.map(p => [p.constructPath, p.field])).toEqual([
      ['test/svc', 'updateStrategy'], ['test/svc/frontend', 'rollingUpdate'],
    ]);
    expect(err.message).toContain("groveApi: 'next'");
  });
});

function exampleApps(groveApi: 'pinned' | 'next'): any[] {
  const app = new App();
  GroveOperatorConfig.set(app, { groveApi });
  addLlmApps(app);
  addGroveSamples(app);
  return app.charts.flatMap(c => c.toJson());
}

describe('the example apps (apps/llm, apps/grove-samples)', () => {
  test('pinned: every PodCliqueSet writes RollingRecreate and stays valid against the pinned CRDs', () => {
    const objects = exampleApps('pinned');
    const sets = objects.filter(o => o.kind === 'PodCliqueSet');
    expect(sets.length).toBeGreaterThan(10);
    expect(sets.every(s => s.spec.updateStrategy?.type === 'RollingRecreate')).toBe(true);
    expectSchemaValid(objects);
  });
});

describeWithPreviewCrds('the example apps at the next Grove API', () => {
  test('every PodCliqueSet writes Coherent and a budget per component, and is valid against the preview CRDs', () => {
    const objects = exampleApps('next');
    const sets = objects.filter(o => o.kind === 'PodCliqueSet');
    expect(sets.every(s => s.spec.updateStrategy?.type === 'Coherent')).toBe(true);
    for (const s of sets) {
      const members = new Set(s.spec.template.podCliqueScalingGroups?.flatMap((g: any) => g.cliqueNames) ?? []);
      for (const c of s.spec.template.cliques) expect(c.rollingUpdate !== undefined).toBe(!members.has(c.name));
      for (const g of s.spec.template.podCliqueScalingGroups ?? []) expect(g.rollingUpdate.maxUnavailable).toBeGreaterThanOrEqual(g.minAvailable ?? 1);
    }
    expectSchemaValid(objects, 'next');
  });
});

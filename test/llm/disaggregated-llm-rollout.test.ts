/**
 * The rollout a DisaggregatedLlm gets from its defaults (lib/llm/disaggregated-llm.ts, "Rollouts"): at the next Grove
 * API, Coherent with each role's budget at its minAvailable (1 instance), so each step takes one prefill + decode
 * unit down and GREP-393's even tail split brings the roles back in their ratio; nothing is stranded between steps.
 */
import { App, Chart } from 'cdk8s';
import { DisaggregatedLlm, GroveOperatorConfig } from '../../lib';
import { planRollout } from '../../lib/rollout';

function synth(image: string, sizes: { frontend: number; prefill: number; decode: number; tp?: number }): any {
  const app = new App();
  GroveOperatorConfig.set(app, { groveApi: 'next' });
  const chart = new Chart(app, 'c');
  new DisaggregatedLlm(chart, 'llm', {
    model: 'Qwen/Qwen3-0.6B',
    frontend: { replicas: sizes.frontend },
    prefill: { replicas: sizes.prefill, image, tensorParallel: sizes.tp },
    decode: { replicas: sizes.decode, image, tensorParallel: sizes.tp },
  });
  return chart.toJson().find(o => o.kind === 'PodCliqueSet');
}

describe.each([
  { frontend: 2, prefill: 2, decode: 4 },
  { frontend: 3, prefill: 3, decode: 3 },
  { frontend: 2, prefill: 2, decode: 2, tp: 16 }, // multi-node: prefill and decode are scaling groups
])('DisaggregatedLlm %j, new worker image', sizes => {
  const before = synth('registry.example/worker:1', sizes);
  const after = synth('registry.example/worker:2', sizes);
  const pcs = planRollout([before], [after], { groveApi: 'next' }).podCliqueSets[0];

  test('Coherent, written explicitly, with budgets at minAvailable; only the workers roll', () => {
    expect(after.spec.updateStrategy).toEqual({ type: 'Coherent' });
    expect(pcs.strategy).toBe('Coherent');
    expect(pcs.components.filter(c => c.inScope).map(c => [c.name, c.minAvailable, c.maxUnavailable])).toEqual([['prefill', 1, 1], ['decode', 1, 1]]);
    expect(pcs.stalls).toEqual([]);
  });

  test('no capacity is stranded between steps, and each step keeps all units but one serving', () => {
    const full = pcs.before.old;
    expect(pcs.steps.map(s => s.after.strandedPods)).toEqual(pcs.steps.map(() => 0));
    expect(pcs.steps.map(s => s.after.old + s.after.new)).toEqual(pcs.steps.map(() => full));
    expect(Math.min(...pcs.steps.map(s => s.serving.old + s.serving.new))).toBe(full - 1);
  });
});

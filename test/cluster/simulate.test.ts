/**
 * The simulation's stages and the function for rollout steps (placeGangs onto a cluster with capacity in use),
 * and the LLM role defaults against a node's allocatable.
 */
import { App, Chart } from 'cdk8s';
import { DisaggregatedLlm, Scheduler } from '../../lib';
import { gpuPool, placeGangs, readWorkload, simulate } from '../../lib/cluster';
import { nodeSkus } from '../../lib/catalog';
import { clique, container, GPU_TOLERATION, h100, pcs } from './fixtures';

const gpuClique = (name: string, gpus: number, replicas = 1) => clique(name, { tolerations: [GPU_TOLERATION], containers: [container({ 'nvidia.com/gpu': gpus })] }, replicas);

test('placeGangs onto a cluster with pods already running uses only the free capacity', () => {
  const first = placeGangs(h100(2), readWorkload(pcs('a', [gpuClique('w', 8)])).template);
  expect(first.fits).toBe(true);
  const second = readWorkload(pcs('b', [gpuClique('w', 8, 2)])).template;
  // one node is taken: two more 8-GPU pods do not fit
  const onTop = placeGangs(h100(2), second, first.placements);
  expect(onTop.fits).toBe(false);
  expect(onTop.unplaced[0].pendingPod?.message).toBe('0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  // on an empty cluster they do, and only the new pods are returned
  const alone = placeGangs(h100(2), second);
  expect(alone.placements.map(p => [p.pod.name, p.node])).toEqual([['b-0-w-0', 'Standard_ND96isr_H100_v5-0'], ['b-0-w-1', 'Standard_ND96isr_H100_v5-1']]);
});

test('base gangs of every PodCliqueSet go before any scaled gang; a scaled gang waits for its base gang', () => {
  const group = { name: 'g', cliqueNames: ['w'], replicas: 2, minAvailable: 1 };
  const a = readWorkload(pcs('a', [gpuClique('w', 8)], { groups: [group] }));
  const b = readWorkload(pcs('b', [gpuClique('w', 8)]));
  const sim = simulate(h100(2), [a, b]);
  expect(sim.base.placed).toEqual(['a-0', 'b-0']);
  expect(sim.template.unplaced.map(u => u.gang)).toEqual(['a-0-g-0']);
  const none = simulate(h100(0), [a]);
  expect(none.template.unplaced[0].reason).toBe('gang a-0-g-0 waits for its base gang a-0, which was not placed');
});

describe('LLM role defaults leave room on a node for the daemonsets', () => {
  test.each(nodeSkus().map(s => [s.name]))('%s: a full-node worker and the frontend share one node', sku => {
    const s = nodeSkus().find(x => x.name === sku)!;
    const chart = new Chart(new App(), 'c');
    new DisaggregatedLlm(chart, 'llm', {
      model: 'Qwen/Qwen3-0.6B', nodeSku: sku, infiniband: false, scheduler: Scheduler.kai({ queue: 'q' }),
      prefill: { tensorParallel: s.gpusPerNode }, decode: { tensorParallel: s.gpusPerNode },
    });
    const w = readWorkload(chart.toJson().find(o => o.kind === 'PodCliqueSet'));
    // prefill, decode and frontend on two nodes: each worker takes a whole node's GPUs, with the frontend beside one
    const sim = simulate({ pools: [gpuPool(sku, 2)] }, [w]);
    expect([sku, sim.base.fits, sim.base.unplaced.map(u => u.reason)]).toEqual([sku, true, []]);
  });
});

import { allQueues, kaiPlacementOf, leafQueues, renderQueue, sortQueues, validateQueues } from '../../infra/kai-queue';
import { tinyPodCliqueSet } from './fixtures';

describe('KAI queues', () => {
  test('sortQueues puts parents before children, keeping the order otherwise', () => {
    const sorted = sortQueues([{ name: 'c', parentQueue: 'b' }, { name: 'x' }, { name: 'b', parentQueue: 'a' }, { name: 'a' }]);
    expect(sorted.map(q => q.name)).toEqual(['a', 'b', 'c', 'x']);
  });

  test('leafQueues of allQueues: the queues that accept workloads, KAI\'s default queue included when created', () => {
    const queues = [{ name: 'team' }, { name: 'inference', parentQueue: 'team' }];
    expect(leafQueues(allQueues(queues, true)).map(q => q.name)).toEqual(['inference', 'default-queue']);
    expect(leafQueues(allQueues(queues, false)).map(q => q.name)).toEqual(['inference']);
  });

  test('validateQueues finds cycles, unknown parents, redefined built-ins and bad numbers', () => {
    const problems = validateQueues([
      { name: 'a', parentQueue: 'b' },
      { name: 'b', parentQueue: 'a' },
      { name: 'default-queue' },
      { name: 'c', parentQueue: 'nope', gpu: { quota: -2 } },
    ], { nodePools: [], defaultQueues: true });
    expect(problems.map(p => p.propertyPath)).toEqual([
      'queues[2].name',
      'queues[3].gpu.quota',
      'queues[0].parentQueue',
      'queues[1].parentQueue',
      'queues[3].parentQueue',
    ]);
    expect(problems[2].reason).toBe('queue "a" is its own ancestor; break the cycle');
  });

  test('a child of KAI\'s default parent queue is valid when KAI creates it', () => {
    expect(validateQueues([{ name: 'q', parentQueue: 'default-parent-queue' }], { nodePools: [], defaultQueues: true })).toEqual([]);
    expect(validateQueues([{ name: 'q', parentQueue: 'default-parent-queue' }], { nodePools: [], defaultQueues: false })).toHaveLength(1);
  });

  test('renderQueue leaves unset optional fields out', () => {
    expect(renderQueue({ name: 'q' })).toEqual({
      apiVersion: 'scheduling.run.ai/v2',
      kind: 'Queue',
      metadata: { name: 'q' },
      spec: { resources: {
        gpu: { quota: -1, limit: -1, overQuotaWeight: 1 },
        cpu: { quota: -1, limit: -1, overQuotaWeight: 1 },
        memory: { quota: -1, limit: -1, overQuotaWeight: 1 },
      } },
    });
  });
});

describe('kaiPlacementOf', () => {
  test('reads the queue from the PodCliqueSet label, else its annotation, else the cliques\' single label', () => {
    const pcs = tinyPodCliqueSet({ queue: 'q1' });
    expect(kaiPlacementOf(pcs)).toEqual({ usesKai: true, queue: 'q1', nodePool: 'h100' });

    delete pcs.metadata.labels['kai.scheduler/queue'];
    expect(kaiPlacementOf(pcs).queue).toBe('q1');

    pcs.metadata.annotations = { 'kai.scheduler/queue': 'q2' };
    expect(kaiPlacementOf(pcs).queue).toBe('q2');

    delete pcs.metadata.annotations;
    pcs.spec.template.cliques[0].labels['kai.scheduler/queue'] = 'other';
    expect(kaiPlacementOf(pcs).queue).toBeUndefined();
  });

  test('only cliques with schedulerName kai-scheduler count as KAI-scheduled', () => {
    expect(kaiPlacementOf(tinyPodCliqueSet({ schedulerName: 'default-scheduler' })).usesKai).toBe(false);
  });
});

import { GroveValidationError } from '../../lib/errors';
import { fitGangs, fitPodCliqueSets, nodesNeeded, podCliqueSetGangs } from '../../lib/catalog';
import { clique, multiNode, pcs } from './fixtures';

const H100 = 'Standard_ND96isr_H100_v5';
const H200 = 'Standard_ND96isr_H200_v5';
const NC_H100 = 'Standard_NC80adis_H100_v5';
const GB200 = 'Standard_ND128isr_NDR_GB200_v6';

describe('1-GPU pods', () => {
  const gangs = podCliqueSetGangs(pcs('agg', 2, [clique('worker', { replicas: 3, gpus: 1 })])).gangs;

  test('two 3-pod gangs share one 8-GPU node and strand 2 GPUs', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 1 }]);
    expect(result).toMatchObject({
      fits: true,
      nodesUsed: { [H100]: 1 },
      gpusUsed: 6,
      gpusStranded: 2,
      placed: ['agg-0', 'agg-1'],
      unplaced: [],
    });
    expect(result.message).toBe(`fits: 2 gang(s), 6 GPU(s) on 1 of 1 ${H100} node(s); 2 GPU(s) stranded`);
  });

  test('on 2-GPU nodes they need three nodes', () => {
    expect(nodesNeeded(gangs[0], NC_H100)).toBe(2);
    const result = fitGangs(gangs, [{ sku: NC_H100, nodes: 3 }]);
    expect(result).toMatchObject({ fits: true, nodesUsed: { [NC_H100]: 3 }, gpusStranded: 0 });
  });

  test('fails when the second gang finds only 2 free GPUs', () => {
    const result = fitGangs(gangs, [{ sku: NC_H100, nodes: 2 }]);
    expect(result.fits).toBe(false);
    expect(result.placed).toEqual(['agg-0']);
    expect(result.unplaced).toEqual([{
      gang: 'agg-1',
      kind: 'base',
      pods: 3,
      gpus: 3,
      nodesNeeded: [{ pool: NC_H100, sku: NC_H100, nodes: 2 }],
      reason: `gang agg-1 (3 pod(s), 3 GPU(s)) does not fit: needs 2 ${NC_H100} node(s) on its own; pool ${NC_H100} has 0 empty of 2 node(s) and 1 free GPU(s)`,
    }]);
  });
});

describe('2-node tp=16 leader/worker PCSG (replicas 2, minAvailable 1)', () => {
  const gangs = podCliqueSetGangs(multiNode()).gangs;

  test('each gang needs two 8-GPU nodes', () => {
    expect(gangs.map(g => [g.name, g.gpus])).toEqual([['llm-0', 16], ['llm-0-dec-0', 16]]);
    expect(nodesNeeded(gangs[0], H100)).toBe(2);
    expect(nodesNeeded(gangs[1], H200)).toBe(2);
  });

  test('fails for SKUs with fewer GPUs per node than a pod requests', () => {
    expect(() => nodesNeeded(gangs[0], NC_H100)).toThrow(GroveValidationError);
    expect(() => nodesNeeded(gangs[0], GB200)).toThrow(/requests 8 GPUs but Standard_ND128isr_NDR_GB200_v6 has 4 per node; a pod never spans nodes/);
  });

  test('fits on four H100 nodes with nothing stranded', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 4 }]);
    expect(result).toMatchObject({ fits: true, nodesUsed: { [H100]: 4 }, gpusUsed: 32, gpusStranded: 0, placed: ['llm-0', 'llm-0-dec-0'] });
  });

  test('on three nodes the scaled gang does not fit, and the message says what it needs', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 3 }]);
    expect(result.fits).toBe(false);
    expect(result.placed).toEqual(['llm-0']);
    expect(result.unplaced.map(u => [u.gang, u.kind, u.pods, u.gpus, u.nodesNeeded])).toEqual([
      ['llm-0-dec-0', 'scaled', 2, 16, [{ pool: H100, sku: H100, nodes: 2 }]],
    ]);
    expect(result.message).toBe(`does not fit: 1 gang(s) not placed (1 placed, on 2 of 3 ${H100} node(s)); `
      + `gang llm-0-dec-0 (2 pod(s), 16 GPU(s)) does not fit: needs 2 ${H100} node(s) on its own; pool ${H100} has 1 empty of 3 node(s) and 8 free GPU(s)`);
  });

  test('base gangs of all PCS replicas are placed before any scaled gang', () => {
    // GIVEN 2 PCS replicas on 5 nodes: both base gangs (4 nodes) fit, no scaled gang does
    const result = fitGangs(podCliqueSetGangs(multiNode({ pcsReplicas: 2 })).gangs, [{ sku: H100, nodes: 5 }]);
    expect(result.placed).toEqual(['llm-0', 'llm-1']);
    expect(result.unplaced.map(u => u.gang)).toEqual(['llm-0-dec-0', 'llm-1-dec-0']);
    expect(result.gpusUsed).toBe(32);
  });

  test('the order of the input does not matter: scaled gangs still come last', () => {
    const shuffled = [...podCliqueSetGangs(multiNode({ pcsReplicas: 2 })).gangs].reverse();
    expect(fitGangs(shuffled, [{ sku: H100, nodes: 5 }]).placed).toEqual(['llm-1', 'llm-0']);
  });

  test('a scaled gang waits for its base gang', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 1 }]);
    expect(result.placed).toEqual([]);
    expect(result.unplaced.map(u => u.reason)).toEqual([
      `gang llm-0 (3 pod(s), 16 GPU(s)) does not fit: needs 2 ${H100} node(s) on its own; pool ${H100} has 1 empty of 1 node(s) and 8 free GPU(s)`,
      'gang llm-0-dec-0 waits for its base gang llm-0, which was not placed',
    ]);
  });

  test('a gang may use several pools, first pool first', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 1 }, { sku: H200, nodes: 3 }]);
    expect(result).toMatchObject({ fits: true, nodesUsed: { [H100]: 1, [H200]: 3 } });
  });
});

describe('placement order', () => {
  test('fitGangs releases base gangs of every PodCliqueSet before any scaled gang', () => {
    // GIVEN the gangs of two PodCliqueSets, concatenated per set
    const gangs = [...podCliqueSetGangs(multiNode()).gangs, ...podCliqueSetGangs(pcs('a', 1, [clique('w', { gpus: 8 })])).gangs];
    expect(gangs.map(g => g.name)).toEqual(['llm-0', 'llm-0-dec-0', 'a-0']);
    // WHEN 4 nodes exist
    const result = fitGangs(gangs, [{ sku: H100, nodes: 4 }]);
    // THEN a-0 takes a node before the scaled gang, which then finds only one
    expect(result.placed).toEqual(['llm-0', 'a-0']);
    expect(result.unplaced.map(u => u.gang)).toEqual(['llm-0-dec-0']);
  });

  test('first-fit decreasing packs 3+3+5+5 GPUs onto two 8-GPU nodes', () => {
    // GIVEN a gang whose smaller pods come first in the manifest
    const gangs = podCliqueSetGangs(pcs('mix', 1, [clique('small', { replicas: 2, gpus: 3 }), clique('large', { replicas: 2, gpus: 5 })])).gangs;
    expect(gangs[0].pods.map(p => p.gpus)).toEqual([3, 3, 5, 5]);
    // THEN largest-first placement needs two nodes (in manifest order it would need three)
    expect(nodesNeeded(gangs[0], H100)).toBe(2);
    expect(fitGangs(gangs, [{ sku: H100, nodes: 2 }])).toMatchObject({ fits: true, gpusStranded: 0 });
  });
});

describe('a pod asking 9 GPUs on an 8-GPU SKU', () => {
  const gangs = podCliqueSetGangs(pcs('big', 1, [clique('huge', { gpus: 9 })])).gangs;

  test('can never fit, however many nodes there are', () => {
    const result = fitGangs(gangs, [{ sku: H100, nodes: 100 }]);
    expect(result.fits).toBe(false);
    expect(result.unplaced).toEqual([{
      gang: 'big-0',
      kind: 'base',
      pods: 1,
      gpus: 9,
      nodesNeeded: [],
      reason: `pod big-0-huge-0 requests 9 GPUs but ${H100} has 8 per node; a pod never spans nodes, so it can never be scheduled`,
    }]);
    expect(result.nodesUsed).toEqual({ [H100]: 0 });
  });

  test('nodesNeeded refuses it with a fix', () => {
    let error: GroveValidationError | undefined;
    try {
      nodesNeeded(gangs[0], H100);
    } catch (e) {
      error = e as GroveValidationError;
    }
    expect(error?.problems).toEqual([{
      constructPath: 'PodGang/big-0',
      field: 'pods[big-0-huge-0]',
      message: `requests 9 GPUs but ${H100} has 8 per node; a pod never spans nodes, so it can never be scheduled`,
      value: 9,
      fix: 'request at most 8 GPUs per pod (split the model over more pods) or use a SKU with more GPUs per node',
    }]);
  });
});

describe('autoscaler maximum', () => {
  /** Decode PCSG (2 x 8 GPUs per replica, replicas 2, HPA max 4) plus a prefill clique (2 x 4 GPUs, HPA max 5). */
  function disagg(): any {
    const obj = multiNode({ hpaMax: 4 });
    obj.spec.template.cliques.push(clique('prefill', { replicas: 2, gpus: 4, hpaMax: 5 }));
    return obj;
  }

  test('initially 5 nodes; the growth is 3 prefill pods and 2 scaled gangs', () => {
    const plan = fitPodCliqueSets([disagg()], [{ sku: H100, nodes: 11 }]);
    expect(plan.initial).toMatchObject({ fits: true, nodesUsed: { [H100]: 5 }, gpusUsed: 40 });
    expect(plan.growth).toEqual({ scaledGangs: 2, scaledGangsPlaced: 2, pods: 3, podsPlaced: 3 });
    expect(plan.atMaximum).toMatchObject({ fits: true, nodesUsed: { [H100]: 11 }, gpusUsed: 84, gpusStranded: 4 });
    expect(plan.atMaximum.placed).toEqual(['llm-0', 'llm-0-dec-0', 'llm-0-dec-1', 'llm-0-dec-2']);
  });

  test('how far it can go on 10 nodes: all prefill pods, one of two extra scaled gangs', () => {
    const plan = fitPodCliqueSets([disagg()], [{ sku: H100, nodes: 10 }]);
    expect(plan.initial.fits).toBe(true);
    expect(plan.growth).toEqual({ scaledGangs: 2, scaledGangsPlaced: 1, pods: 3, podsPlaced: 3 });
    expect(plan.atMaximum.fits).toBe(false);
    expect(plan.atMaximum.unplaced.map(u => [u.gang, u.kind, u.nodesNeeded[0].nodes])).toEqual([['llm-0-dec-2', 'scaled', 2]]);
    expect(plan.message).toMatch(/^initial: fits: 2 gang\(s\), 40 GPU\(s\) on 5 of 10 .*; at the autoscaler maximum \(1 of 2 extra scaled gang\(s\) and 3 of 3 autoscaled pod\(s\) fit\): does not fit/);
  });

  test('with no headroom, the autoscaled pods are reported together', () => {
    const plan = fitPodCliqueSets([disagg()], [{ sku: H100, nodes: 5 }]);
    expect(plan.initial.fits).toBe(true);
    expect(plan.growth).toEqual({ scaledGangs: 2, scaledGangsPlaced: 0, pods: 3, podsPlaced: 0 });
    expect(plan.atMaximum.unplaced[0]).toEqual({
      gang: 'llm-0',
      kind: 'autoscaled-pods',
      pods: 3,
      gpus: 12,
      nodesNeeded: [{ pool: H100, sku: H100, nodes: 2 }],
      reason: `3 of 3 autoscaled pod(s) of gang llm-0 (12 GPU(s)) do not fit: needs 2 ${H100} node(s) on its own; pool ${H100} has 0 empty of 5 node(s) and 0 free GPU(s)`,
    });
    expect(plan.atMaximum.unplaced.map(u => u.gang)).toEqual(['llm-0', 'llm-0-dec-1', 'llm-0-dec-2']);
  });

  test('several PodCliqueSets: all base gangs first', () => {
    const a = pcs('a', 1, [clique('w', { gpus: 8 })]);
    const plan = fitPodCliqueSets([multiNode(), a], [{ sku: H100, nodes: 3 }]);
    expect(plan.initial.placed).toEqual(['llm-0', 'a-0']);
    expect(plan.initial.unplaced.map(u => u.gang)).toEqual(['llm-0-dec-0']);
    expect(plan.growth).toEqual({ scaledGangs: 0, scaledGangsPlaced: 0, pods: 0, podsPlaced: 0 });
    expect(plan.atMaximum.message).toMatch(/^at the autoscaler maximum \(no autoscaler headroom configured\): does not fit/);
  });
});

describe('node selectors and pools', () => {
  test('an agent-pool selector keeps a gang in that pool', () => {
    const obj = pcs('pinned', 1, [clique('w', { replicas: 2, gpus: 8, nodeSelector: { 'kubernetes.azure.com/agentpool': 'h100b' } })]);
    const pools = [{ sku: H100, nodes: 4, name: 'h100a' }, { sku: H100, nodes: 2, name: 'h100b' }];
    expect(fitGangs(podCliqueSetGangs(obj).gangs, pools)).toMatchObject({ fits: true, nodesUsed: { h100a: 0, h100b: 2 } });
  });

  test('an instance-type selector keeps a gang on that SKU', () => {
    const obj = pcs('sku', 1, [clique('w', { replicas: 2, gpus: 8, nodeSelector: { 'node.kubernetes.io/instance-type': H200 } })]);
    const result = fitGangs(podCliqueSetGangs(obj).gangs, [{ sku: H100, nodes: 4 }, { sku: H200, nodes: 1 }]);
    expect(result.fits).toBe(false);
    expect(result.unplaced[0].nodesNeeded).toEqual([{ pool: H200, sku: H200, nodes: 2 }]);
  });

  test('a selector that matches no pool can never fit', () => {
    const obj = pcs('lost', 1, [clique('w', { gpus: 1, nodeSelector: { 'kubernetes.azure.com/agentpool': 'gone' } })]);
    const result = fitGangs(podCliqueSetGangs(obj).gangs, [{ sku: H100, nodes: 4 }]);
    expect(result.unplaced[0].reason).toBe('pod lost-0-w-0 has node selector {"kubernetes.azure.com/agentpool":"gone"} that matches no pool');
  });

  test('CPU-only gangs need no GPU nodes', () => {
    const result = fitGangs(podCliqueSetGangs(pcs('cpu', 1, [clique('router', { replicas: 3 })])).gangs, []);
    expect(result).toMatchObject({ fits: true, placed: ['cpu-0'], gpusUsed: 0 });
    expect(result.message).toBe('fits: 1 gang(s), 0 GPU(s) on no pools; 0 GPU(s) stranded');
  });

  test('fails on unknown SKUs, bad node counts and duplicate pool names', () => {
    expect(() => fitGangs([], [{ sku: 'Standard_D4s_v5', nodes: 1 }])).toThrow(/unknown GPU node SKU.*use one of Standard_ND96isr_H100_v5/);
    expect(() => fitGangs([], [{ sku: H100, nodes: -1 }])).toThrow(/pools\[0\].nodes: must be a whole number >= 0/);
    expect(() => fitGangs([], [{ sku: H100, nodes: 1 }, { sku: H100, nodes: 2 }])).toThrow(/duplicate pool name.*give pools of the same SKU distinct names/);
  });
});

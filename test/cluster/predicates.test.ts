/**
 * One minimal case per filter: one gang, one reason, in kube-scheduler's words (kubernetes
 * pkg/scheduler/framework/plugins/{tainttoleration,nodeaffinity,noderesources}) or KAI's shard filter
 * (NVIDIA/KAI-Scheduler pkg/scheduler/conf/scheduler_conf.go).
 */
import { ClusterModel, gpuPool, placeGangs, readWorkload, tolerates } from '../../lib/cluster';
import { clique, container, cpuPool, GPU_TOLERATION, H100, h100, pcs } from './fixtures';

/** Places the one gang of a PodCliqueSet; returns the scheduler's message for the pod left pending. */
function pending(model: ClusterModel, obj: unknown): string | undefined {
  const w = readWorkload(obj);
  const result = placeGangs(model, w.template);
  if (result.fits) return undefined;
  expect(result.placements).toEqual([]); // all or nothing
  return result.unplaced[0].pendingPod?.message;
}

const gpuPod = (extra: Record<string, unknown> = {}) => ({ tolerations: [GPU_TOLERATION], containers: [container({ 'nvidia.com/gpu': 8 })], ...extra });

describe('one gang, one reason', () => {
  test('TaintToleration: a GPU pod without the toleration', () => {
    expect(pending(h100(2), pcs('a', [clique('w', { containers: [container({ 'nvidia.com/gpu': 8 })] })])))
      .toBe('0/2 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}.');
  });

  test('NodeAffinity: a node selector no node matches', () => {
    expect(pending(h100(2), pcs('a', [clique('w', gpuPod({ nodeSelector: { 'node.kubernetes.io/instance-type': 'Standard_ND96isr_H200_v5' } }))])))
      .toBe("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
  });

  test('NodeAffinity: required node affinity (In) no node matches; a matching term places', () => {
    const affinity = (values: string[]) => ({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.azure.com/agentpool', operator: 'In', values }] }] } },
    });
    expect(pending(h100(1), pcs('a', [clique('w', gpuPod({ affinity: affinity(['other']) }))])))
      .toBe("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
    expect(pending(h100(1), pcs('a', [clique('w', gpuPod({ affinity: affinity(['Standard_ND96isr_H100_v5']) }))]))).toBeUndefined();
  });

  test('KAI shard: a gang labelled for node pool h100 on nodes of the default shard', () => {
    const kai = gpuPod({ schedulerName: 'kai-scheduler' });
    expect(pending(h100(2), pcs('a', [clique('w', kai)], { labels: { 'kai.scheduler/node-pool': 'h100' } })))
      .toBe("0/2 nodes are available: 2 node(s) didn't match the KAI node pool h100.");
    // and a gang of the default shard on labelled nodes
    expect(pending(h100(2, { kaiNodePool: 'h100' }), pcs('a', [clique('w', kai)])))
      .toBe("0/2 nodes are available: 2 node(s) didn't match the KAI default node pool.");
    // the default scheduler does not shard
    expect(pending(h100(2, { kaiNodePool: 'h100' }), pcs('a', [clique('w', gpuPod())]))).toBeUndefined();
  });

  test.each([
    ['cpu', { cpu: '100' }, 'Insufficient cpu'],
    ['memory', { memory: '2000Gi' }, 'Insufficient memory'],
    ['nvidia.com/gpu', { 'nvidia.com/gpu': 9 }, 'Insufficient nvidia.com/gpu'],
    ['rdma/ib (not advertised)', { 'rdma/ib': 1 }, 'Insufficient rdma/ib'],
  ])('NodeResourcesFit: %s', (_, requests, reason) => {
    expect(pending(h100(1), pcs('a', [clique('w', { tolerations: [GPU_TOLERATION], containers: [container(requests)] })])))
      .toBe(`0/1 nodes are available: 1 ${reason}.`);
  });

  test('NodeResourcesFit: ephemeral storage where the node states it, and not checked where it does not', () => {
    const spec = { containers: [container({ 'ephemeral-storage': '20Gi' })] };
    expect(pending({ pools: [cpuPool('c', 1, { cpu: 4, memory: 2 ** 34, 'ephemeral-storage': 10 * 2 ** 30 })] }, pcs('a', [clique('w', spec)])))
      .toBe('0/1 nodes are available: 1 Insufficient ephemeral-storage.');
    expect(pending({ pools: [cpuPool('c', 1, { cpu: 4, memory: 2 ** 34 })] }, pcs('a', [clique('w', spec)]))).toBeUndefined();
  });

  test('NodeResourcesFit: Too many pods', () => {
    const model = { pools: [cpuPool('c', 1, { cpu: 64, memory: 2 ** 40, pods: 2 })] };
    expect(pending(model, pcs('a', [clique('w', { containers: [container({ cpu: '1' })] }, 3)]))).toBe('0/1 nodes are available: 1 Too many pods.');
  });

  test('pack.required: host keeps a 16-GPU scaling group on one 8-GPU node, which cannot be', () => {
    const obj = pcs('a', [clique('r', gpuPod(), 2)], { groups: [{ name: 'g', cliqueNames: ['r'], topologyConstraint: { packDomain: 'host' } }] });
    expect(pending(h100(2), obj)).toBe('0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) were outside the host domain scaling group g replica 0 is packed into.');
  });

  test('all or nothing: a gang whose second pod finds no node places none', () => {
    const obj = pcs('a', [clique('w', gpuPod(), 2)]);
    const result = placeGangs(h100(1), readWorkload(obj).template);
    expect(result.fits).toBe(false);
    expect(result.placements).toEqual([]);
    expect(result.pools[0].gpusUsed).toBe(0);
  });
});

describe('tolerates (k8s.io/api core/v1 toleration.go)', () => {
  const taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' as const };
  test.each([
    [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'nvidia.com/gpu', value: 'present' }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'absent' }, false],
    [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'sku', operator: 'Exists' }, false],
    [{ value: 'present' }, false],
  ])('%j tolerates nvidia.com/gpu=present:NoSchedule: %s', (t, expected) => {
    expect(tolerates(t, taint)).toBe(expected);
  });
});

test('pack.required: zone keeps a gang in one zone (topology.kubernetes.io/zone); nodes without a zone are one', () => {
  const obj = pcs('a', [clique('w', gpuPod(), 2)], { topologyConstraint: { packDomain: 'zone' } });
  const split = { pools: [gpuPool(H100, 1, { name: 'z1', zone: '1' }), gpuPool(H100, 1, { name: 'z2', zone: '2' })] };
  expect(pending(split, obj)).toBe('0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) were outside the zone domain gang a-0 is packed into.');
  expect(pending({ pools: [gpuPool(H100, 2, { zone: '1' })] }, obj)).toBeUndefined();
  expect(pending(h100(2), obj)).toBeUndefined();
});

test('KAI shard: a node pool without a SchedulingShard is never scheduled, even where nodes carry its label', () => {
  const obj = pcs('a', [clique('w', gpuPod({ schedulerName: 'kai-scheduler' }))], { labels: { 'kai.scheduler/node-pool': 'h200' } });
  const model = { pools: [gpuPool(H100, 1, { kaiNodePool: 'h200' })], kaiShards: ['h100'] };
  const result = placeGangs(model, readWorkload(obj).template);
  expect(result.unplaced[0].reason).toBe('gang a-0 (1 pod(s), 8 GPU(s)) cannot be placed: no KAI SchedulingShard has partitionLabelValue h200 '
    + '(the cluster\'s shards: default, h100), so no scheduler picks up the gang');
  expect(placeGangs({ ...model, kaiShards: ['h200'] }, readWorkload(obj).template).fits).toBe(true);
});

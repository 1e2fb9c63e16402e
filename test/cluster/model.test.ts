/**
 * The cluster model: a GpuNodePool's nodes (labels, taint, allocatable after AKS's reservations and the daemonsets),
 * with the figures' sources (AKS node-resource-reservations.md table and formula; lib/cluster/model.ts).
 */
import { aksReservedCpu, aksReservedMemory, gpuPool, modelNodes } from '../../lib/cluster';
import { nodeSkus } from '../../lib/catalog';
import { H100 } from './fixtures';

describe('AKS reservations', () => {
  test.each([[1, 0.06], [2, 0.1], [4, 0.14], [8, 0.18], [16, 0.26], [32, 0.42], [64, 0.74], [96, 1.06]])('%d cores reserve %d CPU', (cores, cpu) => {
    expect(aksReservedCpu(cores)).toBeCloseTo(cpu, 6);
  });

  test('memory: the lesser of 20 MB x max pods + 50 MB and 25 %, plus the 100Mi eviction threshold (AKS 1.29+)', () => {
    // the docs' example: 8 GB and 30 pods reserve 650 MB
    expect(aksReservedMemory(8e9, 30)).toBe(650e6 + 100 * 2 ** 20);
    // 4 GB and 70 pods: 25 % (1 GB) is less than 1450 MB
    expect(aksReservedMemory(4e9, 70)).toBe(1e9 + 100 * 2 ** 20);
  });
});

describe('gpuPool: the pool a GpuNodePool creates with its defaults', () => {
  const pool = gpuPool(H100, 2, { name: 'h100', kaiNodePool: 'h100', zone: '1' });

  test('AKS labels, the KAI node-pool label, the GPU taint', () => {
    expect(pool.labels).toMatchObject({
      'kubernetes.azure.com/agentpool': 'h100',
      'node.kubernetes.io/instance-type': H100,
      'kubernetes.azure.com/accelerator': 'nvidia',
      'topology.kubernetes.io/zone': '1',
      'kai.scheduler/node-pool': 'h100',
    });
    expect(pool.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(gpuPool(H100, 1).labels['kai.scheduler/node-pool']).toBeUndefined();
  });

  test('ND96isr_H100_v5 allocatable: 96 vCPUs - 1.06 reserved - 1 for daemonsets; 1900 GiB - 2250 MB - 100 Mi - 4 GiB; 110 - 20 pods; 8 GPUs', () => {
    expect(pool.allocatable.cpu).toBeCloseTo(93.94, 6);
    expect(pool.allocatable.memory).toBe(Math.floor(1900 * 2 ** 30 - 2250e6 - 100 * 2 ** 20 - 4 * 2 ** 30));
    expect(pool.allocatable.pods).toBe(90);
    expect(pool.allocatable['nvidia.com/gpu']).toBe(8);
    expect(pool.allocatable['rdma/ib']).toBeUndefined();
  });

  test.each(nodeSkus().map(s => [s.name]))('%s: allocatable is below capacity and positive', name => {
    const sku = nodeSkus().find(s => s.name === name)!;
    const p = gpuPool(sku, 1);
    expect(p.allocatable.cpu).toBeGreaterThan(0);
    expect(p.allocatable.cpu).toBeLessThan(sku.vcpus);
    expect(p.allocatable.memory).toBeLessThan(sku.memoryGiB * 2 ** 30);
  });

  test('nodes: names, hostname labels and domains (NVLink per node on HGX, one InfiniBand domain per pool)', () => {
    const nodes = modelNodes({ pools: [pool] });
    expect(nodes.map(n => [n.name, n.labels['kubernetes.io/hostname'], n.nvlinkDomain, n.infinibandDomain])).toEqual([
      ['h100-0', 'h100-0', 'h100-0', 'h100/ib'],
      ['h100-1', 'h100-1', 'h100-1', 'h100/ib'],
    ]);
    const gb = modelNodes({ pools: [gpuPool('Standard_ND128isr_NDR_GB200_v6', 19)] });
    expect(new Set(gb.map(n => n.nvlinkDomain)).size).toBe(2);
  });
});

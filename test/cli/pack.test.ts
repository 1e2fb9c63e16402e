import { GangPod, nodeSku } from '../../lib/catalog';
import { PackUnit, Packer, describeDomain, domainLevel } from '../../lib/cli/pack';

const H100 = nodeSku('Standard_ND96isr_H100_v5');
const GB200 = nodeSku('Standard_ND128isr_NDR_GB200_v6');

function pods(prefix: string, n: number, gpus: number): GangPod[] {
  return Array.from({ length: n }, (_, k) => ({ name: `${prefix}-${k}`, podClique: prefix, clique: prefix, gpus, nodeSelector: {} }));
}

function unit(id: string, p: GangPod[], domain?: string, children: PackUnit[] = []): PackUnit {
  return { id, label: id, ...(domain === undefined ? {} : { domain }), pods: p, children };
}

test('domain levels per SKU', () => {
  expect(['host', 'numa', 'rack', 'block', 'gpu-fabric', 'zone'].map(d => domainLevel(d, H100))).toEqual(['node', 'node', 'pool', 'pool', 'pool', 'cluster']);
  expect(domainLevel('rack', GB200)).toBe('nvlink');
  expect(describeDomain('rack', GB200)).toBe('NVLink domain (18 Standard_ND128isr_NDR_GB200_v6 nodes)');
});

test('first-fit decreasing; all or nothing; stranded GPUs', () => {
  const packer = new Packer([{ name: 'p', sku: H100, nodes: 2 }]);
  expect(packer.place(unit('g1', [...pods('a', 3, 2), ...pods('b', 1, 8)]))).toBeUndefined();
  expect(packer.usage()[0]).toMatchObject({ nodesUsed: 2, gpusUsed: 14, gpusStranded: 2 });
  // a gang that does not fit leaves nothing behind
  expect(packer.place(unit('g2', pods('c', 2, 2)))?.reason).toBe('no node has 2 free GPUs for pod c-1');
  expect(packer.usage()[0]).toMatchObject({ gpusUsed: 14 });
});

test('a host-packed group tries each node until one has room', () => {
  const packer = new Packer([{ name: 'p', sku: H100, nodes: 2 }]);
  packer.place(unit('x', pods('x', 1, 6)));
  expect(packer.place(unit('g', [], undefined, [unit('clq', pods('w', 2, 4), 'host')]))).toBeUndefined();
  // both 4-GPU pods on node 1, not one on each node
  expect(packer.usage()[0]).toMatchObject({ nodesUsed: 2, gpusUsed: 14, gpusStranded: 2 });
});

test('an NVL72 rack holds 18 GB200 nodes', () => {
  const packer = new Packer([{ name: 'gb', sku: GB200, nodes: 36 }]);
  expect(packer.place(unit('g', pods('w', 18, 4), 'rack'))).toBeUndefined();
  expect(packer.place(unit('h', pods('v', 19, 4), 'rack'))?.reason).toMatch(/fits in no single NVLink domain \(18 Standard_ND128isr_NDR_GB200_v6 nodes\)/);
});

test('autoscaled pods join the scope their PodClique was placed in', () => {
  const packer = new Packer([{ name: 'p', sku: H100, nodes: 2 }]);
  expect(packer.place(unit('g', [], undefined, [unit('clq', pods('w', 1, 4), 'host')]))).toBeUndefined();
  const [extra] = pods('w-extra', 1, 4);
  expect(packer.placeExtraPod('clq', extra)).toBe(true);
  expect(packer.placeExtraPod('clq', { ...extra, name: 'w-extra-2' })).toBe(false);
  expect(packer.usage()[0]).toMatchObject({ nodesUsed: 1, gpusUsed: 8 });
});

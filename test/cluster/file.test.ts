/**
 * The cluster file: the zod schema, its JSON Schema (schemas/cluster.schema.json), and the model built from it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GroveValidationError } from '../../lib/errors';
import { clusterFileJsonSchema, clusterModelFromFile, modelNodes } from '../../lib/cluster';
import { H100 } from './fixtures';

describe('clusterModelFromFile', () => {
  test('a catalog SKU pool gets the GpuNodePool defaults; a custom pool is as written; extras are kept', () => {
    const model = clusterModelFromFile({
      pools: [
        { name: 'h100', sku: H100, nodes: 2, kaiNodePool: 'h100', extendedResources: { 'rdma/ib': 8 } },
        { name: 'cpu', nodes: 1, allocatable: { cpu: '3800m', memory: '12Gi', pods: 100 }, taints: ['dedicated=cpu:NoSchedule'], labels: { tier: 'cpu' } },
      ],
      queues: ['inference'],
      crds: ['grove.io/PodCliqueSet'],
    });
    const [gpu, cpu] = model.pools;
    expect(gpu.labels['kai.scheduler/node-pool']).toBe('h100');
    expect(gpu.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(gpu.allocatable).toMatchObject({ 'nvidia.com/gpu': 8, 'rdma/ib': 8 });
    expect(cpu.allocatable).toEqual({ pods: 100, cpu: 3.8, memory: 12 * 2 ** 30 });
    expect(cpu.taints).toEqual([{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }]);
    expect(cpu.labels).toMatchObject({ tier: 'cpu', 'kubernetes.azure.com/agentpool': 'cpu' });
    expect(model.queues).toEqual(['inference']);
    expect(modelNodes(model).map(n => n.name)).toEqual(['h100-0', 'h100-1', 'cpu-0']);
  });

  test('reports every problem at once', () => {
    expect(() => clusterModelFromFile({ pools: [{ name: 'a', nodes: -1 }, { name: 'b', nodes: 1, bogus: true }] })).toThrow(GroveValidationError);
    try {
      clusterModelFromFile({ pools: [{ name: 'a', nodes: 1 }, { name: 'a', sku: H100, nodes: 1 }] });
    } catch (e) {
      expect((e as GroveValidationError).problems.map(p => `${p.field}: ${p.message}`)).toEqual([
        expect.stringMatching(/^pools\[0\]: give allocatable \(cpu, memory, pods\) for a pool whose sku is not a catalog GPU SKU/),
      ]);
    }
    try {
      clusterModelFromFile({ pools: [{ name: 'a', sku: H100, nodes: 1 }, { name: 'a', sku: H100, nodes: 1 }] });
    } catch (e) {
      expect((e as GroveValidationError).problems.map(p => `${p.field}: ${p.message}`)).toEqual(['pools[1].name: repeats the pool name a']);
    }
  });
});

test('schemas/cluster.schema.json is the JSON Schema of the zod schema (npm run schemas regenerates it)', () => {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/cluster.schema.json'), 'utf8'));
  const { $id, title, ...fromZod } = file;
  expect($id).toMatch(/cluster\.schema\.json$/);
  expect(fromZod).toEqual(clusterFileJsonSchema());
  expect(file.required).toEqual(['pools']);
  expect(Object.keys(file.properties.pools.items.properties)).toEqual(expect.arrayContaining(['name', 'sku', 'nodes', 'kaiNodePool', 'taints', 'allocatable']));
});

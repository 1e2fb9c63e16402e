/**
 * The stack's cluster model (infra/cluster-model.ts), built from its config.
 */
import { APPS } from '../../infra/apps';
import { stackClusterModel } from '../../infra/cluster-model';
import { parseStackConfig } from '../../infra/config';
import { modelNodes, hasCrd } from '../../lib/cluster';
import { SRIOV_IB_POLICY } from './fixtures';
import { projectConfig, readStackFile } from './harness';

function devModel(patch: (raw: Record<string, any>) => void = () => undefined) {
  const raw = projectConfig(readStackFile('dev'));
  patch(raw);
  return stackClusterModel(parseStackConfig(raw, APPS, 'dev'));
}

test('the dev stack: three system nodes, five tainted H100 nodes in KAI node pool h100, the GPU device plugin, no RDMA', () => {
  const model = devModel();
  expect(model.pools.map(p => [p.name, p.sku, p.nodes, p.labels['kai.scheduler/node-pool'], p.taints.map(t => `${t.key}=${t.value}:${t.effect}`)])).toEqual([
    ['system', 'Standard_D4ds_v5', 3, undefined, []],
    ['h100', 'Standard_ND96isr_H100_v5', 5, 'h100', ['nvidia.com/gpu=present:NoSchedule']],
  ]);
  expect(model.pools[1].allocatable['rdma/ib']).toBeUndefined();
  expect(model.devicePlugins).toEqual(['nvidia.com/gpu']);
  expect(model.kaiShards).toEqual(['h100']);
  expect(model.queues).toEqual(expect.arrayContaining(['h100', 'inference']));
  expect([hasCrd(model, 'grove.io', 'PodCliqueSet'), hasCrd(model, 'scheduling.run.ai', 'Queue'), hasCrd(model, 'nvidia.com', 'DynamoWorkerMetadata')]).toEqual([true, true, true]);
  expect(modelNodes(model)).toHaveLength(8);
});

test('with the Network Operator\'s SR-IOV RDMA plugin the H100 nodes advertise rdma/ib, one per HCA', () => {
  const model = devModel(raw => { raw.operators.networkOperator = { enabled: true, nicClusterPolicy: SRIOV_IB_POLICY }; });
  expect(model.pools[1].allocatable['rdma/ib']).toBe(8);
  expect(model.devicePlugins).toEqual(['nvidia.com/gpu', 'rdma/ib']);
});

test('a pool\'s extra taints and labels reach its nodes', () => {
  const model = devModel(raw => { raw.gpuPools[0].extraTaints = ['team=ml:NoSchedule']; raw.gpuPools[0].nodeLabels = { 'acme.io/accelerator': 'h100' }; });
  expect(model.pools[1].taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }, { key: 'team', value: 'ml', effect: 'NoSchedule' }]);
  expect(model.pools[1].labels['acme.io/accelerator']).toBe('h100');
});

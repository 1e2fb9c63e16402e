/**
 * missingReferences: what manifests reference that the cluster model lacks.
 */
import { ClusterModel, gpuPool, missingReferences } from '../../lib/cluster';
import { clique, container, H100, pcs } from './fixtures';

const model: ClusterModel = {
  pools: [gpuPool(H100, 1)],
  devicePlugins: ['nvidia.com/gpu'],
  crds: ['grove.io/PodCliqueSet'],
  secrets: ['default/hf-token'],
  claims: [],
  queues: ['inference'],
};

test('reports extended resources, CRDs, Secrets, claims and queues the cluster lacks, and nothing it has', () => {
  const workload = pcs('a', [clique('w', {
    containers: [{
      ...container({ 'nvidia.com/gpu': 8, 'rdma/ib': 1, cpu: '1' }),
      env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } },
        { name: 'OTHER', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }],
    }],
    volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'model-cache' } }],
  })], { labels: { 'kai.scheduler/queue': 'batch' } });
  const dgd = { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: { name: 'x', namespace: 'default' }, spec: {} };
  expect(missingReferences([workload, dgd], model).map(m => [m.kind, m.name, m.object])).toEqual([
    ['queue', 'batch', 'PodCliqueSet/default/a'],
    ['extended-resource', 'rdma/ib', 'PodCliqueSet/default/a'],
    ['secret', 'default/other', 'PodCliqueSet/default/a'],
    ['claim', 'default/model-cache', 'PodCliqueSet/default/a'],
    ['crd', 'nvidia.com/DynamoGraphDeployment', 'DynamoGraphDeployment/default/x'],
  ]);
});

test('objects the manifests create count as present; categories the model does not list are not checked', () => {
  const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'model-cache', namespace: 'default' } };
  const queue = { apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name: 'batch' } };
  const workload = pcs('a', [clique('w', { containers: [container({ cpu: '1' })], volumes: [{ name: 'c', persistentVolumeClaim: { claimName: 'model-cache' } }] })],
    { labels: { 'kai.scheduler/queue': 'batch' } });
  expect(missingReferences([claim, queue, workload], { ...model, crds: [...(model.crds ?? []), 'queues.scheduling.run.ai'] })).toEqual([]);
  expect(missingReferences([workload], { pools: [] })).toEqual([]);
});

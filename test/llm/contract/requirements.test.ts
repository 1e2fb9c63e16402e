/**
 * requirements(): what an LLM service needs from the cluster, as plain data (lib/llm/contract/requirements.ts).
 * The CRD is the runtime's DynamoWorkerMetadata (github.com/ai-dynamo/dynamo lib/runtime/src/discovery/kube/crd.rs);
 * the SSH Secret is TRT-LLM's multi-node MPI key pair (deploy/operator/internal/dynamo/backend_trtllm.go).
 */
import { App, Testing } from 'cdk8s';
import { Llama70bMultinode, Qwen3Disagg } from '../../../apps/llm';
import { AggregatedLlm, DisaggregatedLlm, Discovery, LlmEngine, ModelCache, Scheduler } from '../../../lib';
import { presentObjects, requirementsOf } from '../../../lib/llm/contract';

test('qwen3-disagg: the CRD, the Hugging Face Secret with key HF_TOKEN, the KAI queue; no claim', () => {
  const r = new Qwen3Disagg(new App(), 'qwen3-disagg').llm.requirements();
  expect(r.crds).toEqual([expect.objectContaining({ name: 'dynamoworkermetadatas.nvidia.com', group: 'nvidia.com', kind: 'DynamoWorkerMetadata' })]);
  expect(r.secrets).toEqual([{ name: 'hf-token-secret', namespace: 'inference', keys: ['HF_TOKEN'], reason: expect.stringContaining('env HF_TOKEN of clique decode') }]);
  expect(r.claims).toEqual([]);
  expect(r.queues).toEqual([expect.objectContaining({ scheduler: 'kai-scheduler', name: 'inference' })]);
  expect(r.hostPaths).toEqual([]);
  expect(r.endpoints).toEqual([]);
  expect(presentObjects(r)).toEqual(['CustomResourceDefinition/dynamoworkermetadatas.nvidia.com', 'Secret/hf-token-secret']);
});

test('llama-70b-multinode: the model-cache claim must be ReadWriteMany (frontend + 2 × 2 GPU pods mount it) and writable', () => {
  const r = new Llama70bMultinode(new App(), 'llama-70b-multinode').llm.requirements();
  expect(r.claims).toEqual([{ name: 'model-cache', namespace: 'inference', accessModes: ['ReadWriteMany'], writable: true, reason: expect.stringMatching(/^mounted by 5 pods of frontend, worker-ldr, worker-wkr/) }]);
});

test('TRT-LLM multi-node: the SSH Secret with the key files the leader copies', () => {
  const chart = Testing.chart();
  const llm = new AggregatedLlm(chart, 'llm', { model: 'm/m', engine: LlmEngine.trtllm(), worker: { tensorParallel: 16 } });
  const ssh = llm.requirements().secrets.find(s => s.name === 'mpi-run-ssh-secret');
  expect(ssh).toEqual(expect.objectContaining({ namespace: 'default', keys: ['private.key', 'private.key.pub'] }));
});

test('etcd discovery: no CRD, the etcd and NATS endpoints; a hostPath cache; a single pod may use ReadWriteOnce', () => {
  const chart = Testing.chart();
  const llm = new AggregatedLlm(chart, 'llm', {
    model: 'Qwen/Qwen3-0.6B', discovery: Discovery.etcd({ etcdEndpoints: 'http://etcd:2379', natsServer: 'nats://nats:4222' }),
    modelCache: ModelCache.hostPath('/mnt/models'), scheduler: Scheduler.kai({ queue: 'q' }), worker: {},
  });
  const r = llm.requirements();
  expect(r.crds).toEqual([]);
  expect(r.endpoints.map(e => [e.kind, e.address])).toEqual([['etcd', 'http://etcd:2379'], ['nats', 'nats://nats:4222']]);
  expect(r.hostPaths.map(h => h.path)).toEqual(['/mnt/models']);
  expect(requirementsOf([{
    kind: 'PodCliqueSet', metadata: { name: 'x', namespace: 'n' },
    spec: { template: { cliques: [{ name: 'w', labels: { 'nvidia.com/dynamo-component-type': 'worker' }, spec: { replicas: 1, podSpec: { containers: [{ name: 'main' }], volumes: [{ name: 'c', persistentVolumeClaim: { claimName: 'cache' } }] } } }] } },
  }]).claims).toEqual([expect.objectContaining({ name: 'cache', accessModes: ['ReadWriteOnce'] })]);
});

test('a disaggregated service lists one Secret however many cliques read it', () => {
  const chart = Testing.chart();
  const llm = new DisaggregatedLlm(chart, 'llm', { model: 'Qwen/Qwen3-0.6B', huggingFaceToken: { secretName: 'hf', key: 'token' }, prefill: {}, decode: {} });
  expect(llm.requirements().secrets.map(s => [s.name, s.keys])).toEqual([['hf', ['token']]]);
});

test('ModelCache.newPersistentVolumeClaim: the service emits the ReadWriteMany claim, so it is no requirement any more', () => {
  const chart = Testing.chart();
  const llm = new AggregatedLlm(chart, 'llm', {
    model: 'Qwen/Qwen3-0.6B', modelCache: ModelCache.newPersistentVolumeClaim('models', { storageClassName: 'azurefile-csi-premium', size: '500Gi' }), worker: {},
  });
  const objects = Testing.synth(chart);
  const pvc = objects.find(o => o.kind === 'PersistentVolumeClaim');
  expect(pvc).toMatchObject({
    metadata: { name: 'models', labels: { 'app.kubernetes.io/name': 'llm' } },
    spec: { accessModes: ['ReadWriteMany'], storageClassName: 'azurefile-csi-premium', resources: { requests: { storage: '500Gi' } } },
  });
  // emitted before the PodCliqueSet that mounts it
  expect(objects.findIndex(o => o.kind === 'PersistentVolumeClaim')).toBeLessThan(objects.findIndex(o => o.kind === 'PodCliqueSet'));
  expect(llm.requirements().claims).toEqual([]);
  const pcs = objects.find(o => o.kind === 'PodCliqueSet');
  expect(pcs.spec.template.cliques[1].spec.podSpec.volumes).toContainEqual({ name: 'model-cache', persistentVolumeClaim: { claimName: 'models' } });
});

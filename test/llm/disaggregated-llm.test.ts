import { Testing } from 'cdk8s';
import {
  ClusterTopologyBinding, DisaggregatedLlm, Discovery, DynamoMetric, engines, GroveOperatorConfig, LlmEngine, ModelCache, Scheduler,
} from '../../lib';
import { catchValidation } from '../grove/helpers';
import { describeWithReference } from '../support/reference';
import { expectSchemaValid } from '../support/schema';

const QWEN = 'Qwen/Qwen3-0.6B';

function synth(build: (chart: ReturnType<typeof Testing.chart>) => unknown) {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart);
  return { objects, pcs: objects.find(o => o.kind === 'PodCliqueSet'), byKind: (k: string) => objects.filter(o => o.kind === k) };
}

const clique = (pcs: any, name: string) => pcs.spec.template.cliques.find((c: any) => c.name === name);
const main = (pcs: any, name: string) => clique(pcs, name).spec.podSpec.containers[0];
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('DisaggregatedLlm', () => {
  test('defaults: one frontend, one prefill and one decode pod, 1 GPU each, on vLLM with KV routing', () => {
    let llm!: DisaggregatedLlm;
    const { objects, pcs } = synth(chart => { llm = new DisaggregatedLlm(chart, 'Qwen3', { model: QWEN, prefill: {}, decode: {} }); });
    expect(objects.map(o => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Service', 'Service', 'Service', 'NetworkPolicy', 'NetworkPolicy', 'PodCliqueSet']);
    expect(pcs.metadata.name).toBe('qwen3'); // @default the construct id as a DNS label
    expect(pcs.spec.replicas).toBe(1); // @default 1
    expect(pcs.spec.template.cliques.map((c: any) => [c.name, c.spec.replicas, c.spec.minAvailable])).toEqual([
      ['frontend', 1, 1], ['prefill', 1, 1], ['decode', 1, 1],
    ]);
    expect(pcs.spec.template.podCliqueScalingGroups).toBeUndefined();
    expect(pcs.spec.template.cliqueStartupType).toBeUndefined(); // @default workersStartAfterFrontend false
    expect(main(pcs, 'frontend').image).toBe(`nvcr.io/nvidia/ai-dynamo/vllm-runtime:${engines.DYNAMO_VERSION}`); // @default LlmEngine.vllm()
    expect(envOf(main(pcs, 'frontend')).DYN_ROUTER_MODE).toBe('kv'); // @default RouterMode.KV
    expect(main(pcs, 'frontend').resources).toEqual({ requests: { cpu: '2', memory: '4Gi' } });
    const prefill = main(pcs, 'prefill');
    expect(prefill.resources.limits['nvidia.com/gpu']).toBe('1');
    // @default nodeSku Standard_ND96isr_H100_v5: placed there, with its InfiniBand (RDMA device, IPC_LOCK, 80Gi /dev/shm)
    expect(clique(pcs, 'prefill').spec.podSpec.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'Standard_ND96isr_H100_v5' });
    expect(prefill.resources.limits['rdma/ib']).toBe('1');
    expect(prefill.securityContext.capabilities.add).toContain('IPC_LOCK');
    expect(clique(pcs, 'prefill').spec.podSpec.volumes).toEqual([{ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: '80Gi' } }]);
    // default CPU/memory: three quarters of the node, pro rata to the GPUs (96 vCPU, 1900 GiB, 8 GPUs)
    expect(prefill.resources.requests).toMatchObject({ cpu: '9', memory: '178Gi' });
    // KV transfer on both roles; KV events where vLLM publishes them (prefill)
    expect(prefill.args).toEqual(expect.arrayContaining(['--disaggregation-mode', 'prefill', '--kv-transfer-config', '--kv-events-config']));
    expect(main(pcs, 'decode').args).toEqual(expect.arrayContaining(['--disaggregation-mode', 'decode', '--kv-transfer-config']));
    // the frontend is CPU-only and runs anywhere
    expect(main(pcs, 'frontend').resources.limits).toBeUndefined();
    expect(clique(pcs, 'frontend').spec.podSpec.nodeSelector).toBeUndefined();
    expect(llm.prefill.clique?.name).toBe('prefill');
    expect(llm.decode.layout).toEqual({ gpusPerInstance: 1, nodesPerInstance: 1, gpusPerPod: 1 });
  });

  test('Kubernetes discovery: ServiceAccount with a token, Role for discovery objects, labelled pods and Services (@default Discovery.kubernetes())', () => {
    const { pcs, byKind } = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {} }));
    const [sa] = byKind('ServiceAccount');
    expect(sa).toMatchObject({ metadata: { name: 'llm' }, automountServiceAccountToken: true });
    const [role] = byKind('Role');
    expect(role.rules.map((r: any) => r.resources).flat()).toEqual(expect.arrayContaining(['dynamoworkermetadatas', 'endpointslices', 'pods']));
    // RBAC validation requires the namespace of a ServiceAccount subject.
    expect(byKind('RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'llm', namespace: 'default' }]);
    for (const c of pcs.spec.template.cliques) {
      expect(c.spec.podSpec.serviceAccountName).toBe('llm');
      expect(c.labels['nvidia.com/dynamo-namespace']).toBe('default-llm');
      expect(envOf(c.spec.podSpec.containers[0]).DYN_DISCOVERY_BACKEND).toBe('kubernetes');
    }
    const services = byKind('Service');
    expect(services.map((s: any) => [s.metadata.name, s.spec.ports[0].port, s.spec.selector['nvidia.com/dynamo-component-type']])).toEqual([
      ['llm-frontend', 8000, 'frontend'], ['llm-prefill', 9090, 'prefill'], ['llm-decode', 9090, 'decode'],
    ]);
  });

  test('etcd discovery: no API token, no RBAC, etcd/NATS env', () => {
    const { pcs, byKind } = synth(chart => new DisaggregatedLlm(chart, 'llm', {
      model: QWEN, prefill: {}, decode: {}, discovery: Discovery.etcd({ etcdEndpoints: 'http://etcd:2379', natsServer: 'nats://nats:4222' }),
    }));
    expect(byKind('Role')).toEqual([]);
    expect(byKind('ServiceAccount')[0].automountServiceAccountToken).toBe(false);
    const env = envOf(main(pcs, 'decode'));
    expect(env.ETCD_ENDPOINTS).toBe('http://etcd:2379');
    expect(env.NATS_SERVER).toBe('nats://nats:4222');
    expect(env.DYN_DISCOVERY_BACKEND).toBeUndefined();
    expect(clique(pcs, 'decode').spec.podSpec.automountServiceAccountToken).toBe(false);
  });

  test('NetworkPolicies: workers accept only same-service pods; the frontend port is open (@default networkPolicies true)', () => {
    const { byKind } = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {} }));
    const [workers, frontend] = byKind('NetworkPolicy');
    expect(workers.spec.podSelector.matchExpressions).toEqual([{ key: 'nvidia.com/dynamo-component-type', operator: 'NotIn', values: ['frontend'] }]);
    expect(workers.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'nvidia.com/dynamo-namespace': 'default-llm' } } }] },
      // Prometheus in the monitoring namespace scrapes the system and NIXL ports (@default monitoringNamespace 'monitoring').
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }, { port: 19090, protocol: 'TCP' }] },
    ]);
    expect(frontend.spec.ingress[0]).toEqual({ ports: [{ port: 8000, protocol: 'TCP' }] });
    const other = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {}, monitoringNamespace: 'prom' }));
    expect(other.byKind('NetworkPolicy')[0].spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'prom' });
    const none = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {}, monitoringNamespace: null }));
    expect(none.byKind('NetworkPolicy')[0].spec.ingress).toHaveLength(1);
    const off = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {}, networkPolicies: false }));
    expect(off.byKind('NetworkPolicy')).toEqual([]);
  });

  test('secrets by reference, model cache, KAI queue and node pool', () => {
    const { pcs } = synth(chart => new DisaggregatedLlm(chart, 'llm', {
      model: QWEN,
      huggingFaceToken: { secretName: 'hf' },
      modelCache: ModelCache.persistentVolumeClaim('cache'),
      scheduler: Scheduler.kai({ queue: 'inference', nodePool: 'h100' }),
      prefill: {}, decode: {},
    }));
    expect(pcs.metadata.labels).toMatchObject({ 'kai.scheduler/queue': 'inference', 'kai.scheduler/node-pool': 'h100' });
    const decode = main(pcs, 'decode');
    expect(envOf(decode).HF_TOKEN).toEqual({ secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } });
    expect(envOf(main(pcs, 'frontend')).HF_TOKEN).toBeUndefined(); // only workers download weights
    expect(envOf(decode).HF_HOME).toBe('/opt/models');
    expect(decode.volumeMounts).toEqual(expect.arrayContaining([{ name: 'model-cache', mountPath: '/opt/models' }]));
    expect(clique(pcs, 'decode').spec.podSpec.volumes).toEqual(expect.arrayContaining([{ name: 'model-cache', persistentVolumeClaim: { claimName: 'cache' } }]));
    for (const c of pcs.spec.template.cliques) {
      expect(c.spec.podSpec.schedulerName).toBe('kai-scheduler');
      expect(c.labels['kai.scheduler/queue']).toBe('inference');
    }
  });

  test('a non-InfiniBand SKU gets no RDMA, privileges or 80Gi shm', () => {
    const { pcs } = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, nodeSku: 'Standard_NC80adis_H100_v5', prefill: {}, decode: {} }));
    const decode = main(pcs, 'decode');
    expect(decode.resources.limits['rdma/ib']).toBeUndefined();
    // Not RDMA, so the restricted profile (contract.ts containerSecurity).
    expect(decode.securityContext).toEqual({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(clique(pcs, 'decode').spec.podSpec.volumes[0].emptyDir.sizeLimit).toBe('8Gi');
  });

  test('multi-node roles become leader/worker scaling groups; TRT-LLM leaders start after their workers', () => {
    let llm!: DisaggregatedLlm;
    const { pcs } = synth(chart => {
      llm = new DisaggregatedLlm(chart, 'big', { model: 'meta-llama/Llama-3.1-70B-Instruct', engine: LlmEngine.trtllm(), prefill: { tensorParallel: 16 }, decode: { tensorParallel: 16, replicas: 2 } });
    });
    expect(pcs.spec.template.podCliqueScalingGroups).toEqual([
      { name: 'prefill', cliqueNames: ['prefill-ldr', 'prefill-wkr'], replicas: 1, minAvailable: 1 },
      { name: 'decode', cliqueNames: ['decode-ldr', 'decode-wkr'], replicas: 2, minAvailable: 1 },
    ]);
    expect(pcs.spec.template.cliqueStartupType).toBe('CliqueStartupTypeExplicit');
    expect(clique(pcs, 'decode-ldr').spec.startsAfter).toEqual(['decode-wkr']);
    expect(clique(pcs, 'decode-wkr').spec.startsAfter).toBeUndefined();
    expect(main(pcs, 'decode-wkr').resources.limits['nvidia.com/gpu']).toBe('8');
    expect(llm.decode.layout).toEqual({ gpusPerInstance: 16, nodesPerInstance: 2, gpusPerPod: 8 });
    expect(llm.decode.leader?.name).toBe('decode-ldr');
  });

  test('topology: each multi-node instance is packed into one domain', () => {
    const { pcs } = synth(chart => {
      GroveOperatorConfig.set(chart, { topologyAwareScheduling: true });
      const binding = new ClusterTopologyBinding(chart, 'Topology', { name: 'aks', levels: [{ domain: 'zone', key: 'topology.kubernetes.io/zone' }, { domain: 'ib', key: 'example.com/ib-domain' }, { domain: 'host', key: 'kubernetes.io/hostname' }] });
      new DisaggregatedLlm(chart, 'big', { model: QWEN, prefill: { tensorParallel: 16 }, decode: {}, topology: { binding, instanceDomain: 'ib' } });
    });
    expect(pcs.spec.template.podCliqueScalingGroups[0].topologyConstraint).toEqual({ topologyName: 'aks', pack: { required: 'ib' } });
  });

  test('workersStartAfterFrontend orders every worker clique after the frontend', () => {
    const { pcs } = synth(chart => new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {}, workersStartAfterFrontend: true }));
    expect(pcs.spec.template.cliqueStartupType).toBe('CliqueStartupTypeExplicit');
    expect(clique(pcs, 'prefill').spec.startsAfter).toEqual(['frontend']);
    expect(clique(pcs, 'decode').spec.startsAfter).toEqual(['frontend']);
  });

  test('scale targets name what Grove creates, per PodCliqueSet replica', () => {
    const chart = Testing.chart();
    const llm = new DisaggregatedLlm(chart, 'llm', { model: QWEN, replicas: 2, prefill: { tensorParallel: 16 }, decode: { autoScaling: { maxReplicas: 4, metrics: [DynamoMetric.kvCacheUsage(0.7)] } } });
    expect(llm.scaleTargets.map(t => `${t.kind}/${t.name}`)).toEqual([
      'PodClique/llm-0-frontend', 'PodClique/llm-1-frontend',
      'PodCliqueScalingGroup/llm-0-prefill', 'PodCliqueScalingGroup/llm-1-prefill',
      'PodClique/llm-0-decode', 'PodClique/llm-1-decode',
    ]);
    expect(clique(Testing.synth(chart).find(o => o.kind === 'PodCliqueSet'), 'decode').spec.autoScalingConfig).toEqual({
      maxReplicas: 4, metrics: [{ type: 'Pods', pods: { metric: { name: 'dynamo_component_kvstats_gpu_cache_usage_percent' }, target: { type: 'AverageValue', averageValue: '700m' } } }],
    });
  });

  test('addComponent adds a labelled clique (e.g. a vision encoder) to the same PodCliqueSet', () => {
    const { pcs } = synth(chart => {
      const llm = new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {} });
      llm.addComponent('encoder', { containers: [{ image: 'encoder:1.0', resources: { gpus: 1 } }] });
    });
    const encoder = clique(pcs, 'encoder');
    expect(encoder.labels).toMatchObject({ 'nvidia.com/dynamo-component': 'encoder', 'nvidia.com/dynamo-namespace': 'default-llm' });
    expect(encoder.spec.podSpec.serviceAccountName).toBe('llm');
  });

  describe('fails when', () => {
    test('tensorParallel × pipelineParallel is neither within one node nor a whole number of nodes', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, prefill: { tensorParallel: 12 }, decode: {} }));
      expect(e.message).toBe('[test/llm] prefill.tensorParallel × prefill.pipelineParallel: an instance needs 12 GPUs, which is neither at most one node (8 GPUs) nor a whole number of nodes, got 12; use a multiple of 8 GPUs (e.g. 16) or at most 8');
    });

    test('a pod would use more GPUs than the node SKU has', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, prefill: {}, decode: { gpusPerNode: 16, tensorParallel: 16 } }));
      expect(e.message).toBe('[test/llm] decode.gpusPerNode: a pod can use at most the 8 GPUs of one Standard_ND96isr_H100_v5 node, got 16; set gpusPerNode between 1 and 8, or pick a node SKU with more GPUs per node');
    });

    test('a role of a disaggregated service has no KV connector', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, prefill: {}, decode: { kvTransfer: false } }));
      expect(e.message).toBe('[test/llm] decode.kvTransfer: a disaggregated service moves KV caches from prefill to decode, so both roles need the KV connector, got false; remove `kvTransfer: false`, or serve the model aggregated with AggregatedLlm');
    });

    test('the KV connector needs matching parallelism and the roles differ', () => {
      const strict = LlmEngine.custom({ ...engines.VLLM, kvTransfer: { ...engines.VLLM.kvTransfer, parallelismMustMatch: true } });
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, engine: strict, prefill: { tensorParallel: 2 }, decode: { tensorParallel: 4 } }));
      expect(e.message).toMatch(/^\[test\/llm\] decode\.tensorParallel: the vllm KV connector \(.*\) needs prefill and decode to use the same parallelism, but prefill is tp=2 pp=1 and decode tp=4 pp=1; give both roles the same tensorParallel and pipelineParallel$/);
    });

    test('the model does not fit the GPU memory of an instance', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: 'meta-llama/Llama-3.1-70B-Instruct', prefill: { tensorParallel: 1 }, decode: { tensorParallel: 4 } }));
      expect(e.problems.map(p => p.field)).toEqual(['prefill.tensorParallel']);
      expect(e.message).toBe('[test/llm] prefill.tensorParallel: meta-llama/Llama-3.1-70B-Instruct needs about 145 GiB of GPU memory, but an instance has 1 × 80 GiB (72 GiB usable at 90%), got 1; raise tensorParallel × pipelineParallel to at least 3 (a power of two such as 4), or state the real size with modelSizeGiB');
    });

    test('the stated model size does not fit', () => {
      expect(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: 'my/model', modelSizeGiB: 100, prefill: {}, decode: {} }))
        .toThrow(/prefill\.tensorParallel: my\/model needs about 110 GiB[\s\S]*decode\.tensorParallel: my\/model needs about 110 GiB/);
    });

    test('KAI is used without a queue', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, scheduler: Scheduler.kai({ queue: ' ' }), prefill: {}, decode: {} }));
      expect(e.message).toBe('[test/llm] scheduler: KAI needs a queue to charge the workload to, got " "; name the KAI queue, e.g. Scheduler.kai({ queue: \'inference\' })');
    });

    test('names exceed Grove\'s 45-character budget', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, name: 'a-very-long-service-name-for-a-model-xx', prefill: { tensorParallel: 16 }, decode: {} }));
      expect(e.message).toBe("[test/llm] name: Grove limits the combined length of PodCliqueSet, scaling group and clique names to 45 characters, and the longest component here is 'prefill' + 'prefill-ldr' (18), which leaves 27 for the name, got \"a-very-long-service-name-for-a-model-xx\"; use a name of at most 27 characters");
    });

    test('namespace and name together exceed the 63 characters of a label value', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, namespace: 'n'.repeat(60), name: 'svc', prefill: {}, decode: {} }));
      expect(e.problems.map(p => p.field)).toEqual(['name']);
      expect(e.message).toMatch(/which Kubernetes limits to 63 characters; '.*' has 64, got "svc"; shorten the name or the namespace by 1 characters$/);
    });

    test('an engine option is wrong: reported against the service and the role prop', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: QWEN, prefill: {}, decode: { extraArgs: ['--tensor-parallel-size', '2'] } }));
      expect(e.problems[0]).toMatchObject({ constructPath: 'test/llm', field: 'decode.extraArgs' });
    });

    test('several things are wrong: all reported at once', () => {
      const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: '', replicas: -1, prefill: { tensorParallel: 0 }, decode: { kvTransfer: false } }));
      expect(e.problems.map(p => p.field)).toEqual(['model', 'replicas', 'prefill.tensorParallel', 'decode.kvTransfer']);
    });
  });

  describeWithReference('schema', () => {
    test('single-node, multi-node and etcd variants are schema-valid', () => {
      const chart = Testing.chart();
      new DisaggregatedLlm(chart, 'a', { model: QWEN, prefill: {}, decode: {} });
      new DisaggregatedLlm(chart, 'b', { model: QWEN, engine: LlmEngine.sglang(), prefill: { tensorParallel: 16 }, decode: { tensorParallel: 16 } });
      new DisaggregatedLlm(chart, 'c', { model: QWEN, engine: LlmEngine.trtllm(), discovery: Discovery.etcd({ etcdEndpoints: 'http://etcd:2379' }), prefill: {}, decode: { tensorParallel: 16 } });
      expectSchemaValid(Testing.synth(chart));
    });
  });
});

/**
 * The Dynamo runtime contract (lib/llm/contract/contract.ts), held on construct output for every engine, discovery
 * backend and topology, and on the three example apps. Upstream sources, github.com/ai-dynamo/dynamo:
 * - deploy/operator/internal/dynamo/graph.go (GenerateComponentService: discovery labels on the Service;
 *   GenerateBasePodSpec: terminationGracePeriodSeconds 60, fsGroup 1000; generateLabels: nvidia.com/metrics-enabled)
 * - lib/runtime/src/discovery/kube/daemon.rs (EndpointSlices/Pods selected by the two discovery labels)
 * - deploy/operator/internal/dynamo/backend_vllm.go (wait-for-leader-mp init container on mp followers)
 * - lib/runtime/src/distributed.rs (DYN_EVENT_PLANE)
 */
import { App, Testing } from 'cdk8s';
import { addLlmApps } from '../../../apps/llm';
import { AggregatedLlm, DisaggregatedLlm, Discovery, DynamoMetric, LlmEngine, LlmService, Metric, ModelCache } from '../../../lib';
import {
  ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION, ContractContext, DYNAMO_WORKER_METADATA_CRD, componentPods, contractIssues, serviceViews,
} from '../../../lib/llm/contract';
import { catchValidation } from '../../grove/helpers';

type Engine = 'vllm' | 'sglang' | 'trtllm';
type Topology = 'single-node disaggregated' | 'multi-node disaggregated' | 'single-node aggregated' | 'multi-node aggregated';
const ENGINES: Engine[] = ['vllm', 'sglang', 'trtllm'];
const TOPOLOGIES: Topology[] = ['single-node disaggregated', 'multi-node disaggregated', 'single-node aggregated', 'multi-node aggregated'];
const DISCOVERY = { kubernetes: () => Discovery.kubernetes(), etcd: () => Discovery.etcd({ etcdEndpoints: 'http://etcd:2379', natsServer: 'nats://nats:4222' }) };

const engineOf = (e: Engine) => (e === 'vllm' ? LlmEngine.vllm() : e === 'sglang' ? LlmEngine.sglang() : LlmEngine.trtllm());

function build(engine: Engine, topology: Topology, discovery: keyof typeof DISCOVERY, infiniband = false): any[] {
  const chart = Testing.chart();
  const tp = topology.startsWith('multi') ? 16 : 1;
  const common = {
    model: 'meta-llama/Llama-3.1-8B-Instruct', engine: engineOf(engine), namespace: 'inference', infiniband, discovery: DISCOVERY[discovery](),
    huggingFaceToken: { secretName: 'hf' }, modelCache: ModelCache.persistentVolumeClaim('models'),
  };
  if (topology.endsWith('disaggregated')) {
    new DisaggregatedLlm(chart, 'llm', { ...common, prefill: { tensorParallel: tp }, decode: { tensorParallel: tp, replicas: 2, autoScaling: { maxReplicas: 4, metrics: [DynamoMetric.kvCacheUsage(0.7)] } } });
  } else {
    new AggregatedLlm(chart, 'llm', { ...common, worker: { tensorParallel: tp, autoScaling: { maxReplicas: 3, metrics: [DynamoMetric.inflightRequests(16)] } } });
  }
  return Testing.synth(chart);
}

const EVERYTHING_PRESENT: ContractContext = {
  cluster: { pools: [], crds: [DYNAMO_WORKER_METADATA_CRD.name], queues: [], secrets: ['hf', 'mpi-run-ssh-secret', 'hf-token-secret'], claims: ['models', 'model-cache'] },
};

function issues(objects: any[]) {
  const sources = objects.map((object, i) => ({ src: i, object }));
  return contractIssues(componentPods(sources), serviceViews(sources), EVERYTHING_PRESENT);
}

function cliques(objects: any[]): any[] {
  return objects.filter(o => o.kind === 'PodCliqueSet').flatMap(p => p.spec.template.cliques);
}

/** The restricted Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards), as violations. */
function restrictedViolations(pod: any): string[] {
  const out: string[] = [];
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  const allowedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const v of pod.volumes ?? []) {
    if (!Object.keys(v).filter(k => k !== 'name').every(k => allowedVolumes.includes(k))) out.push(`volume ${v.name}`);
  }
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push('host namespaces');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name} privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name} allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name} capabilities.drop`);
    if ((sc.capabilities?.add ?? []).some((a: string) => a !== 'NET_BIND_SERVICE')) out.push(`${c.name} capabilities.add`);
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) out.push(`${c.name} runAsNonRoot`);
    if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0) out.push(`${c.name} runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name} seccompProfile`);
  }
  return out;
}

describe.each(ENGINES)('%s', engine => {
  describe.each(TOPOLOGIES)('%s', topology => {
    test.each(['kubernetes', 'etcd'] as const)('%s discovery: the construct output meets every contract check', discovery => {
      const objects = build(engine, topology, discovery);
      expect(issues(objects).map(i => `${i.rule} ${i.field}: ${i.message}`)).toEqual([]);
    });

    test('component Services carry the discovery labels and select the operator\'s three labels (GenerateComponentService, graph.go)', () => {
      const objects = build(engine, topology, 'kubernetes');
      const services = objects.filter(o => o.kind === 'Service');
      expect(services.map(s => s.metadata.name).sort()).toEqual(topology.endsWith('disaggregated') ? ['llm-decode', 'llm-frontend', 'llm-prefill'] : ['llm-frontend', 'llm-worker']);
      for (const s of services) {
        expect(s.metadata.labels).toMatchObject({ 'nvidia.com/dynamo-discovery-backend': 'kubernetes', 'nvidia.com/dynamo-discovery-enabled': 'true' });
        expect(Object.keys(s.spec.selector).sort()).toEqual(['nvidia.com/dynamo-component', 'nvidia.com/dynamo-component-type', 'nvidia.com/dynamo-namespace']);
        // each selects pods: the discovery daemon needs their EndpointSlice (daemon.rs)
        expect(cliques(objects).some(c => Object.entries(s.spec.selector).every(([k, v]) => c.labels[k] === v))).toBe(true);
      }
      const etcd = build(engine, topology, 'etcd').filter(o => o.kind === 'Service');
      for (const s of etcd) {
        expect(s.metadata.labels['nvidia.com/dynamo-discovery-backend']).toBeUndefined();
      }
    });

    test('every pod: fsGroup 1000 (it mounts the model-cache PVC), 60 s grace, the metrics label, a stated event plane', () => {
      for (const discovery of ['kubernetes', 'etcd'] as const) {
        for (const c of cliques(build(engine, topology, discovery))) {
          const pod = c.spec.podSpec;
          expect([c.name, pod.volumes.some((v: any) => v.persistentVolumeClaim), pod.securityContext.fsGroup]).toEqual([c.name, true, 1000]);
          expect([c.name, pod.terminationGracePeriodSeconds]).toEqual([c.name, 60]);
          expect([c.name, c.labels['nvidia.com/metrics-enabled']]).toEqual([c.name, 'true']);
          const plane = pod.containers[0].env.find((e: any) => e.name === 'DYN_EVENT_PLANE')?.value;
          expect([c.name, plane]).toEqual([c.name, discovery === 'etcd' ? 'nats' : 'zmq']);
        }
      }
    });

    test('the restricted Pod Security Standard holds on every pod without RDMA; RDMA pods are the documented exception', () => {
      for (const c of cliques(build(engine, topology, 'kubernetes'))) {
        expect([c.name, restrictedViolations(c.spec.podSpec)]).toEqual([c.name, []]);
      }
      for (const c of cliques(build(engine, topology, 'kubernetes', true))) {
        const rdma = c.spec.podSpec.containers[0].resources.limits?.['rdma/ib'] !== undefined;
        expect([c.name, restrictedViolations(c.spec.podSpec).length > 0]).toEqual([c.name, rdma]);
        expect(c.spec.podSpec.securityContext.fsGroup).toBe(1000);
      }
    });
  });
});

describe('multi-node wiring (backend_vllm.go UpdatePodSpec)', () => {
  test('vLLM mp followers wait for the leader\'s master port in an init container; leaders, Ray, SGLang and TRT-LLM get none', () => {
    const worker = cliques(build('vllm', 'multi-node aggregated', 'kubernetes')).find(c => c.name === 'worker-wkr').spec.podSpec;
    expect(worker.initContainers).toHaveLength(1);
    const init = worker.initContainers[0];
    expect(init.name).toBe('wait-for-leader-mp');
    expect(init.image).toBe(worker.containers[0].image);
    // Grove appends its variables after the container's own, so the shell expands them, not the kubelet.
    expect(init.command[2]).toContain('LEADER_HOST="${GROVE_PCSG_NAME}-${GROVE_PCSG_INDEX}-worker-ldr-0.${GROVE_HEADLESS_SERVICE}" LEADER_PORT="29500"');
    expect(worker.containers[0].args[0]).toContain('--master-port 29500');
    expect(cliques(build('vllm', 'multi-node aggregated', 'kubernetes')).find(c => c.name === 'worker-ldr').spec.podSpec.initContainers).toBeUndefined();
    for (const engine of ['sglang', 'trtllm'] as const) {
      for (const c of cliques(build(engine, 'multi-node disaggregated', 'kubernetes'))) {
        expect([engine, c.name, c.spec.podSpec.initContainers]).toEqual([engine, c.name, undefined]);
      }
    }
    const chart = Testing.chart();
    new AggregatedLlm(chart, 'llm', { model: 'm/m', engine: LlmEngine.vllm({ executor: 'ray' }), worker: { tensorParallel: 16 } });
    expect(cliques(Testing.synth(chart)).every(c => c.spec.podSpec.initContainers === undefined)).toBe(true);
  });
});

describe('every object of a service carries its labels', () => {
  test('ServiceAccount, Role, RoleBinding, Services, NetworkPolicies and the PodCliqueSet carry app.kubernetes.io/name', () => {
    const objects = build('vllm', 'single-node disaggregated', 'kubernetes');
    expect(objects.map(o => [o.kind, o.metadata.labels?.['app.kubernetes.io/name']])).toEqual(objects.map(o => [o.kind, 'llm']));
    expect(objects.find(o => o.kind === 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'llm', namespace: 'inference' }]);
  });
});

test('monitoringNamespace must name a namespace (or be null)', () => {
  const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { model: 'Qwen/Qwen3-0.6B', prefill: {}, decode: {}, monitoringNamespace: '' }));
  expect(e.problems).toEqual([expect.objectContaining({ field: 'monitoringNamespace', fix: expect.stringContaining('null') })]);
});

describe('GPU roles never autoscale on CPU or memory utilization', () => {
  const qwen = { model: 'Qwen/Qwen3-0.6B', prefill: {} };
  test.each([
    ['the HPA default (no metrics)', undefined, 'no metrics'],
    ['CPU utilization', [Metric.cpuUtilization(80)], 'cpu'],
    ['memory utilization', [Metric.resourceUtilization('memory', 70)], 'memory'],
  ])('%s is refused with the fix', (_, metrics, value) => {
    const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', { ...qwen, decode: { autoScaling: { maxReplicas: 3, metrics } } }));
    expect(e.problems).toEqual([expect.objectContaining({
      field: 'decode.autoScaling.metrics', value,
      fix: expect.stringContaining('DynamoMetric.kvCacheUsage(0.7)'),
    })]);
    expect(e.problems[0].fix).toContain('allowUtilizationAutoscaling: true');
  });

  test('allowUtilizationAutoscaling keeps it, and marks the clique so lint accepts it too', () => {
    const chart = Testing.chart();
    new DisaggregatedLlm(chart, 'llm', { ...qwen, decode: { allowUtilizationAutoscaling: true, autoScaling: { maxReplicas: 3, metrics: [Metric.cpuUtilization(80)] } } });
    const objects = Testing.synth(chart);
    const decode = cliques(objects).find(c => c.name === 'decode');
    expect(decode.annotations).toEqual({ [ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION]: 'true' });
    expect(issues(objects).filter(i => i.rule === 'dynamo-gpu-autoscaling')).toEqual([]);
  });

  test('the frontend (no GPU) may scale on CPU', () => {
    const chart = Testing.chart();
    new DisaggregatedLlm(chart, 'llm', { ...qwen, decode: {}, frontend: { autoScaling: { maxReplicas: 3, metrics: [Metric.cpuUtilization(70)] } } });
    expect(issues(Testing.synth(chart))).toEqual([]);
  });

  test('DynamoMetric: Pods metrics on the workers\' Prometheus series, External on the frontend queue', () => {
    expect(DynamoMetric.kvCacheUsage(0.7)._toGrove()).toMatchObject({ type: 'Pods', pods: { metric: { name: 'dynamo_component_kvstats_gpu_cache_usage_percent' } } });
    expect(DynamoMetric.inflightRequests(8)._toGrove()).toMatchObject({ type: 'Pods', pods: { metric: { name: 'dynamo_component_inflight_requests' } } });
    expect(DynamoMetric.queuedRequests(4, 'inference-llm')._toGrove()).toMatchObject({
      type: 'External', external: { metric: { name: 'dynamo_frontend_queued_requests', selector: { matchLabels: { dynamo_namespace: 'inference-llm' } } } },
    });
    expect(() => DynamoMetric.kvCacheUsage(70)).toThrow(/fraction in \(0, 1\]/);
  });
});

describe('the example apps (Done when: discovery labels, fsGroup, 60 s drain, metrics label, no CPU autoscaling of GPU cliques)', () => {
  const app = new App();
  addLlmApps(app);
  const charts = app.charts.map(c => ({ id: c.node.id, objects: c.toJson() }));

  test.each(charts.map(c => [c.id, c.objects]))('%s meets every contract check', (_, objects) => {
    expect(issues(objects as any[]).map(i => `${i.rule} ${i.field}: ${i.message}`)).toEqual([]);
  });

  test.each(charts.map(c => [c.id, c.objects]))('%s: each item, asserted directly', (_, objects) => {
    const all = objects as any[];
    for (const s of all.filter(o => o.kind === 'Service')) {
      expect([s.metadata.name, s.metadata.labels['nvidia.com/dynamo-discovery-backend'], s.metadata.labels['nvidia.com/dynamo-discovery-enabled']]).toEqual([s.metadata.name, 'kubernetes', 'true']);
    }
    for (const c of cliques(all)) {
      const pod = c.spec.podSpec;
      const gpus = Number(pod.containers[0].resources.limits?.['nvidia.com/gpu'] ?? 0);
      if ((pod.volumes ?? []).some((v: any) => v.persistentVolumeClaim || v.hostPath)) expect([c.name, pod.securityContext?.fsGroup]).toEqual([c.name, 1000]);
      if (gpus > 0) expect([c.name, pod.terminationGracePeriodSeconds >= 60]).toEqual([c.name, true]);
      expect([c.name, c.labels['nvidia.com/metrics-enabled']]).toEqual([c.name, 'true']);
      for (const m of (gpus > 0 ? c.spec.autoScalingConfig?.metrics ?? (c.spec.autoScalingConfig ? [] : undefined) : undefined) ?? []) {
        expect([c.name, m.type]).not.toEqual([c.name, 'Resource']);
      }
      if (gpus > 0 && c.spec.autoScalingConfig) expect(c.spec.autoScalingConfig.metrics.length).toBeGreaterThan(0);
    }
  });

  test('the services are LlmService constructs whose requirements() the lint test declares present', () => {
    expect(app.node.findAll().filter(c => c instanceof LlmService)).toHaveLength(3);
  });
});

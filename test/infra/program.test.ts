import * as path from 'path';
import { Qwen3Disagg } from '../../apps/llm';
import { APPS, AppContext, AppRegistry } from '../../infra/apps';
import { parseStackConfig } from '../../infra/config';
import { GroveOperatorConfig } from '../../lib/grove';
import { StackPreflightError } from '../../infra/errors';
import { preflight, runProgram, synthesizeApps } from '../../infra/program';
import { CHARTS, GPU_OPERATOR, GROVE, KAI_SCHEDULER } from '../../infra/versions';
import { SHARED_IB_POLICY, SRIOV_IB_POLICY, tinyApp, TINY_REGISTRY } from './fixtures';
import { importProgram, INFRA_DIR, installMocks, projectConfig, readStackFile, Recorder, setStackConfig, settle, testSecrets, valueOf } from './harness';

let rec: Recorder;
beforeEach(async () => {
  rec = await installMocks('dev');
});

/** A stack's config (unprefixed keys) with `patch` applied. */
function stackConfig(stack: string, patch: (raw: Record<string, any>) => void = () => undefined): Record<string, any> {
  const raw = projectConfig(readStackFile(stack));
  patch(raw);
  return raw;
}

/** The real registry of apps.ts with `extra` (the tiny fixture app by default) merged in. */
function registryWith(extra: AppRegistry = TINY_REGISTRY): AppRegistry {
  return { ...APPS, ...extra };
}

/** Runs the program for a stack file (patched), with the real registry plus the tiny app (or `extra`). */
async function run(stack: string, patch: (raw: Record<string, any>) => void = () => undefined, extra?: AppRegistry) {
  const registry = registryWith(extra);
  const resources = runProgram(parseStackConfig(stackConfig(stack, patch), registry, stack), registry, stack, testSecrets());
  await settle();
  return resources;
}

const withTiny = (raw: Record<string, any>) => { raw.apps = ['tiny']; };

/**
 * What the dev stack declares one after the other, before the apps: cluster, GPU pool, GPU Operator, KAI (shard,
 * queues), Grove (chart, topology).
 */
const DEV_ORDER = [
  'aks-rg', 'aks-aks', 'gpu-h100-pool', 'gpu-operator-release', 'kai-release', 'kai-shard-h100', 'kai-queue-h100',
  'kai-queue-inference', 'grove-chart', 'grove-topology',
];
/** The component and custom resources that must come one after the other in mode aks, with the tiny app. */
const AKS_ORDER = [...DEV_ORDER, 'app-tiny-objects'];
/** The ConfigGroups of the dev stack's apps (Pulumi.dev.yaml: qwen3-disagg and llama-70b-multinode). */
const DEV_WORKLOADS = ['app-qwen3-disagg-objects', 'app-llama-70b-multinode-objects'];

/** The main container of every GPU clique of the PodCliqueSets a ConfigGroup applies, by `pcs/clique`. */
function gpuContainers(group: { inputs: Record<string, any> }): Record<string, any> {
  return Object.fromEntries(group.inputs.objs
    .filter((o: any) => o.kind === 'PodCliqueSet')
    .flatMap((pcs: any) => pcs.spec.template.cliques.map((c: any) => [`${pcs.metadata.name}/${c.name}`, c.spec.podSpec] as const))
    .filter(([, podSpec]: [string, any]) => podSpec.containers[0].resources?.limits?.['nvidia.com/gpu'] !== undefined)
    .map(([name, podSpec]: [string, any]) => [name, { ...podSpec.containers[0], shm: podSpec.volumes.find((v: any) => v.emptyDir?.medium === 'Memory')?.emptyDir.sizeLimit }]));
}

/** An app registry holding qwen3-disagg with InfiniBand forced on (what a user app may do), as `qwen3-ib`. */
const QWEN3_IB: AppRegistry = {
  'qwen3-ib': (app, ctx: AppContext) => {
    new Qwen3Disagg(app, 'qwen3-ib', { queue: 'inference', nodePool: ctx.gpuPools[0]?.kaiNodePool, infiniband: true });
  },
};

/** `Kind/name` of each object a ConfigGroup applies. */
function kindsAndNames(group: { inputs: Record<string, any> }): string[] {
  return group.inputs.objs.map((o: any) => `${o.kind}/${o.metadata.name}`);
}

describe('the program (infra/index.ts) with nothing but Pulumi.dev.yaml: the dev stack under mocks', () => {
  // One load of the program serves every read-only assertion of this block.
  let program: Record<string, any>;
  let dev: Recorder;
  beforeAll(async () => {
    // GIVEN the dev stack's config as the Pulumi CLI would pass it
    rec = await installMocks('dev');
    setStackConfig(readStackFile('dev'));
    // WHEN the program module is loaded, with the app registry of apps.ts
    program = importProgram();
    await settle();
    dev = rec.copy();
  });

  test('exports the stack outputs, with the GPUs and nodes each app needs', async () => {
    expect(program.mode).toBe('aks');
    expect(await valueOf(program.clusterName)).toBe('cdk8s-grove-dev');
    expect(await valueOf(program.resourceGroupName)).toBe('cdk8s-grove-dev');
    expect(await valueOf(program.gpuPools)).toEqual(['h100']);
    expect(program.charts).toEqual(Object.fromEntries(Object.entries(CHARTS).map(([k, v]) => [k, v.version])));
    expect(program.topologyName).toBe('aks-gpu');
    // qwen3: 1 prefill + 2 decode GPUs (up to 4 decode with its autoscaler), one node; llama-70b: two instances
    // of tensor-parallel 16, each a leader and a worker pod of 8 GPUs, four nodes
    expect(program.apps).toEqual([
      { app: 'qwen3-disagg', gpus: 3, maxGpus: 5, nodes: { h100: 1 }, maxNodes: { h100: 1 } },
      { app: 'llama-70b-multinode', gpus: 32, maxGpus: 32, nodes: { h100: 4 }, maxNodes: { h100: 4 } },
    ]);
  });

  test('registers the cluster and a Standard_ND96isr_H100_v5 pool with the GPU taint and driver None', () => {
    expect(dev.named('aks-aks')).toMatchObject({
      type: 'azure-native:containerservice:ManagedCluster',
      inputs: { resourceName: 'cdk8s-grove-dev', resourceGroupName: 'cdk8s-grove-dev', location: 'southafricanorth' },
    });
    const pool = dev.named('gpu-h100-pool');
    expect(pool.type).toBe('azure-native:containerservice:AgentPool');
    expect(pool.inputs).toMatchObject({
      agentPoolName: 'h100',
      resourceName: 'cdk8s-grove-dev',
      vmSize: 'Standard_ND96isr_H100_v5',
      gpuProfile: { driver: 'None' },
      nodeTaints: ['nvidia.com/gpu=present:NoSchedule'],
      nodeLabels: { 'kai.scheduler/node-pool': 'h100' },
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 5,
    });
    expect(dev.ofType('azure-native:containerservice:AgentPool').map(r => r.name)).toEqual(['gpu-h100-pool']);
  });

  test('registers the GPU Operator, KAI with the h100 shard and the queues, and Grove with its topology', () => {
    expect(dev.named('gpu-operator-release').inputs).toMatchObject({ chart: GPU_OPERATOR.chart, version: GPU_OPERATOR.version });
    expect(dev.named('kai-release').inputs).toMatchObject({ chart: KAI_SCHEDULER.chart, version: KAI_SCHEDULER.version });
    expect(dev.named('kai-shard-h100').inputs.spec.partitionLabelValue).toBe('h100');
    expect(dev.ofType('kubernetes:scheduling.run.ai/v2:Queue').map(q => q.inputs.metadata.name)).toEqual(['h100', 'inference']);
    expect(dev.named('kai-queue-inference').inputs).toMatchObject({
      metadata: { name: 'inference', labels: { 'kai.scheduler/node-pool': 'h100' } },
      spec: { parentQueue: 'h100' },
    });
    expect(dev.named('grove-chart').inputs).toMatchObject({ chart: GROVE.chart, version: GROVE.version });
    expect(dev.named('grove-topology').inputs.metadata).toEqual({ name: 'aks-gpu' });
  });

  test('registers the workloads of qwen3-disagg and llama-70b-multinode: one ConfigGroup each, through the cluster\'s provider', () => {
    expect(dev.ofType('kubernetes:yaml/v2:ConfigGroup').map(r => r.name)).toEqual(DEV_WORKLOADS);
    for (const name of DEV_WORKLOADS) {
      expect([name, dev.named(name).provider]).toEqual([name, 'aks-k8s']);
    }
    // The PodCliqueSet after what its pods use: service account and discovery RBAC, Services, NetworkPolicies
    expect(kindsAndNames(dev.named('app-qwen3-disagg-objects'))).toEqual([
      'ServiceAccount/qwen3', 'Role/qwen3-discovery', 'RoleBinding/qwen3-discovery',
      'Service/qwen3-frontend', 'Service/qwen3-prefill', 'Service/qwen3-decode',
      'NetworkPolicy/qwen3-workers', 'NetworkPolicy/qwen3-frontend',
      'PodCliqueSet/qwen3',
    ]);
    expect(kindsAndNames(dev.named('app-llama-70b-multinode-objects'))).toEqual([
      'ServiceAccount/llama-70b', 'Role/llama-70b-discovery', 'RoleBinding/llama-70b-discovery',
      'Service/llama-70b-frontend', 'Service/llama-70b-worker',
      'NetworkPolicy/llama-70b-workers', 'NetworkPolicy/llama-70b-frontend',
      'PodCliqueSet/llama-70b',
    ]);
    for (const name of DEV_WORKLOADS) {
      for (const o of dev.named(name).inputs.objs) {
        expect([name, o.metadata.name, o.metadata.namespace]).toEqual([name, o.metadata.name, 'inference']);
      }
    }
  });

  test('without the Network Operator, no GPU pod requests an RDMA device, runs privileged or gets the UCX/NCCL environment', () => {
    const containers = { ...gpuContainers(dev.named(DEV_WORKLOADS[0])), ...gpuContainers(dev.named(DEV_WORKLOADS[1])) };
    expect(Object.keys(containers)).toEqual(['qwen3/prefill', 'qwen3/decode', 'llama-70b/worker-ldr', 'llama-70b/worker-wkr']);
    for (const [name, c] of Object.entries(containers)) {
      expect([name, Object.keys({ ...c.resources.requests, ...c.resources.limits }).filter(r => r.startsWith('rdma/'))]).toEqual([name, []]);
      // Not privileged: the restricted profile of the Dynamo contract (no RDMA).
      expect([name, c.securityContext?.privileged, c.securityContext?.capabilities]).toEqual([name, undefined, { drop: ['ALL'] }]);
      expect([name, (c.env ?? []).map((e: any) => e.name).filter((n: string) => /^(UCX|NCCL)_/.test(n))]).toEqual([name, []]);
    }
    // llama-70b keeps its recipe's /dev/shm; the tiny qwen3 gets Dynamo's default
    expect(Object.fromEntries(Object.entries(containers).map(([n, c]) => [n, c.shm]))).toEqual({
      'qwen3/prefill': '8Gi', 'qwen3/decode': '8Gi', 'llama-70b/worker-ldr': '80Gi', 'llama-70b/worker-wkr': '80Gi',
    });
  });

  test('every PodCliqueSet and each of its cliques carries the leaf queue and the KAI node pool of the h100 pool', () => {
    const kai = { 'kai.scheduler/queue': 'inference', 'kai.scheduler/node-pool': 'h100' };
    const sets = DEV_WORKLOADS.flatMap(name => dev.named(name).inputs.objs.filter((o: any) => o.kind === 'PodCliqueSet'));
    expect(sets.map((p: any) => p.metadata.name)).toEqual(['qwen3', 'llama-70b']);
    for (const pcs of sets) {
      expect(pcs.metadata.labels).toMatchObject(kai);
      expect(pcs.spec.template.cliques.length).toBeGreaterThan(0);
      for (const clique of pcs.spec.template.cliques) {
        expect([pcs.metadata.name, clique.name, clique.labels]).toEqual([pcs.metadata.name, clique.name, expect.objectContaining(kai)]);
        expect([pcs.metadata.name, clique.name, clique.spec.podSpec.schedulerName]).toEqual([pcs.metadata.name, clique.name, 'kai-scheduler']);
      }
    }
  });

  test('in dependency order: cluster, GPU pool, GPU Operator, KAI (shard, queues), Grove (chart, topology), then the workloads', () => {
    for (let i = 1; i < DEV_ORDER.length; i++) {
      expect([DEV_ORDER[i], dev.dependsOnTransitively(DEV_ORDER[i], DEV_ORDER[i - 1])]).toEqual([DEV_ORDER[i], true]);
    }
    for (const name of DEV_WORKLOADS) {
      for (const earlier of [...DEV_ORDER, 'ns-inference']) {
        expect([name, earlier, dev.dependsOnTransitively(name, earlier)]).toEqual([name, earlier, true]);
      }
      // Directly, not only through the chain: the Grove chart (CRDs, webhooks), KAI and its queues, the namespace
      expect(dev.named(name.replace(/-objects$/, '')).dependsOn).toEqual(expect.arrayContaining([
        'grove-chart', 'grove-topology', 'kai-release', 'kai-shard-h100', 'kai-queue-h100', 'kai-queue-inference', 'ns-inference',
      ]));
    }
    // Nothing waits for the workloads
    const workloadComponents = DEV_WORKLOADS.map(n => n.replace(/-objects$/, ''));
    for (const r of dev.resources.filter(x => ![...DEV_WORKLOADS, ...workloadComponents].includes(x.name))) {
      for (const w of DEV_WORKLOADS) {
        expect([r.name, w, dev.dependsOnTransitively(r.name, w)]).toEqual([r.name, w, false]);
      }
    }
  });

  test('no Kubernetes object is declared twice (it would fail to create, or be deleted with either owner)', () => {
    const declared = [
      ...dev.resources.filter(r => r.custom && r.type.startsWith('kubernetes:') && r.inputs.kind !== undefined).map(r => r.inputs),
      ...dev.ofType('kubernetes:yaml/v2:ConfigGroup').flatMap(g => g.inputs.objs),
    ].map((o: any) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(declared).toContain('v1/Namespace//inference');
    expect(declared.filter((k, i) => declared.indexOf(k) !== i)).toEqual([]);
  });

  test('the apps share one Namespace resource for the namespace they use and do not define', () => {
    const ns = dev.named('ns-inference');
    expect(ns.type).toBe('kubernetes:core/v1:Namespace');
    expect(ns.provider).toBe('aks-k8s');
    expect(ns.inputs.metadata).toEqual({ name: 'inference' });
    expect(dev.ofType('kubernetes:core/v1:Namespace').map(r => r.name).filter(n => n.startsWith('ns-'))).toEqual(['ns-inference']);
  });

  test('the registered resource graph', () => {
    expect(dev.graph()).toMatchSnapshot();
  });
});

describe('the program (infra/index.ts)', () => {
  test('applies the apps the stack names, from the registry in apps.ts, after the operators', async () => {
    setStackConfig({ ...readStackFile('kind'), 'cdk8s-grove:apps': ['tiny'] });
    const cpuOnly = { tiny: tinyApp({ prefillGpus: 0, decodeGpus: 0, nodePool: null }) };
    const program = importProgram({ [path.join(INFRA_DIR, 'apps')]: () => ({ APPS: cpuOnly }) });
    await settle();
    expect(program.mode).toBe('platform');
    expect(program.apps).toEqual([{ app: 'tiny', gpus: 0, maxGpus: 0, nodes: {}, maxNodes: {} }]);
    expect(rec.named('app-tiny-objects').inputs.objs.map((o: any) => o.kind)).toEqual(['PodCliqueSet']);
    // The namespace it uses but does not define is created for it, before it
    expect(rec.named('ns-inference').inputs.metadata).toEqual({ name: 'inference' });
    expect(rec.dependsOnTransitively('app-tiny-objects', 'ns-inference')).toBe(true);
    expect(rec.dependsOnTransitively('app-tiny-objects', 'grove-chart')).toBe(true);
  });

  test('stops on bad config before declaring anything', () => {
    setStackConfig({ ...readStackFile('dev'), 'cdk8s-grove:gpuPools': [{ name: 'h100', maxCount: 0 }] });
    expect(() => importProgram()).toThrow(/cdk8s-grove:gpuPools\[0\]\.maxCount: must be a whole number between 1 and 1000, got 0/);
    expect(rec.resources).toEqual([]);
  });
});

describe('runProgram, mode aks, dev stack with the tiny app', () => {
  // One run serves every read-only assertion of this block.
  let dev: Recorder;
  let seen: unknown[];
  let operatorConfig: unknown;
  beforeAll(async () => {
    rec = await installMocks('dev');
    seen = [];
    await run('dev', withTiny, { tiny: (app, ctx) => {
      seen.push(ctx);
      operatorConfig = GroveOperatorConfig.of(app);
      tinyApp()(app, ctx);
    } });
    dev = rec.copy();
  });

  test('declares everything in order: cluster, GPU pools, GPU Operator, KAI (shards, queues), Grove (topology), apps', () => {
    for (let i = 1; i < AKS_ORDER.length; i++) {
      expect([AKS_ORDER[i], dev.dependsOnTransitively(AKS_ORDER[i], AKS_ORDER[i - 1])]).toEqual([AKS_ORDER[i], true]);
    }
    // The workloads wait for every operator's children: the KAI queues and the Grove chart (CRDs, webhooks).
    const workloads = dev.named('app-tiny');
    expect(workloads.dependsOn).toEqual(expect.arrayContaining(['grove-chart', 'grove-topology', 'kai-release', 'kai-queue-inference']));
  });

  test('every Kubernetes resource goes through the cluster\'s provider', () => {
    const k8sResources = dev.resources.filter(r => r.type.startsWith('kubernetes:'));
    expect(k8sResources.length).toBeGreaterThan(5);
    for (const r of k8sResources) {
      expect([r.name, r.provider]).toEqual([r.name, 'aks-k8s']);
    }
  });

  test('KAI cooperates with the cluster autoscaler of the GPU pools', () => {
    expect(dev.named('kai-release').inputs.values.global).toEqual({ clusterAutoscaling: true });
  });

  test('the apps are told the stack\'s queues, pools and topology', () => {
    expect(seen).toEqual([{
      stack: 'dev',
      gpuPools: [{ name: 'h100', vmSize: 'Standard_ND96isr_H100_v5', kaiNodePool: 'h100', rdmaResources: [] }],
      queues: [{ name: 'inference', nodePool: 'h100' }, { name: 'default-queue' }],
      topologyName: 'aks-gpu',
    }]);
  });

  test('the apps synthesize against the Grove operator configuration the stack installs', () => {
    expect(operatorConfig).toMatchObject({ topologyAwareScheduling: true, schedulerProfiles: expect.arrayContaining(['kai-scheduler']) });
  });
});

describe('runProgram, mode aks, with a second GPU pool and the Network Operator', () => {
  let variant: Recorder;
  beforeAll(async () => {
    rec = await installMocks('dev');
    await run('dev', raw => {
      raw.gpuPools.push({ name: 'h100b', maxCount: 1, kaiNodePool: 'h100' });
      raw.operators.networkOperator.enabled = true;
    });
    variant = rec.copy();
  });

  test('GPU pools are created one after another (AKS runs one pool operation at a time), in one KAI shard', () => {
    expect(variant.dependsOnTransitively('gpu-h100b-pool', 'gpu-h100-pool')).toBe(true);
    expect(variant.ofType('kubernetes:kai.scheduler/v1:SchedulingShard').map(r => r.name)).toEqual(['kai-shard-h100']);
  });

  test('pools, then the Network Operator and its policy, then the GPU Operator using its NFD', () => {
    expect(variant.dependsOnTransitively('network-operator-release', 'gpu-h100b-pool')).toBe(true);
    expect(variant.dependsOnTransitively('network-operator-nic-policy', 'network-operator-release')).toBe(true);
    expect(variant.dependsOnTransitively('gpu-operator-release', 'network-operator-nic-policy')).toBe(true);
    expect(variant.named('gpu-operator-release').inputs.values).toMatchObject({ nfd: { enabled: false }, driver: { rdma: { enabled: true } } });
  });
});

describe('runProgram, mode platform', () => {
  const cpuOnly = { tiny: tinyApp({ prefillGpus: 0, decodeGpus: 0, nodePool: null }) };

  test('installs operators and apps into the existing cluster, without any Azure resource', async () => {
    const resources = await run('kind', withTiny, cpuOnly);
    expect(resources.cluster).toBeUndefined();
    expect(rec.resources.filter(r => r.type.startsWith('azure-native:'))).toEqual([]);
    expect(rec.calls).toEqual([]);
    const provider = rec.named('platform-k8s');
    expect(provider.type).toBe('pulumi:providers:kubernetes');
    expect(provider.inputs.context).toBe('kind-grove');
    // kind has no GPUs: no GPU Operator.
    expect(rec.ofType('cdk8s-grove:infra:GpuOperator')).toEqual([]);
    expect(rec.named('kai-release').inputs.values.global).toEqual({ clusterAutoscaling: false });
    expect(rec.dependsOnTransitively('app-tiny-objects', 'grove-chart')).toBe(true);
    expect(rec.dependsOnTransitively('grove-chart', 'kai-release')).toBe(true);
    for (const r of rec.resources.filter(x => x.type.startsWith('kubernetes:'))) {
      expect([r.name, r.provider]).toEqual([r.name, 'platform-k8s']);
    }
  });

  test('GPU pools describe the existing nodes: no pool is created, no label is assumed', async () => {
    await run('kind', raw => {
      raw.apps = ['tiny'];
      raw.gpuPools = [{ name: 'gpu', vmSize: 'Standard_ND96isr_H100_v5', maxCount: 2 }];
      raw.operators.gpuOperator.enabled = true;
    }, { tiny: tinyApp({ nodePool: null }) });
    expect(rec.resources.filter(r => r.type.startsWith('azure-native:'))).toEqual([]);
    expect(rec.ofType('kubernetes:kai.scheduler/v1:SchedulingShard')).toEqual([]);
    expect(rec.dependsOnTransitively('kai-release', 'gpu-operator-release')).toBe(true);
  });
});

describe('preflight: nothing is declared when a workload can never run', () => {
  function preflightError(stack: string, patch: (raw: Record<string, any>) => void, registry: AppRegistry): StackPreflightError {
    try {
      runProgram(parseStackConfig(stackConfig(stack, patch), registryWith(registry), stack), registryWith(registry), stack, testSecrets());
    } catch (e) {
      expect(rec.resources).toEqual([]);
      if (e instanceof StackPreflightError) {
        return e;
      }
      throw e;
    }
    throw new Error('expected the program to stop');
  }

  test('fails for a workload in a queue the stack does not create', () => {
    const err = preflightError('dev', withTiny, { tiny: tinyApp({ queue: 'batch' }) });
    expect(err.message).toContain('a workload would never be scheduled by KAI (1 problem)');
    expect(err.problems).toEqual([expect.objectContaining({
      constructPath: 'tiny/PodCliqueSet/inference/llm',
      field: 'metadata.labels["kai.scheduler/queue"]',
      value: 'batch',
      fix: 'add a queue named "batch" to the stack config key "queues", or use one of: inference, default-queue',
    })]);
  });

  test('fails for a workload in a parent queue', () => {
    const err = preflightError('dev', withTiny, { tiny: tinyApp({ queue: 'h100' }) });
    expect(err.problems[0].message).toBe('names a parent queue; only leaf queues accept workloads');
  });

  test('fails for a workload without the node-pool label of its queue', () => {
    const err = preflightError('dev', withTiny, { tiny: tinyApp({ nodePool: null }) });
    expect(err.message).toContain('tiny/PodCliqueSet/inference/llm] metadata.labels["kai.scheduler/node-pool"]: must be "h100", the node pool of queue "inference"');
    expect(err.problems[0].fix).toBe('label the PodCliqueSet kai.scheduler/node-pool=h100');
  });

  test('ignores queues of workloads that KAI does not schedule', () => {
    const registry = registryWith({ tiny: tinyApp({ queue: 'nope', schedulerName: 'default-scheduler', nodePool: null }) });
    const cfg = parseStackConfig(stackConfig('dev', withTiny), registry, 'dev');
    expect(preflight(cfg, synthesizeApps(cfg, registry, 'dev'))).toEqual([
      { app: 'tiny', gpus: 16, maxGpus: 16, nodes: { h100: 2 }, maxNodes: { h100: 2 } },
    ]);
  });

  test('fails an app whose GPU pods request rdma/ib on the dev stack, which has no RDMA device plugin', () => {
    // GIVEN the dev stack (Network Operator off) and qwen3-disagg with InfiniBand forced on
    const err = preflightError('dev', raw => { raw.apps = ['qwen3-ib']; }, QWEN3_IB);
    // THEN the program stops before declaring anything, naming the app, the resource and the fix
    expect(err.message).toBe([
      'a workload requests an RDMA device the GPU nodes do not advertise (1 problem):',
      '  [qwen3-ib/PodCliqueSet/inference/qwen3] resources["rdma/ib"]: is requested by cliques prefill, decode, '
        + 'but the nodes of GPU pool h100 do not advertise it (operators.networkOperator is not enabled, so no RDMA device plugin runs), '
        + 'so those pods would stay Pending; '
        + 'enable operators.networkOperator with an RDMA device plugin that advertises rdma/ib in its nicClusterPolicy '
        + '(a sriovDevicePlugin or rdmaSharedDevicePlugin config entry with "resourcePrefix": "rdma", "resourceName": "ib"), '
        + 'or set infiniband: false on the service',
    ].join('\n'));
  });

  test('fails it too when the Network Operator runs without an RDMA device plugin, or with one advertising another resource', () => {
    let err = preflightError('dev', raw => {
      raw.apps = ['qwen3-ib'];
      raw.operators.networkOperator.enabled = true;
    }, QWEN3_IB);
    expect(err.problems[0].message).toContain('(the default NicClusterPolicy of operators.networkOperator has no RDMA device plugin)');
    err = preflightError('dev', raw => {
      raw.apps = ['qwen3-ib'];
      raw.operators.networkOperator = { enabled: true, nicClusterPolicy: SHARED_IB_POLICY };
    }, QWEN3_IB);
    expect(err.problems[0].message).toContain('(the RDMA device plugin of operators.networkOperator.nicClusterPolicy advertises rdma/shared_ib)');
  });

  test('fails naming the app when it does not synthesize', () => {
    const err = preflightError('dev', withTiny, { tiny: () => { throw new Error('boom'); } });
    expect(err.problems).toEqual([{ constructPath: 'tiny', field: 'app', message: 'failed to synthesize: boom' }]);
  });
});

describe('runProgram, mode aks, dev stack with the Network Operator and an SR-IOV device plugin advertising rdma/ib', () => {
  let ib: Recorder;
  let seen: AppContext[];
  beforeAll(async () => {
    rec = await installMocks('dev');
    seen = [];
    await run('dev', raw => {
      raw.operators.networkOperator = { enabled: true, nicClusterPolicy: SRIOV_IB_POLICY };
      raw.apps = ['qwen3-disagg', 'llama-70b-multinode', 'ctx'];
    }, { ctx: (_app, ctx) => { seen.push(ctx); } });
    ib = rec.copy();
  });

  test('the apps are told the pool\'s nodes advertise rdma/ib, and the NicClusterPolicy that advertises it is applied', () => {
    expect(seen.map(c => c.gpuPools)).toEqual([[{ name: 'h100', vmSize: 'Standard_ND96isr_H100_v5', kaiNodePool: 'h100', rdmaResources: ['rdma/ib'] }]]);
    expect(ib.named('network-operator-nic-policy').inputs.spec).toEqual(SRIOV_IB_POLICY);
  });

  test('passes the preflight, and the example apps\' GPU pods get InfiniBand: rdma/ib, privileged with IPC_LOCK, UCX/NCCL, 80Gi /dev/shm', () => {
    const containers = { ...gpuContainers(ib.named('app-qwen3-disagg-objects')), ...gpuContainers(ib.named('app-llama-70b-multinode-objects')) };
    expect(Object.keys(containers)).toHaveLength(4);
    for (const [name, c] of Object.entries(containers)) {
      expect([name, c.resources.requests['rdma/ib'], c.resources.limits['rdma/ib']]).toEqual([name, '1', '1']);
      expect([name, c.securityContext]).toEqual([name, { privileged: true, capabilities: { add: expect.arrayContaining(['IPC_LOCK']) } }]);
      expect([name, c.env.map((e: any) => e.name)]).toEqual([name, expect.arrayContaining(['UCX_NET_DEVICES', 'NCCL_SOCKET_IFNAME'])]);
      expect([name, c.shm]).toEqual([name, '80Gi']);
    }
  });

  test('an app with InfiniBand forced on passes the preflight there', () => {
    const registry = registryWith(QWEN3_IB);
    const cfg = parseStackConfig(stackConfig('dev', raw => {
      raw.operators.networkOperator = { enabled: true, nicClusterPolicy: SRIOV_IB_POLICY };
      raw.apps = ['qwen3-ib'];
    }), registry, 'dev');
    expect(preflight(cfg, synthesizeApps(cfg, registry, 'dev'))).toEqual([
      { app: 'qwen3-ib', gpus: 3, maxGpus: 5, nodes: { h100: 1 }, maxNodes: { h100: 1 } },
    ]);
  });
});

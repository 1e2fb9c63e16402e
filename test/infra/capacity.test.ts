import { APPS, AppRegistry } from '../../infra/apps';
import { capacityProblems, CapacityPool, capacityReport, rdmaProblems } from '../../infra/capacity';
import { stackClusterModel } from '../../infra/cluster-model';
import { readWorkload, simulate } from '../../lib/cluster';
import { parseStackConfig } from '../../infra/config';
import { StackPreflightError } from '../../infra/errors';
import { preflight, runProgram, synthesizeApps } from '../../infra/program';
import { tinyApp, TinyOptions, tinyPodCliqueSet } from './fixtures';
import { installMocks, projectConfig, readStackFile, testSecrets } from './harness';

const H100 = 'Standard_ND96isr_H100_v5';
/** The dev stack's pool: at most 2 H100 nodes, in KAI shard h100. */
const DEV_POOLS: CapacityPool[] = [{ name: 'h100', vmSize: H100, maxCount: 2, kaiNodePool: 'h100' }];

function app(name: string, ...pcs: TinyOptions[]) {
  return { name, objects: pcs.map(o => tinyPodCliqueSet(o)) };
}

describe('capacityProblems', () => {
  test('a workload whose gangs fit, at the template size and at the autoscaler maximum, passes', () => {
    // prefill 1 × 8 GPUs + decode 1 × 8 GPUs = 16 GPUs = 2 nodes
    expect(capacityProblems([app('tiny', {})], DEV_POOLS)).toEqual([]);
  });

  test('fails a base gang that needs more nodes than the pool may have, saying how many of which SKU', () => {
    // decode has 2 pods of 8 GPUs: the base gang needs 24 GPUs = 3 nodes, the pool allows 2
    const problems = capacityProblems([app('tiny', { decodePods: 2 })], DEV_POOLS);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ constructPath: 'tiny/PodCliqueSet/inference/llm', field: 'gang llm-0' });
    expect(problems[0].message).toMatch(/^can never be scheduled to start: the workloads need 3 Standard_ND96isr_H100_v5 node\(s\) in pool h100, which allows 2 \(maxCount\); gang llm-0 \(4 pod\(s\), 24 GPU\(s\)\) cannot be placed: pod llm-0-prefill-0: 0\/2 nodes are available: 2 Insufficient nvidia\.com\/gpu\.$/);
    expect(problems[0].fix).toBe('raise the maxCount of GPU pool h100 to 3 (288 vCPUs of standardNDSH100v5Family quota), or lower the replicas or the resources per pod');
  });

  test('fails when what the autoscalers may add does not fit on top', () => {
    // the decode scaling group may grow to 2 replicas: one more 8-GPU pod, a third node
    const problems = capacityProblems([app('tiny', { decodeMaxReplicas: 2 })], DEV_POOLS);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe('gang llm-0-dec-0');
    expect(problems[0].message).toMatch(/^can never be scheduled at the autoscaler maximum: the workloads need 3 Standard_ND96isr_H100_v5 node\(s\) in pool h100, which allows 2/);
    expect(problems[0].fix).toBe('raise the maxCount of GPU pool h100 to 3 (288 vCPUs of standardNDSH100v5Family quota), or lower the autoscalers\' maxReplicas');
  });

  test('counts clique HPA pods at the maximum too', () => {
    const problems = capacityProblems([app('tiny', { prefillMaxReplicas: 3 })], DEV_POOLS);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('need 4 Standard_ND96isr_H100_v5 node(s) in pool h100');
    expect(problems[0].fix).toContain('raise the maxCount of GPU pool h100 to 4 (384 vCPUs');
  });

  test('fails a pod that asks for more GPUs than a node has, whatever the node count', () => {
    const problems = capacityProblems([app('tiny', { prefillGpus: 16 })], DEV_POOLS);
    expect(problems).toEqual([expect.objectContaining({ constructPath: 'tiny/PodCliqueSet/inference/llm', field: 'gang llm-0' })]);
    expect(problems[0].message).toBe('can never be scheduled to start, however many nodes the pools have: gang llm-0 (3 pod(s), 24 GPU(s)) cannot be placed: '
      + 'pod llm-0-prefill-0: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
    expect(problems[0].fix).toMatch(/^request less per pod than one node's allocatable/);
  });

  test('workloads of one shard compete for its nodes; the one that does not fit is named', () => {
    const problems = capacityProblems([app('a', { name: 'one' }), app('b', { name: 'two' })], DEV_POOLS);
    expect(problems.map(p => p.constructPath)).toEqual(['b/PodCliqueSet/inference/two']);
    expect(problems[0].message).toContain('need 4 Standard_ND96isr_H100_v5 node(s) in pool h100, which allows 2');
  });

  test('a KAI workload only uses the pools of its KAI node pool', () => {
    const pools: CapacityPool[] = [...DEV_POOLS, { name: 'spare', vmSize: H100, maxCount: 8 }];
    // In shard h100 the 3-node gang does not fit, although the default-shard pool has room.
    expect(capacityProblems([app('tiny', { decodePods: 2 })], pools)).toHaveLength(1);
    // Without the node-pool label it is in the default shard, which has the 8-node pool.
    expect(capacityProblems([app('tiny', { decodePods: 2, nodePool: null })], pools)).toEqual([]);
  });

  test('a workload KAI does not schedule may use every pool', () => {
    const pools: CapacityPool[] = [...DEV_POOLS, { name: 'spare', vmSize: H100, maxCount: 8 }];
    expect(capacityProblems([app('tiny', { decodePods: 2, schedulerName: 'default-scheduler' })], pools)).toEqual([]);
  });

  test('fails a GPU workload when no pool is in its shard, or there is no GPU pool at all', () => {
    expect(capacityProblems([app('tiny', { nodePool: 'a100' })], DEV_POOLS)).toEqual([expect.objectContaining({
      field: 'gang llm-0',
      message: 'can never be scheduled to start, however many nodes the pools have: gang llm-0 (3 pod(s), 16 GPU(s)) cannot be placed: '
        + "pod llm-0-prefill-0: 0/2 nodes are available: 2 node(s) didn't match the KAI node pool a100.",
      fix: expect.stringMatching(/^add a pool to the gang's KAI node pool/),
    })]);
    expect(capacityProblems([app('tiny', { nodePool: null })], DEV_POOLS)[0].message)
      .toContain("0/2 nodes are available: 2 node(s) didn't match the KAI default node pool.");
    expect(capacityProblems([app('tiny', { schedulerName: 'default-scheduler' })], [])[0].message)
      .toContain('pod llm-0-prefill-0: 0/0 nodes are available.');
  });

  test('a CPU-only router in the base gang that does not tolerate the GPU taint fails the check, naming the taint', () => {
    // GIVEN the dev pools: GPU nodes only in shard h100, all tainted nvidia.com/gpu=present:NoSchedule
    const problems = capacityProblems([app('tiny', { routerTolerates: false })], DEV_POOLS);
    expect(problems).toEqual([expect.objectContaining({
      constructPath: 'tiny/PodCliqueSet/inference/llm',
      field: 'gang llm-0',
      message: 'can never be scheduled to start, however many nodes the pools have: gang llm-0 (3 pod(s), 16 GPU(s)) cannot be placed: '
        + 'pod llm-0-router-0: 0/2 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}.',
      fix: expect.stringContaining('toleration for nvidia.com/gpu=present'),
    })]);
  });

  test('CPU-only workloads need no GPU pool', () => {
    expect(capacityProblems([app('tiny', { prefillGpus: 0, decodeGpus: 0, nodePool: null })], [])).toEqual([]);
  });

  test('reports PodCliqueSets the gang computation cannot read, at their path', () => {
    const pcs = tinyPodCliqueSet();
    pcs.spec.template.podCliqueScalingGroups[0].cliqueNames = ['missing'];
    const problems = capacityProblems([{ name: 'tiny', objects: [pcs] }], DEV_POOLS);
    expect(problems).toEqual([expect.objectContaining({
      constructPath: 'tiny/PodCliqueSet/inference/llm',
      field: 'spec.template.podCliqueScalingGroups[0].cliqueNames',
      message: 'references cliques that do not exist',
    })]);
  });
});

describe('rdmaProblems', () => {
  const SETUP = 'operators.networkOperator is not enabled, so no RDMA device plugin runs';
  const IB_POOLS: CapacityPool[] = [{ ...DEV_POOLS[0], rdmaResources: ['rdma/ib'] }];

  test('passes workloads that request no RDMA device, and RDMA devices the nodes of their pools advertise', () => {
    expect(rdmaProblems([app('tiny', {})], DEV_POOLS, SETUP)).toEqual([]);
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib' })], IB_POOLS, SETUP)).toEqual([]);
  });

  test('fails a workload requesting an RDMA device its pools do not advertise, naming the cliques, the resource and the fix', () => {
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib' })], DEV_POOLS, SETUP)).toEqual([{
      constructPath: 'tiny/PodCliqueSet/inference/llm',
      field: 'resources["rdma/ib"]',
      message: `is requested by cliques prefill, decode, but the nodes of GPU pool h100 do not advertise it (${SETUP}), so those pods would stay Pending`,
      fix: 'enable operators.networkOperator with an RDMA device plugin that advertises rdma/ib in its nicClusterPolicy '
        + '(a sriovDevicePlugin or rdmaSharedDevicePlugin config entry with "resourcePrefix": "rdma", "resourceName": "ib"), '
        + 'or set infiniband: false on the service',
    }]);
    // Another RDMA resource than the one advertised does not help.
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/shared_ib' })], IB_POOLS, SETUP)).toEqual([
      expect.objectContaining({ field: 'resources["rdma/shared_ib"]' }),
    ]);
  });

  test('only the pools of the workload\'s KAI shard count; a pool without InfiniBand is called out', () => {
    const pools: CapacityPool[] = [...DEV_POOLS, { name: 'spare', vmSize: H100, maxCount: 2, rdmaResources: ['rdma/ib'] }];
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib' })], pools, SETUP)).toHaveLength(1);
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib', nodePool: null })], pools, SETUP)).toEqual([]);
    const noIb: CapacityPool[] = [{ name: 'nc', vmSize: 'Standard_NC80adis_H100_v5', maxCount: 2, kaiNodePool: 'h100' }];
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib' })], noIb, SETUP)[0].message)
      .toContain('the nodes of GPU pool nc (Standard_NC80adis_H100_v5 has no InfiniBand) do not advertise it');
  });

  test('reads the containers of other workloads too, and leaves GPU workloads without a pool to the capacity check', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench', namespace: 'inference' },
      spec: { template: { spec: { containers: [{ name: 'ib', resources: { limits: { 'rdma/ib': 1 } } }] } } },
    };
    expect(rdmaProblems([{ name: 'bench', objects: [deployment] }], DEV_POOLS, SETUP)).toEqual([expect.objectContaining({
      constructPath: 'bench/Deployment/inference/bench',
      message: expect.stringMatching(/^is requested by its pod template, but the nodes of GPU pool h100 do not advertise it/),
    })]);
    expect(rdmaProblems([app('tiny', { rdma: 'rdma/ib', nodePool: 'a100' })], DEV_POOLS, SETUP)).toEqual([]);
  });
});

describe('capacityReport', () => {
  test('the GPUs and nodes each app needs, at the template size and at the maximum', () => {
    expect(capacityReport([app('tiny', { decodeMaxReplicas: 2 }), app('cpu', { prefillGpus: 0, decodeGpus: 0, nodePool: null })], DEV_POOLS)).toEqual([
      { app: 'tiny', gpus: 16, maxGpus: 24, nodes: { h100: 2 }, maxNodes: { h100: 3 } },
      { app: 'cpu', gpus: 0, maxGpus: 0, nodes: {}, maxNodes: {} },
    ]);
  });
});

/** The dev stack's config (unprefixed keys) with `patch` applied. */
function devConfig(patch: (raw: Record<string, any>) => void): Record<string, any> {
  const raw = projectConfig(readStackFile('dev'));
  patch(raw);
  return raw;
}

/** Runs the program on the patched dev stack and returns the error it stops with; nothing may be declared. */
async function stopsWith(patch: (raw: Record<string, any>) => void, registry: AppRegistry = APPS): Promise<StackPreflightError> {
  const rec = await installMocks('dev');
  const cfg = parseStackConfig(devConfig(patch), registry, 'dev');
  let error: unknown;
  try {
    runProgram(cfg, registry, 'dev', testSecrets());
  } catch (e) {
    error = e;
  }
  expect(rec.resources).toEqual([]);
  expect(error).toBeInstanceOf(StackPreflightError);
  return error as StackPreflightError;
}

describe('the program runs the capacity check before declaring anything', () => {
  test('stops with the nodes and SKU the workload needs', async () => {
    // GIVEN the dev stack with its pool capped at 2 nodes, running an app whose base gang needs 3
    const error = await stopsWith(raw => {
      raw.gpuPools[0].maxCount = 2;
      raw.apps = ['tiny'];
    }, { ...APPS, tiny: tinyApp({ decodePods: 2 }) });
    expect(error.message).toMatch(/^a workload can never fit the GPU pools \(1 problem\):\n {2}\[tiny\/PodCliqueSet\/inference\/llm\] gang llm-0: can never be scheduled to start: the workloads need 3 Standard_ND96isr_H100_v5 node\(s\) in pool h100, which allows 2 \(maxCount\)/);
  });

  test('fails config whose GPU pool VM size the catalog does not know', () => {
    const raw = projectConfig(readStackFile('dev'));
    (raw.gpuPools as any)[0].vmSize = 'Standard_NC24ads_A100_v4';
    expect(() => parseStackConfig(raw, APPS, 'dev')).toThrow(/cdk8s-grove:gpuPools\[0\]\.vmSize: is not a GPU VM size the capacity check knows, got "Standard_NC24ads_A100_v4"; use one of Standard_ND96isr_H100_v5/);
  });
});

describe('the example apps on the dev stack\'s H100 pool', () => {
  const H100_FIX = 'or lower the replicas or the resources per pod';

  test('fails the dev stack with maxCount 3, naming the app, the gang, the nodes it needs and the fix', async () => {
    // GIVEN the dev stack (qwen3-disagg and llama-70b-multinode in KAI shard h100) with 3 nodes instead of 5
    const error = await stopsWith(raw => { raw.gpuPools[0].maxCount = 3; });
    // THEN llama-70b's second 2-node instance (the scaled gang its 2 replicas ask for) finds no room: its two
    // instances need 4 whole nodes and qwen3 a fifth, so the fix is 5 nodes
    expect(error.message).toBe([
      'a workload can never fit the GPU pools (1 problem):',
      '  [llama-70b-multinode/PodCliqueSet/inference/llama-70b] gang llama-70b-0-worker-0: can never be scheduled to start: '
        + 'the workloads need 5 Standard_ND96isr_H100_v5 node(s) in pool h100, which allows 3 (maxCount); '
        + 'gang llama-70b-0-worker-0 (2 pod(s), 16 GPU(s)) cannot be placed: pod llama-70b-0-worker-1-worker-ldr-0: 0/6 nodes are available: '
        + '3 Insufficient cpu, 3 Insufficient memory, 3 Insufficient nvidia.com/gpu, 3 node(s) didn\'t match the KAI node pool h100.; '
        + `raise the maxCount of GPU pool h100 to 5 (480 vCPUs of standardNDSH100v5Family quota), ${H100_FIX}`,
    ].join('\n'));
    expect(error.problems).toEqual([expect.objectContaining({
      constructPath: 'llama-70b-multinode/PodCliqueSet/inference/llama-70b',
      field: 'gang llama-70b-0-worker-0',
    })]);
  });

  test('llama-70b-multinode alone needs 4 nodes: two instances of two nodes each', async () => {
    const error = await stopsWith(raw => {
      raw.gpuPools[0].maxCount = 3;
      raw.apps = ['llama-70b-multinode'];
    });
    expect(error.problems).toEqual([expect.objectContaining({
      constructPath: 'llama-70b-multinode/PodCliqueSet/inference/llama-70b',
      field: 'gang llama-70b-0-worker-0',
      fix: `raise the maxCount of GPU pool h100 to 4 (384 vCPUs of standardNDSH100v5Family quota), ${H100_FIX}`,
    })]);
    expect(error.message).toContain('need 4 Standard_ND96isr_H100_v5 node(s) in pool h100, which allows 3 (maxCount)');
  });

  test('deepseek-r1-disagg needs 4 nodes to start: its base gang holds a 16-GPU prefill and a 16-GPU decode instance', async () => {
    const error = await stopsWith(raw => {
      raw.gpuPools[0].maxCount = 3;
      raw.apps = ['deepseek-r1-disagg'];
    });
    expect(error.message).toBe([
      'a workload can never fit the GPU pools (1 problem):',
      '  [deepseek-r1-disagg/PodCliqueSet/inference/dsr1] gang dsr1-0: can never be scheduled to start: '
        + 'the workloads need 4 Standard_ND96isr_H100_v5 node(s) in pool h100, which allows 3 (maxCount); '
        + 'gang dsr1-0 (5 pod(s), 32 GPU(s)) cannot be placed: pod dsr1-0-decode-0-decode-wkr-0: 0/6 nodes are available: '
        + '3 Insufficient cpu, 3 Insufficient memory, 3 Insufficient nvidia.com/gpu, 3 node(s) didn\'t match the KAI node pool h100.; '
        + `raise the maxCount of GPU pool h100 to 4 (384 vCPUs of standardNDSH100v5Family quota), ${H100_FIX}`,
    ].join('\n'));
  });

  test('every example app places on the dev stack\'s cluster model, alone and the dev set together, every pod on an h100 node', () => {
    for (const apps of [['qwen3-disagg'], ['llama-70b-multinode'], ['deepseek-r1-disagg'], ['qwen3-disagg', 'llama-70b-multinode']]) {
      const cfg = parseStackConfig(devConfig(raw => { raw.apps = apps; }), APPS, 'dev');
      const synthesized = synthesizeApps(cfg, APPS, 'dev');
      expect([apps, capacityProblems(synthesized, stackClusterModel(cfg))]).toEqual([apps, []]);
      const sim = simulate(stackClusterModel(cfg), synthesized.flatMap(a => a.objects.filter((o: any) => o.kind === 'PodCliqueSet')).map(o => readWorkload(o)));
      expect([apps, sim.maximum.fits]).toEqual([apps, true]);
      const pods = sim.maximum.placements;
      expect(pods.length).toBeGreaterThan(0);
      // frontends included: the gang's KAI shard (h100) holds only the GPU nodes
      expect(pods.filter(p => p.pod.clique === 'frontend')).not.toHaveLength(0);
      expect(pods.filter(p => !p.node.startsWith('h100-'))).toEqual([]);
    }
  });

  test('the preflight stops a frontend-like CPU clique that does not tolerate the GPU taint, naming the taint', async () => {
    const error = await stopsWith(raw => { raw.apps = ['tiny']; }, { ...APPS, tiny: tinyApp({ routerTolerates: false }) });
    expect(error.message).toContain('pod llm-0-router-0: 0/8 nodes are available: 3 node(s) didn\'t match the KAI node pool h100, '
      + '5 node(s) had untolerated taint {nvidia.com/gpu: present}.');
  });

  test('deepseek-r1-disagg fits a pool of 4', () => {
    const cfg = parseStackConfig(devConfig(raw => {
      raw.gpuPools[0].maxCount = 4;
      raw.apps = ['deepseek-r1-disagg'];
    }), APPS, 'dev');
    expect(preflight(cfg, synthesizeApps(cfg, APPS, 'dev'))).toEqual([
      { app: 'deepseek-r1-disagg', gpus: 32, maxGpus: 32, nodes: { h100: 4 }, maxNodes: { h100: 4 } },
    ]);
  });
});

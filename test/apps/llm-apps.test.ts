/**
 * The three LLM example apps: snapshots plus the semantics that matter (roles, GPUs per pod, group membership,
 * minAvailable, startup order, env wiring, gangs and the nodes they need).
 */
import { App, Chart } from 'cdk8s';
import { DeepseekR1Disagg, Llama70bMultinode, Qwen3Disagg } from '../../apps/llm';
import { admit, catalog, cluster, DEFAULT_OPERATOR_CONFIG } from '../../lib';
import { describeWithReference } from '../support/reference';
import { expectSchemaValid } from '../support/schema';

function synth(chart: Chart) {
  const objects = chart.toJson();
  const pcs = objects.find(o => o.kind === 'PodCliqueSet');
  const clique = (name: string) => pcs.spec.template.cliques.find((c: any) => c.name === name);
  const main = (name: string) => clique(name).spec.podSpec.containers[0];
  return { objects, pcs, clique, main };
}

const H100 = 'Standard_ND96isr_H100_v5';

/** Places the PodCliqueSet on `nodes` ND96isr_H100_v5 nodes with the SR-IOV RDMA plugin (8 rdma/ib per node). */
function place(pcs: unknown, nodes: number) {
  const model = { pools: [cluster.gpuPool(H100, nodes, { extendedResources: { 'rdma/ib': 8 } })] };
  return cluster.simulate(model, [cluster.readWorkload(pcs)]);
}

describe('qwen3-disagg', () => {
  const { objects, pcs, clique, main } = synth(new Qwen3Disagg(new App(), 'qwen3-disagg'));

  test('snapshot', () => expect(objects).toMatchSnapshot());

  test('one frontend, one prefill, two decode workers, one GPU each, KV-aware routing, KAI queue', () => {
    expect(pcs.spec.template.cliques.map((c: any) => [c.name, c.spec.replicas, c.spec.minAvailable])).toEqual([['frontend', 1, 1], ['prefill', 1, 1], ['decode', 2, 1]]);
    expect(main('prefill').resources.limits['nvidia.com/gpu']).toBe('1');
    expect(main('decode').resources.limits['nvidia.com/gpu']).toBe('1');
    expect(main('frontend').env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'kv' });
    expect(main('prefill').args).toEqual(expect.arrayContaining(['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'prefill']));
    expect(pcs.metadata).toMatchObject({ name: 'qwen3', namespace: 'inference', labels: { 'kai.scheduler/queue': 'inference' } });
    // Decode scales on its KV-cache use, never on CPU (a GPU worker uses a core or two), and keeps the two workers.
    expect(clique('decode').spec.autoScalingConfig).toEqual({
      minReplicas: 2, maxReplicas: 4,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'dynamo_component_kvstats_gpu_cache_usage_percent' }, target: { type: 'AverageValue', averageValue: '700m' } } }],
    });
  });

  test('one gang holds everything and fits one H100 node (five GPUs at the autoscaler maximum)', () => {
    const gangs = catalog.podCliqueSetGangs(pcs);
    expect(gangs.gangs.map(g => [g.name, g.kind, g.pods.length, g.gpus])).toEqual([['qwen3-0', 'base', 4, 3]]);
    expect(gangs.maxGpus).toBe(5);
    const plan = place(pcs, 1);
    expect(plan.maximum.fits).toBe(true);
    expect(new Set(plan.maximum.placements.map(p => p.node))).toEqual(new Set([`${H100}-0`]));
  });
});

describe('llama-70b-multinode', () => {
  const { objects, pcs, clique, main } = synth(new Llama70bMultinode(new App(), 'llama-70b-multinode'));

  test('snapshot', () => expect(objects).toMatchSnapshot());

  test('each instance is a leader and a worker pod of 8 GPUs (tp=16 over two ND96isr_H100_v5), two instances', () => {
    expect(pcs.spec.template.podCliqueScalingGroups).toEqual([{ name: 'worker', cliqueNames: ['worker-ldr', 'worker-wkr'], replicas: 2, minAvailable: 1 }]);
    for (const c of ['worker-ldr', 'worker-wkr']) {
      expect(clique(c).spec.replicas).toBe(1);
      expect(main(c).resources.limits['nvidia.com/gpu']).toBe('8');
      expect(clique(c).spec.podSpec.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': H100 });
    }
    const leader = main('worker-ldr').args.join(' ');
    expect(leader).toContain('--tensor-parallel-size 16');
    expect(leader).toContain('--nnodes 2 --master-addr $(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-worker-ldr-0.$(GROVE_HEADLESS_SERVICE) --master-port 29500 --node-rank 0');
    expect(main('worker-wkr').args[0]).toContain('--node-rank $((GROVE_PCLQ_POD_INDEX + 1)) --headless');
    expect(main('worker-wkr').readinessProbe).toBeUndefined();
    expect(pcs.spec.template.cliqueStartupType).toBeUndefined(); // vLLM needs no ordering
    expect(main('worker-ldr').env).toContainEqual({ name: 'HF_HOME', value: '/opt/models' });
  });

  test('the base gang is the frontend plus one complete instance; the second instance is its own gang; 4 nodes', () => {
    const gangs = catalog.podCliqueSetGangs(pcs);
    expect(gangs.gangs.map(g => [g.name, g.kind, g.pods.length, g.gpus])).toEqual([
      ['llama-70b-0', 'base', 3, 16],
      ['llama-70b-0-worker-0', 'scaled', 2, 16],
    ]);
    const enough = place(pcs, 4);
    expect(enough.template.fits).toBe(true);
    expect(enough.template.pools.map(p => p.nodesUsed)).toEqual([4]);
    expect(place(pcs, 3).template.fits).toBe(false);
  });
});

describe('deepseek-r1-disagg', () => {
  const { objects, pcs, main } = synth(new DeepseekR1Disagg(new App(), 'deepseek-r1-disagg'));

  test('snapshot', () => expect(objects).toMatchSnapshot());

  test('prefill and decode are each a two-node SGLang instance, data-parallel attention on decode', () => {
    expect(pcs.spec.template.podCliqueScalingGroups.map((g: any) => [g.name, g.cliqueNames])).toEqual([
      ['prefill', ['prefill-ldr', 'prefill-wkr']], ['decode', ['decode-ldr', 'decode-wkr']],
    ]);
    const decode = main('decode-ldr').args.join(' ');
    expect(decode).toContain('--tp-size 16');
    expect(decode).toContain('--dp-size 16');
    expect(decode).toContain('--disaggregation-mode decode');
    expect(decode).toContain('--disaggregation-transfer-backend nixl');
    expect(decode).toContain('--dist-init-addr $(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-decode-ldr-0.$(GROVE_HEADLESS_SERVICE):29500');
    expect(main('decode-ldr').resources.limits['nvidia.com/gpu']).toBe('8');
  });

  test('the service needs four ND96isr_H100_v5 nodes to start', () => {
    expect(place(pcs, 4).template.fits).toBe(true);
    expect(place(pcs, 3).template.fits).toBe(false);
  });
});

describe('every LLM app', () => {
  const charts = [Qwen3Disagg, Llama70bMultinode, DeepseekR1Disagg].map(C => new C(new App(), 'x'));

  test('every PodCliqueSet passes admission against a stock Grove install', () => {
    for (const chart of charts) {
      const pcs = chart.toJson().find(o => o.kind === 'PodCliqueSet');
      expect(admit({ operation: 'CREATE', object: pcs, operatorConfig: DEFAULT_OPERATOR_CONFIG }).errors).toEqual([]);
    }
  });

  describeWithReference('schema', () => {
    test('every object is schema-valid against the pinned CRDs', () => {
      for (const chart of charts) {
        expectSchemaValid(chart.toJson());
      }
    });
  });
});

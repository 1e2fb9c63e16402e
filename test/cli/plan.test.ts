/**
 * `cdk8s-grove plan`: gangs, nodes needed and fit, run as a child process, plus the pure `planObjects`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSource, LoadedInput, SourceObject, InputProblem } from '../../lib/cli/input';
import { planObjects } from '../../lib/cli/plan';
import { CLI_TIMEOUT_MS, FIXTURES, ROOT, cli, cliProcess } from './support';

jest.setTimeout(CLI_TIMEOUT_MS);

const H100 = 'Standard_ND96isr_H100_v5';
/** The clean 70B fixture with a frontend that tolerates the GPU taint. */
const LLM = `${FIXTURES}/plan/llm-70b.yaml`;
/** The same with a frontend that does not. */
const LLM_UNTOLERATED = `${FIXTURES}/clean/llm-70b.yaml`;
const LLAMA_APP = 'dist/llama-70b-multinode.k8s.yaml';

function load(file: string): LoadedInput {
  const objects: SourceObject[] = [];
  const problems: InputProblem[] = [];
  parseSource(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), objects, problems);
  return { files: [file], objects, problems };
}

describe('the disaggregated 70B fixture on ND96isr_H100_v5 nodes', () => {
  // frontend (CPU) + prefill 2 x 4 GPUs (HPA max 3) + decode scaling group of 2 x 8-GPU pods, 2 replicas
  // (1 in the base gang), HPA max 3.

  test('6 nodes: the base gangs fit; the autoscalers reach one more prefill pod but no third decode instance', () => {
    // WHEN
    const r = cliProcess(['plan', LLM, '--pool', `${H100}=6`]);
    // THEN
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      `PodCliqueSet llm70b (${LLM}:25): 1 replica`,
      '  gang               kind                 pods  GPUs  nodes needed on its own',
      `  llm70b-0           base                    5    24  3 ${H100}`,
      `  llm70b-0-decode-0  scaled                  2    16  2 ${H100}`,
      `  llm70b-0-decode-1  scaled (autoscaled)     2    16  2 ${H100}`,
      '  autoscaler: clique prefill 2 -> 3 replicas: 1 of 1 extra pod fit (4 GPUs each)',
      '  autoscaler: scaling group decode 2 -> 3 replicas: 0 of 1 extra scaled gang fit (16 GPUs each)',
      '',
      `pools: ${H100} 6 nodes x 8 GPUs`,
      `nodes needed: base gangs 3 ${H100}; template replicas 5 ${H100}; autoscaler maximum 8 ${H100}`,
      `base gangs: fit (1 gang placed, 24 GPUs on 3 of 6 ${H100} nodes; 0 GPUs stranded)`,
      `template replicas: fit (2 gangs placed, 40 GPUs on 5 of 6 ${H100} nodes; 0 GPUs stranded)`,
      `autoscaler maximum: DO NOT FIT (2 gangs placed, 44 GPUs on 6 of 6 ${H100} nodes; 4 GPUs stranded): gang llm70b-0-decode-1 (2 pod(s), 16 GPU(s)) `
        + 'cannot be placed: pod llm70b-0-decode-2-decode-ldr-0: 0/6 nodes are available: 6 Insufficient nvidia.com/gpu.',
      'plan: the base gangs fit',
    ]);
  });

  test('2 nodes are too few for the base gang: exit 1', () => {
    const r = cliProcess(['plan', LLM, '--pool', `${H100}=2`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^base gangs: DO NOT FIT \\(0 gangs placed, 0 GPUs on 0 of 2 ${H100} nodes; 0 GPUs stranded\\): gang llm70b-0 \\(5 pod\\(s\\), 24 GPU\\(s\\)\\) `
      + 'cannot be placed: pod llm70b-0-\\S+: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.$', 'm'));
    expect(r.lines[r.lines.length - 1]).toBe('plan: the base gangs do not fit');
  });

  test('3 nodes: the base gang fits, the scaled gang does not, still exit 0', () => {
    const r = cli(['plan', LLM, '--pool', `${H100}=3`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('template replicas: DO NOT FIT');
    expect(r.stdout).toContain('gang llm70b-0-decode-0 (2 pod(s), 16 GPU(s)) cannot be placed: pod llm70b-0-decode-1-decode-ldr-0: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.');
  });

  test('--format json', () => {
    const r = cli(['plan', LLM, '--pool', `${H100}=6`, '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      command: 'plan',
      ok: true,
      pools: [{ pool: H100, sku: H100, nodes: 6, gpusPerNode: 8 }],
      nodesNeeded: {
        baseGangs: [{ pool: H100, sku: H100, nodes: 3 }],
        template: [{ pool: H100, sku: H100, nodes: 5 }],
        maximum: [{ pool: H100, sku: H100, nodes: 8 }],
        neverFit: [],
      },
      baseGangs: { fits: true, gpusUsed: 24, gpusStranded: 0, placed: ['llm70b-0'] },
      template: { fits: true, gpusUsed: 40, gpusStranded: 0 },
      maximum: { fits: false, gpusUsed: 44, gpusStranded: 4 },
    });
    expect(report.podCliqueSets[0].gangs.map((g: any) => [g.name, g.kind, g.atTemplate, g.pods, g.gpus, g.minPods])).toEqual([
      ['llm70b-0', 'base', true, 5, 24, 4],
      ['llm70b-0-decode-0', 'scaled', true, 2, 16, 2],
      ['llm70b-0-decode-1', 'scaled', false, 2, 16, 2],
    ]);
  });
});

describe('the Llama-70B multi-node example app', () => {
  const present = fs.existsSync(path.join(ROOT, LLAMA_APP));

  (present ? test : test.skip)('says how many ND96isr_H100_v5 nodes it needs, fits on them and fails on one fewer', () => {
    // GIVEN ample nodes
    const ample = cli(['plan', LLAMA_APP, '--pool', `${H100}=64`, '--format', 'json']);
    expect(ample.status).toBe(0);
    const report = JSON.parse(ample.stdout);
    const base = report.nodesNeeded.baseGangs.reduce((n: number, p: any) => n + p.nodes, 0);
    const template = report.nodesNeeded.template.reduce((n: number, p: any) => n + p.nodes, 0);
    // THEN a multi-node 70B instance spans at least two 8-GPU nodes
    expect(base).toBeGreaterThanOrEqual(2);
    expect(template).toBeGreaterThanOrEqual(base);
    // WHEN exactly the base gangs' nodes are given, the text says so and they fit
    const exact = cli(['plan', LLAMA_APP, '--pool', `${H100}=${base}`]);
    expect(exact.status).toBe(0);
    expect(exact.stdout).toMatch(new RegExp(`^nodes needed: base gangs ${base} ${H100}; template replicas ${template} ${H100}`, 'm'));
    // WHEN one node fewer, the base gang cannot fit
    const short = cli(['plan', LLAMA_APP, '--pool', `${H100}=${base - 1}`]);
    expect(short.status).toBe(1);
    expect(short.stdout).toMatch(/^base gangs: DO NOT FIT/m);
  });
  if (!present) {
    // eslint-disable-next-line no-console
    console.warn(`[skipped] ${LLAMA_APP} is not synthesized yet (npm run synth)`);
  }
});

describe('pack constraints', () => {
  test('pack.required: block keeps a scaling-group replica in one pool (one InfiniBand fabric)', () => {
    // GIVEN two one-node pools: 16 GPUs in total, but no pool has two nodes
    const split = cli(['plan', `${FIXTURES}/plan/pack-block.yaml`, '--pools', `${FIXTURES}/plan/pools-split.yaml`]);
    expect(split.status).toBe(1);
    expect(split.stdout).toContain('scaling group model replica 0 fits in no single InfiniBand domain (one pool) (pack.required: block); pod tp16-0-model-0-rank-1: '
      + '0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) were outside the block domain scaling group model replica 0 is packed into.');
    // GIVEN a two-node pool
    const together = cli(['plan', `${FIXTURES}/plan/pack-block.yaml`, '--pool', `gpua:${H100}=2`, '--pool', `gpub:${H100}=1`]);
    expect(together.status).toBe(0);
    expect(together.stdout).toContain(`base gangs: fit (1 gang placed, 16 GPUs on 2 of 2 pool gpua nodes, 0 of 1 pool gpub nodes; 0 GPUs stranded)`);
  });

  test('pack.required: host with 16 GPUs never fits on 8-GPU nodes', () => {
    const r = cli(['plan', `${FIXTURES}/plan/pack-host.yaml`, '--pool', `${H100}=4`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('never fits: gang tp16-host-0 (2 pod(s), 16 GPU(s)) cannot be placed: scaling group model replica 0 fits in no single node (pack.required: host)');
    expect(r.stdout).toContain('(leaving out tp16-host-0, which never fits)');
  });

  test('without the constraint the same pods may span pools', () => {
    // GIVEN the block fixture with its constraint removed
    const input = load(`${FIXTURES}/plan/pack-block.yaml`);
    const pcs = JSON.parse(JSON.stringify(input.objects[0].object));
    delete pcs.spec.template.podCliqueScalingGroups[0].topologyConstraint;
    const loose: LoadedInput = { ...input, objects: [{ ...input.objects[0], object: pcs }] };
    // WHEN
    const report = planObjects(loose, [{ name: 'gpua', sku: H100, nodes: 1 }, { name: 'gpub', sku: H100, nodes: 1 }]);
    // THEN
    expect(report.ok).toBe(true);
    expect(report.baseGangs.pools.map(p => [p.name, p.nodesUsed])).toEqual([['gpua', 1], ['gpub', 1]]);
  });
});

describe('planObjects', () => {
  test('agrees with the hand count for the 70B fixture and strands 4 GPUs at the maximum', () => {
    const report = planObjects(load(LLM), [{ sku: H100, nodes: 8 }]);
    expect(report.ok).toBe(true);
    expect(report.maximum).toMatchObject({ fits: true, gpusUsed: 60, gpusStranded: 4 });
    expect(report.podCliqueSets[0].autoscalers).toEqual([
      { target: 'clique prefill', templateReplicas: 2, maxReplicas: 3, extra: 1, extraPlaced: 1, gpusEach: 4 },
      { target: 'scaling group decode', templateReplicas: 2, maxReplicas: 3, extra: 1, extraPlaced: 1, gpusEach: 16 },
    ]);
  });

  test('a node selector for another VM size matches no pool', () => {
    const input = load(LLM);
    const pcs = JSON.parse(JSON.stringify(input.objects[2].object));
    pcs.spec.template.cliques[1].spec.podSpec.nodeSelector = { 'node.kubernetes.io/instance-type': 'Standard_ND96isr_H200_v5' };
    const report = planObjects({ ...input, objects: [{ ...input.objects[2], object: pcs }] }, [{ sku: H100, nodes: 8 }]);
    expect(report.ok).toBe(false);
    expect(report.baseGangs.unplaced[0].reason).toMatch(/pod llm70b-0-prefill-\d: 0\/8 nodes are available: 8 node\(s\) didn't match Pod's node affinity\/selector\.$/);
  });

  test('an unreadable PodCliqueSet is reported with its place', () => {
    const input = load(LLM);
    const pcs = JSON.parse(JSON.stringify(input.objects[2].object));
    pcs.spec.template.podCliqueScalingGroups[0].cliqueNames = ['decode-ldr', 'nope'];
    const report = planObjects({ ...input, objects: [{ ...input.objects[2], object: pcs }] }, [{ sku: H100, nodes: 8 }]);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({
      file: LLM, object: 'PodCliqueSet/llm70b', field: 'spec.template.podCliqueScalingGroups[0].cliqueNames', rule: 'gangs',
      message: 'references cliques that do not exist, got ["nope"]',
    })]);
  });
});

describe('usage', () => {
  test('--help', () => {
    const r = cli(['plan', '-h']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cdk8s-grove plan \(--pool SKU=NODES\.\.\. \| --cluster FILE\) \[options\] PATH\.\.\./);
    expect(r.stdout).toContain('--cluster FILE');
    expect(r.stdout).toContain('--pool [NAME:]SKU=NODES');
    expect(r.stdout).toContain('--pools FILE');
  });

  test.each([
    [['plan', LLM], /plan needs node pools/],
    [['plan', '--pool', `${H100}=2`], /plan needs at least one PATH/],
    [['plan', LLM, '--pool', 'H100x4'], /--pool must look like SKU=NODES or NAME:SKU=NODES/],
    [['plan', LLM, '--pool', 'Standard_XYZ=2'], /unknown GPU node SKU "Standard_XYZ"; known: Standard_ND96isr_H100_v5/],
    [['plan', LLM, '--pool', `${H100}=1`, '--pool', `${H100}=2`], /two pools are named Standard_ND96isr_H100_v5/],
    [['plan', LLM, '--pools', `${FIXTURES}/plan/pools-bad.yaml`], /pools\[0\]\.nodes: Invalid input: expected number, received string/],
  ])('%j is bad usage (exit 2)', (args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('why pending: the scheduler filters and their messages', () => {
  test('a CPU-only frontend in the base gang that does not tolerate the GPU taint keeps the whole gang Pending', () => {
    // GIVEN the 70B fixture whose frontend has no toleration, on GPU nodes only
    const r = cli(['plan', LLM_UNTOLERATED, '--pool', `${H100}=6`]);
    // THEN the taint is named, with the scheduler's count of nodes
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('gang llm70b-0 (5 pod(s), 24 GPU(s)) cannot be placed: pod llm70b-0-frontend-0: 0/6 nodes are available: '
      + '6 node(s) had untolerated taint {nvidia.com/gpu: present}.');
  });

  test(`plan FILE --pool ${H100}=2 refuses a GPU pod that does not tolerate the GPU taint, and names the taint`, () => {
    const r = cliProcess(['plan', `${FIXTURES}/plan/gpu-untolerated.yaml`, '--pool', `${H100}=2`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('pod untolerated-0-worker-0: 0/2 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}.');
    const json = JSON.parse(cli(['plan', `${FIXTURES}/plan/gpu-untolerated.yaml`, '--pool', `${H100}=2`, '--format', 'json']).stdout);
    expect(json.baseGangs.unplaced[0].pendingPod).toEqual({
      name: 'untolerated-0-worker-0', message: '0/2 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}.',
    });
  });
});

describe('plan --cluster FILE', () => {
  const CLUSTER = `${FIXTURES}/plan/cluster-h100.yaml`;

  test('reads the cluster model: a gang in KAI\'s default shard cannot use the h100 shard\'s nodes, the system nodes lack GPUs', () => {
    const r = cliProcess(['plan', LLM, '--cluster', CLUSTER]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('pools: system (Standard_D4ds_v5) 2 nodes x 0 GPUs, h100 (Standard_ND96isr_H100_v5) 2 nodes x 8 GPUs');
    // The fixture has no kai.scheduler/node-pool label: its gang is judged by the default shard.
    expect(r.stdout).toMatch(/0\/4 nodes are available: 2 Insufficient nvidia\.com\/gpu, 2 node\(s\) didn't match the KAI default node pool\./);
  });

  test('the same workload labelled for node pool h100 is judged by that shard and places', () => {
    const input = load(LLM);
    const objects = input.objects.map(o => {
      if (o.object.kind !== 'PodCliqueSet') return o;
      const pcs = JSON.parse(JSON.stringify(o.object));
      pcs.metadata.labels = { ...pcs.metadata.labels, 'kai.scheduler/node-pool': 'h100' };
      return { ...o, object: pcs };
    });
    const { readClusterFile } = jest.requireActual('../../lib/cli/plan') as typeof import('../../lib/cli/plan');
    const model = readClusterFile(CLUSTER, { cwd: ROOT, stdin: () => '' } as never);
    // 24 GPUs of the base gang need 3 nodes; the pool has 2
    expect(planObjects({ ...input, objects }, model).baseGangs.unplaced[0].pendingPod?.message)
      .toMatch(/^0\/4 nodes are available: .*2 node\(s\) didn't match the KAI node pool h100\.$/);
    const bigger = { ...model, pools: model.pools.map(p => (p.name === 'h100' ? { ...p, nodes: 3 } : p)) };
    const report = planObjects({ ...input, objects }, bigger);
    expect(report.ok).toBe(true);
    expect(new Set(report.baseGangs.placements.map(p => p.node))).toEqual(new Set(['h100-0', 'h100-1', 'h100-2']));
  });

  test('a bad cluster file is bad usage, with every problem', () => {
    const r = cli(['plan', LLM, '--cluster', `${FIXTURES}/plan/cluster-bad.yaml`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pools[0].nodes: Invalid input: expected number, received string');
    expect(r.stderr).toContain('pools[1].taints[0]: ');
  });

  test('--cluster and --pool together are bad usage', () => {
    expect(cli(['plan', LLM, '--cluster', CLUSTER, '--pool', `${H100}=1`]).status).toBe(2);
  });
});

import { GroveValidationError } from '../../lib/errors';
import { parseQuantity, podCliqueSetGangs, podGpuRequest } from '../../lib/catalog';
import { describeWithReference, readReferenceYaml } from '../support/reference';
import { clique, group, multiNode, pcs } from './fixtures';

describe('podCliqueSetGangs', () => {
  test('standalone 1-GPU cliques: one base gang per PCS replica', () => {
    // GIVEN 2 PCS replicas of a 3-pod, 1-GPU clique
    const result = podCliqueSetGangs(pcs('agg', 2, [clique('worker', { replicas: 3, gpus: 1 })]));
    // THEN
    expect(result.gangs.map(g => [g.name, g.kind, g.pods.length, g.gpus])).toEqual([
      ['agg-0', 'base', 3, 3],
      ['agg-1', 'base', 3, 3],
    ]);
    expect(result.gangs[1].podGroups).toEqual([{ name: 'agg-1-worker', clique: 'worker', replicas: 3, minReplicas: 3, gpusPerPod: 1 }]);
    expect(result.gangs[1].pods.map(p => p.name)).toEqual(['agg-1-worker-0', 'agg-1-worker-1', 'agg-1-worker-2']);
    expect(result.gpus).toBe(6);
    expect(result.maxGangs).toEqual(result.gangs);
  });

  test('PCSG replicas below minAvailable join the base gang; the rest form scaled gangs', () => {
    // GIVEN a 2-node tp=16 leader/worker PCSG, replicas 2, minAvailable 1
    const result = podCliqueSetGangs(multiNode());
    // THEN the base gang holds the frontend and PCSG replica 0; replica 1 is scaled gang 0
    const [base, scaled] = result.gangs;
    expect(result.gangs.map(g => g.name)).toEqual(['llm-0', 'llm-0-dec-0']);
    expect(base.podGroups.map(g => g.name)).toEqual(['llm-0-frontend', 'llm-0-dec-0-leader', 'llm-0-dec-0-worker']);
    expect(base.pods.map(p => [p.name, p.gpus])).toEqual([
      ['llm-0-frontend-0', 0],
      ['llm-0-dec-0-leader-0', 8],
      ['llm-0-dec-0-worker-0', 8],
    ]);
    expect(base.gpus).toBe(16);
    expect(scaled).toMatchObject({ kind: 'scaled', scalingGroup: 'dec', scalingGroupReplica: 1, baseGang: 'llm-0', gpus: 16 });
    expect(scaled.pods.map(p => p.name)).toEqual(['llm-0-dec-1-leader-0', 'llm-0-dec-1-worker-0']);
    expect(result.gpus).toBe(32);
  });

  test('base gangs of all PCS replicas come before scaled gangs', () => {
    const result = podCliqueSetGangs(multiNode({ pcsReplicas: 2, pcsgReplicas: 3 }));
    expect(result.gangs.map(g => g.name)).toEqual(['llm-0', 'llm-1', 'llm-0-dec-0', 'llm-0-dec-1', 'llm-1-dec-0', 'llm-1-dec-1']);
    expect(result.gangs[3].pods.map(p => p.podClique)).toEqual(['llm-0-dec-2-leader', 'llm-0-dec-2-worker']);
  });

  test('minAvailable 2 puts two PCSG replicas in the base gang', () => {
    const result = podCliqueSetGangs(pcs('x', 1, [clique('a', { gpus: 4 })], [group('g', ['a'], { replicas: 3, minAvailable: 2 })]));
    expect(result.gangs.map(g => [g.name, g.podGroups.map(p => p.name)])).toEqual([
      ['x-0', ['x-0-g-0-a', 'x-0-g-1-a']],
      ['x-0-g-0', ['x-0-g-2-a']],
    ]);
  });

  test('autoscaler maximum: clique HPA grows the base gang, PCSG HPA adds scaled gangs', () => {
    // GIVEN a prefill clique with HPA max 5 and the decode PCSG with HPA max 4
    const obj = multiNode({ hpaMax: 4 });
    obj.spec.template.cliques.push(clique('prefill', { replicas: 2, gpus: 4, hpaMax: 5 }));
    // WHEN
    const result = podCliqueSetGangs(obj);
    // THEN
    expect(result.cliques.find(c => c.name === 'prefill')).toEqual({ name: 'prefill', replicas: 2, minAvailable: 2, maxReplicas: 5, gpusPerPod: 4 });
    expect(result.scalingGroups).toEqual([{ name: 'dec', cliqueNames: ['leader', 'worker'], replicas: 2, minAvailable: 1, maxReplicas: 4 }]);
    expect(result.gangs.map(g => [g.name, g.pods.length, g.gpus])).toEqual([['llm-0', 5, 24], ['llm-0-dec-0', 2, 16]]);
    expect(result.maxGangs.map(g => [g.name, g.pods.length, g.gpus])).toEqual([
      ['llm-0', 8, 36],
      ['llm-0-dec-0', 2, 16],
      ['llm-0-dec-1', 2, 16],
      ['llm-0-dec-2', 2, 16],
    ]);
    // the gang floor stays at minAvailable
    expect(result.maxGangs[0].podGroups.find(g => g.clique === 'prefill')).toMatchObject({ replicas: 5, minReplicas: 2 });
    expect(result.maxGpus).toBe(84);
  });

  test('an HPA maximum below the replicas does not shrink the peak', () => {
    const result = podCliqueSetGangs(pcs('x', 1, [clique('a', { replicas: 3, gpus: 1, hpaMax: 2 })]));
    expect(result.cliques[0].maxReplicas).toBe(3);
  });

  test('defaults: PCS replicas 0, clique replicas 0 -> 1, minAvailable = replicas, PCSG replicas/minAvailable 1', () => {
    expect(podCliqueSetGangs(pcs('none', undefined, [clique('a', { gpus: 1 })])).gangs).toEqual([]);
    const obj = pcs('d', 1, [clique('a', { replicas: 0, gpus: 1 }), clique('b', { replicas: 4 })], [group('g', ['b'])]);
    const result = podCliqueSetGangs(obj);
    expect(result.cliques.map(c => [c.name, c.replicas, c.minAvailable])).toEqual([['a', 1, 1], ['b', 4, 4]]);
    expect(result.scalingGroups[0]).toMatchObject({ replicas: 1, minAvailable: 1, maxReplicas: 1 });
    expect(result.gangs.map(g => g.name)).toEqual(['d-0']);
    expect(result.gangs[0].minPods).toBe(5);
  });

  test('fails listing every problem the computation cannot get past', () => {
    const obj = pcs('bad', 1, [
      clique('a', { gpus: 1 }),
      clique('a'),
      { spec: {} },
    ], [group('g', ['a', 'missing'], { replicas: 1, minAvailable: 2 })]);
    obj.spec.template.cliques[0].spec.podSpec.containers[0].resources.limits['nvidia.com/gpu'] = '500m';
    let error: GroveValidationError | undefined;
    try {
      podCliqueSetGangs(obj);
    } catch (e) {
      error = e as GroveValidationError;
    }
    expect(error).toBeInstanceOf(GroveValidationError);
    expect(error?.problems.map(p => p.field)).toEqual([
      'spec.template.podCliqueScalingGroups[0].minAvailable',
      'spec.template.cliques[0].spec.podSpec.containers[0].resources.limits[nvidia.com/gpu]',
      'spec.template.cliques[1].name',
      'spec.template.cliques[2].name',
      'spec.template.podCliqueScalingGroups[0].cliqueNames',
    ]);
    expect(error?.problems.every(p => p.constructPath === 'PodCliqueSet/bad')).toBe(true);
  });

  test('fails on objects that are not PodCliqueSets', () => {
    expect(() => podCliqueSetGangs(null)).toThrow(GroveValidationError);
    expect(() => podCliqueSetGangs({ kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { cliques: [] } } })).toThrow(/kind: must be PodCliqueSet/);
    expect(() => podCliqueSetGangs({ kind: 'PodCliqueSet', spec: { template: { cliques: [] } } })).toThrow(/metadata.name/);
  });

  test('a different GPU resource can be counted', () => {
    const obj = pcs('amd', 1, [clique('a')]);
    obj.spec.template.cliques[0].spec.podSpec.containers[0].resources = { limits: { 'amd.com/gpu': 2 } };
    expect(podCliqueSetGangs(obj).gpus).toBe(0);
    expect(podCliqueSetGangs(obj, { gpuResource: 'amd.com/gpu' }).gpus).toBe(2);
  });
});

describe('podGpuRequest', () => {
  const c = (gpus: number | undefined, extra: Record<string, unknown> = {}): any => ({
    name: 'c',
    ...(gpus === undefined ? {} : { resources: { limits: { 'nvidia.com/gpu': gpus } } }),
    ...extra,
  });

  test('sums app containers; takes requests, else limits', () => {
    expect(podGpuRequest({ containers: [c(2), c(3), c(undefined)] }).gpus).toBe(5);
    expect(podGpuRequest({ containers: [{ name: 'r', resources: { requests: { 'nvidia.com/gpu': '4' } } }] }).gpus).toBe(4);
  });

  test('a regular init container counts only as a peak', () => {
    expect(podGpuRequest({ initContainers: [c(2)], containers: [c(1)] }).gpus).toBe(2);
    expect(podGpuRequest({ initContainers: [c(1)], containers: [c(4)] }).gpus).toBe(4);
  });

  test('sidecar init containers add to the app containers and to later init containers', () => {
    const sidecar = c(1, { restartPolicy: 'Always' });
    expect(podGpuRequest({ initContainers: [sidecar], containers: [c(1)] }).gpus).toBe(2);
    expect(podGpuRequest({ initContainers: [sidecar, c(4)], containers: [c(1)] }).gpus).toBe(5);
    // an init container that runs before the sidecar starts does not overlap with it
    expect(podGpuRequest({ initContainers: [c(4), sidecar], containers: [c(1)] }).gpus).toBe(4);
  });

  test('reports unequal requests and limits and non-integer quantities', () => {
    const unequal = podGpuRequest({ containers: [{ name: 'x', resources: { requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 2 } } }] });
    expect(unequal.problems.map(p => p.field)).toEqual(['containers[0].resources']);
    expect(podGpuRequest({ containers: [c('one' as unknown as number)] }).problems.map(p => p.field)).toEqual(['containers[0].resources.limits[nvidia.com/gpu]']);
  });

  test('garbage pod specs count zero', () => {
    expect(podGpuRequest(undefined).gpus).toBe(0);
    expect(podGpuRequest({ containers: 'x' }).gpus).toBe(0);
  });
});

describe('parseQuantity', () => {
  test.each([
    [8, 8],
    ['8', 8],
    ['500m', 0.5],
    ['2k', 2000],
    ['1Gi', 2 ** 30],
    ['1e3', 1000],
    ['.5', 0.5],
    ['eight', undefined],
    ['', undefined],
    [null, undefined],
    [Infinity, undefined],
  ] as [unknown, number | undefined][])('%j -> %j', (q, expected) => {
    expect(parseQuantity(q)).toBe(expected);
  });
});

describeWithReference('gangs of upstream samples', () => {
  test('simple1: one base gang; the PCSG HPA max 6 adds five scaled gangs', () => {
    const [simple1] = readReferenceYaml('grove', 'samples', 'sample__simple_simple1.yaml');
    const result = podCliqueSetGangs(simple1);
    expect(result.gangs.map(g => [g.name, g.pods.length])).toEqual([['simple1-0', 9]]);
    expect(result.gangs[0].podGroups.map(g => g.name)).toEqual(['simple1-0-pca', 'simple1-0-pcd', 'simple1-0-sga-0-pcb', 'simple1-0-sga-0-pcc']);
    expect(result.maxGangs.map(g => g.name)).toEqual(['simple1-0', 'simple1-0-sga-0', 'simple1-0-sga-1', 'simple1-0-sga-2', 'simple1-0-sga-3', 'simple1-0-sga-4']);
    // pca's HPA max is 5
    expect(result.maxGangs[0].pods.length).toBe(11);
    // API.md §6: PCSG replica 1 with minAvailable 1 is scaled gang simple1-0-sga-0
    expect(result.maxGangs[1]).toMatchObject({ scalingGroupReplica: 1, baseGang: 'simple1-0' });
    expect(result.maxGangs[1].pods.map(p => p.name)).toEqual(['simple1-0-sga-1-pcb-0', 'simple1-0-sga-1-pcb-1', 'simple1-0-sga-1-pcc-0', 'simple1-0-sga-1-pcc-1']);
  });

  test('multi-node disaggregated sample: two PCSGs, prefill with replicas 2', () => {
    const [obj] = readReferenceYaml('grove', 'samples', 'sample__user-guide_01_core-concepts_multi-node-disaggregated.yaml');
    const result = podCliqueSetGangs(obj);
    expect(result.gangs.map(g => [g.name, g.pods.length])).toEqual([
      ['multinode-disaggregated-0', 8],
      ['multinode-disaggregated-0-prefill-0', 5],
    ]);
  });

  test('MNNVL mix sample: three standalone cliques and three single-replica PCSGs form one 12-GPU base gang', () => {
    const [mix] = readReferenceYaml('grove', 'samples', 'e2e__auto-mnnvl_mnnvl-comprehensive-mix.yaml');
    const result = podCliqueSetGangs(mix);
    expect(result.gangs.map(g => [g.name, g.pods.length, g.gpus])).toEqual([['mnnvl-mix-0', 12, 12]]);
    expect(result.gangs[0].podGroups.map(g => g.name).slice(2, 5)).toEqual(['mnnvl-mix-0-sa3', 'mnnvl-mix-0-g1-0-p1', 'mnnvl-mix-0-g1-0-p2']);
  });
});

/**
 * Properties of DisaggregatedLlm and AggregatedLlm over generated props: single- and multi-node roles on every
 * engine and node SKU, names at Grove's budget, huge and minimal replica counts, unicode and empty text.
 */
import * as fc from 'fast-check';
import {
  AggregatedLlm, DisaggregatedLlm, Discovery, DynamoMetric, LlmEngine, LlmServiceProps, LlmWorkerOptions, ModelCache, Scheduler, catalog,
} from '../../lib';
import {
  anyText, appWithChart, badCount, dnsLabel, dnsLabelBetween, expectAdmittedAndSchemaValid, expectRefused, ExpectedProblem,
  params, TIMEOUT,
} from './support';

const MAX_COMBINED = 45;
const SKUS = ['Standard_ND96isr_H100_v5', 'Standard_ND96isr_H200_v5', 'Standard_ND96asr_v4', 'Standard_NC80adis_H100_v5', 'Standard_ND128isr_NDR_GB200_v6'];
const ENGINES = ['vllm', 'sglang', 'trtllm'] as const;
type EngineName = typeof ENGINES[number];
const PATH = 'c/L';

/** A role's options together with how many nodes an instance spans. */
interface RoleSpec {
  options: LlmWorkerOptions;
  multiNode: boolean;
}

interface LlmSpec {
  kind: 'aggregated' | 'disaggregated';
  engine: EngineName;
  props: Omit<LlmServiceProps, 'engine' | 'scheduler' | 'discovery' | 'modelCache'>;
  kaiQueue?: string;
  etcd: boolean;
  cachePvc?: string;
  namespace: string;
  roles: { [role: string]: RoleSpec };
}

const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);

/** Replicas, a floor within them and autoscaler bounds consistent with both. */
const scaling = fc.tuple(
  fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(100, 65536) }),
  fc.boolean(), fc.boolean(), fc.nat(3),
).map(([replicas, withFloor, withAutoscaler, extra]) => {
  const minAvailable = withFloor ? 1 + (extra % replicas) : undefined;
  // GPU roles scale on GPU-worker load; CPU utilization (the HPA default) is refused at synth. The metric is added in
  // build(), as a Metric does not survive the structuredClone of the specs.
  const autoScaling = withAutoscaler ? { minReplicas: minAvailable ?? 1, maxReplicas: replicas + extra } : undefined;
  return { replicas, minAvailable, autoScaling };
});

/**
 * A role that fits `gpusPerNode` GPUs per node: an instance of at most one node, or a whole number of nodes, with
 * tensor × pipeline parallelism splitting the instance's GPUs.
 */
function role(skuGpus: number, multiNodeAllowed: boolean): fc.Arbitrary<RoleSpec> {
  return fc.record({
    gpusPerNode: fc.option(fc.integer({ min: 1, max: skuGpus }), { nil: undefined }),
    multiNode: multiNodeAllowed ? fc.boolean() : fc.constant(false),
    nodes: fc.integer({ min: 2, max: 4 }),
    pick: fc.nat(),
    pipeline: fc.boolean(),
    scale: scaling,
    env: fc.dictionary(envName, anyText, { maxKeys: 2 }),
    extraArgs: fc.array(fc.oneof(fc.constantFrom('--trust-remote-code', '--enforce-eager'), anyText.filter(a => !a.startsWith('--'))), { maxLength: 2 }),
  }).map(r => {
    const perNode = r.gpusPerNode ?? skuGpus;
    const gpus = r.multiNode ? perNode * r.nodes : 1 + (r.pick % perNode);
    const pipelineParallel = r.pipeline && gpus % 2 === 0 ? 2 : 1;
    return {
      multiNode: r.multiNode && gpus > perNode,
      options: {
        tensorParallel: gpus / pipelineParallel, pipelineParallel, gpusPerNode: r.gpusPerNode,
        replicas: r.scale.replicas, minAvailable: r.scale.minAvailable, autoScaling: r.scale.autoScaling, env: r.env, extraArgs: r.extraArgs,
      },
    };
  });
}

/** Grove's name budget left for the service name, as `LlmService` computes it. */
function nameBudget(kind: LlmSpec['kind'], multiNode: { [role: string]: boolean }): number {
  const names = kind === 'aggregated' ? { worker: 'worker' } : { prefill: 'prefill', decode: 'decode' };
  const longest = Math.max(8, ...Object.entries(names).map(([r, c]) => (multiNode[r] ? 2 * c.length + 4 : c.length)));
  return MAX_COMBINED - longest;
}

const validLlm: fc.Arbitrary<LlmSpec> = fc.record({
  kind: fc.constantFrom<LlmSpec['kind']>('aggregated', 'disaggregated'),
  engine: fc.constantFrom(...ENGINES),
  sku: fc.constantFrom(...SKUS),
}).chain(({ kind, engine, sku }) => {
  const gpus = catalog.nodeSku(sku).gpusPerNode;
  // trtllm multi-node instances need one pod per node of the SKU (MPI launches one rank per GPU of each node)
  const roleNames = kind === 'aggregated' ? ['worker'] : ['prefill', 'decode'];
  return fc.tuple(fc.tuple(...roleNames.map(() => role(gpus, true))), fc.nat(2), fc.integer({ min: 1, max: 20 })).chain(([roleSpecs, nearLimit, shortLength]) => {
    const roles = Object.fromEntries(roleNames.map((r, i) => [r, roleSpecs[i]]));
    const budget = nameBudget(kind, Object.fromEntries(roleNames.map(r => [r, roles[r].multiNode])));
    // at the budget (45 in total), one under it, or short
    const length = nearLimit === 0 ? budget : nearLimit === 1 ? budget - 1 : Math.min(shortLength, budget);
    return fc.record({
      name: dnsLabel(length),
      model: fc.oneof(fc.constant('Qwen/Qwen3-0.6B'), anyText.filter(m => m.trim() !== '').map(m => `org/${m}`)),
      servedModelName: fc.option(anyText.filter(m => m.trim() !== ''), { nil: undefined }),
      modelSizeGiB: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      replicas: fc.option(fc.constantFrom(0, 1, 2, 1000), { nil: undefined }),
      frontendReplicas: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      kaiQueue: fc.option(dnsLabel(9), { nil: undefined }),
      etcd: fc.boolean(),
      cachePvc: fc.option(dnsLabel(11), { nil: undefined }),
      hfSecret: fc.option(dnsLabelBetween(1, 30), { nil: undefined }),
      // `<namespace>-<name>` becomes a label value (the Dynamo namespace): at most 63 characters
      namespace: dnsLabelBetween(1, 62 - length),
      networkPolicies: fc.option(fc.boolean(), { nil: undefined }),
      workersStartAfterFrontend: fc.option(fc.boolean(), { nil: undefined }),
      infiniband: fc.option(fc.boolean(), { nil: undefined }),
    }).map((r): LlmSpec => ({
      kind, engine, roles, kaiQueue: r.kaiQueue, etcd: r.etcd, cachePvc: r.cachePvc, namespace: r.namespace,
      props: {
        name: r.name, model: r.model, servedModelName: r.servedModelName, modelSizeGiB: r.modelSizeGiB, replicas: r.replicas,
        nodeSku: sku, frontend: r.frontendReplicas === undefined ? undefined : { replicas: r.frontendReplicas },
        huggingFaceToken: r.hfSecret === undefined ? undefined : { secretName: r.hfSecret }, networkPolicies: r.networkPolicies,
        workersStartAfterFrontend: r.workersStartAfterFrontend, infiniband: r.infiniband,
      },
    }));
  });
});

function engineOf(name: EngineName): LlmEngine {
  return name === 'vllm' ? LlmEngine.vllm() : name === 'sglang' ? LlmEngine.sglang() : LlmEngine.trtllm();
}

function build(s: LlmSpec) {
  const { app, chart } = appWithChart({ namespace: s.namespace });
  const props: LlmServiceProps = {
    ...s.props,
    engine: engineOf(s.engine),
    scheduler: s.kaiQueue === undefined ? undefined : Scheduler.kai({ queue: s.kaiQueue }),
    discovery: s.etcd ? Discovery.etcd({ etcdEndpoints: 'http://etcd.dynamo-system:2379' }) : undefined,
    modelCache: s.cachePvc === undefined ? undefined : ModelCache.persistentVolumeClaim(s.cachePvc),
  };
  const role = (o: LlmWorkerOptions): LlmWorkerOptions => (o.autoScaling === undefined ? o
    : { ...o, autoScaling: { ...o.autoScaling, metrics: [DynamoMetric.kvCacheUsage(0.7)] } });
  if (s.kind === 'aggregated') {
    new AggregatedLlm(chart, 'L', { ...props, worker: role(s.roles.worker.options) });
  } else {
    new DisaggregatedLlm(chart, 'L', { ...props, prefill: role(s.roles.prefill.options), decode: role(s.roles.decode.options) });
  }
  return app;
}

// ------------------------------------------------------------------------------------------------ label hygiene

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Every label value (metadata, clique templates, selectors) the API server would refuse. */
function badLabelValues(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => badLabelValues(v, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([k, v]) => {
    const here = `${path}.${k}`;
    const isLabelMap = (k === 'labels' || k === 'matchLabels' || (k === 'selector' && !('matchLabels' in (v as object)) && !('matchExpressions' in (v as object))))
      && typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isLabelMap) {
      return Object.entries(v as object)
        .filter(([, lv]) => typeof lv !== 'string' || lv.length > 63 || !LABEL_VALUE.test(lv))
        .map(([lk, lv]) => `${here}.${lk}=${JSON.stringify(lv)}`);
    }
    return badLabelValues(v, here);
  });
}

// ------------------------------------------------------------------------------------------------ defects

type Defect = (s: LlmSpec) => ExpectedProblem[];
const roleOf = (s: LlmSpec, seed: number) => Object.keys(s.roles)[seed % Object.keys(s.roles).length];
const longestBudget = (s: LlmSpec) => nameBudget(s.kind, Object.fromEntries(Object.entries(s.roles).map(([r, spec]) => [r, spec.multiNode])));

const defects: fc.Arbitrary<[string, Defect]>[] = [
  fc.integer({ min: 1, max: 3 }).map(over => ['name over Grove\'s budget', s => {
    s.props = { ...s.props, name: `n${'x'.repeat(longestBudget(s) + over - 1)}` };
    return [{ constructPath: PATH, field: 'name' }];
  }]),
  fc.constantFrom('', 'Upper', 'ünï', '1abc', 'a_b', '🚀').map(bad => ['name that is no DNS label', s => {
    s.props = { ...s.props, name: bad };
    return [{ constructPath: `${PATH}/Service`, field: 'metadata.name' }];
  }]),
  fc.integer({ min: 0, max: 10 }).map(over => ['namespace and name longer than a label value', s => {
    s.namespace = `n${'s'.repeat(Math.min(62, 63 - s.props.name!.length + over))}`;
    // the Dynamo namespace label `<namespace>-<name>` would exceed a label value: refused up front, on the service
    return [{ constructPath: PATH, field: 'name' }];
  }]),
  fc.constantFrom('', ' ', '\t\n').map(model => ['empty model', s => {
    s.props = { ...s.props, model };
    return [{ constructPath: PATH, field: 'model' }];
  }]),
  badCount.filter(n => n !== 0).map(bad => ['service replicas', s => {
    s.props = { ...s.props, replicas: bad };
    return [{ constructPath: PATH, field: 'replicas' }];
  }]),
  badCount.map(bad => ['frontend replicas', s => {
    s.props = { ...s.props, frontend: { replicas: bad } };
    return [{ constructPath: PATH, field: 'frontend.replicas' }];
  }]),
  fc.tuple(fc.constantFrom('tensorParallel', 'pipelineParallel', 'replicas'), badCount, fc.nat()).map(([field, bad, seed]) => [`role ${field}`, s => {
    const r = roleOf(s, seed);
    s.roles[r].options = { ...s.roles[r].options, [field]: bad, minAvailable: undefined, autoScaling: undefined };
    return [{ constructPath: PATH, field: `${r}.${field}` }];
  }]),
  fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.nat()).map(([remainder, nodes, seed]) => ['GPUs that do not divide into nodes', s => {
    const r = roleOf(s, seed);
    const perNode = catalog.nodeSku(s.props.nodeSku!).gpusPerNode;
    const gpus = perNode * nodes + (remainder % perNode || 1);
    const valid = gpus <= perNode || gpus % perNode === 0;
    s.roles[r].options = { ...s.roles[r].options, tensorParallel: gpus, pipelineParallel: 1, gpusPerNode: undefined };
    return valid ? [] : [{ constructPath: PATH, field: `${r}.tensorParallel × ${r}.pipelineParallel` }];
  }]),
  fc.tuple(fc.constantFrom(0, -1, 1.5, 9, 16, 1000), fc.nat()).map(([bad, seed]) => ['gpusPerNode beyond the node', s => {
    const r = roleOf(s, seed);
    s.roles[r].options = { ...s.roles[r].options, gpusPerNode: bad };
    return [{ constructPath: PATH, field: `${r}.gpusPerNode` }];
  }]),
  fc.nat().map(seed => ['a model too big for an instance', s => {
    const r = roleOf(s, seed);
    s.props = { ...s.props, model: 'meta-llama/Llama-3.1-70B-Instruct', modelSizeGiB: undefined, nodeSku: 'Standard_ND96isr_H100_v5' };
    for (const other of Object.keys(s.roles)) {
      s.roles[other].options = { ...s.roles[other].options, tensorParallel: other === r ? 1 : 4, pipelineParallel: 1, gpusPerNode: undefined };
      s.roles[other].multiNode = false;
    }
    return [{ constructPath: PATH, field: `${r}.tensorParallel` }];
  }]),
  fc.nat().map(seed => ['minAvailable above replicas', s => {
    const r = roleOf(s, seed);
    const replicas = Math.min(s.roles[r].options.replicas ?? 1, 1000);
    s.roles[r].options = { ...s.roles[r].options, replicas, minAvailable: replicas + 1, autoScaling: undefined };
    return [{ constructPath: `${PATH}/Service/${r}`, field: 'minAvailable' }];
  }]),
  fc.nat().map(seed => ['autoscaler maximum below replicas', s => {
    const r = roleOf(s, seed);
    const replicas = Math.max(2, Math.min(s.roles[r].options.replicas ?? 2, 1000));
    s.roles[r].options = { ...s.roles[r].options, replicas, minAvailable: undefined, autoScaling: { maxReplicas: replicas - 1 } };
    return [{ constructPath: `${PATH}/Service/${r}`, field: 'autoScaling.maxReplicas' }];
  }]),
  fc.nat().map(seed => ['a disaggregated role without KV connector', s => {
    if (s.kind !== 'disaggregated') {
      return [];
    }
    const r = roleOf(s, seed);
    s.roles[r].options = { ...s.roles[r].options, kvTransfer: false };
    return [{ constructPath: PATH, field: `${r}.kvTransfer` }];
  }]),
  fc.constantFrom('', ' ').map(queue => ['KAI without a queue', s => {
    s.kaiQueue = queue;
    return [{ constructPath: PATH, field: 'scheduler' }];
  }]),
  fc.nat().map(seed => ['extraArgs setting a flag the engine wrapper sets', s => {
    const r = roleOf(s, seed);
    s.roles[r].options = { ...s.roles[r].options, extraArgs: ['--served-model-name', 'other'] };
    return [{ constructPath: PATH, field: `${r}.extraArgs` }];
  }]),
];

const invalidLlm = fc.tuple(validLlm, fc.oneof(...defects)).map(([valid, [what, defect]]) => {
  const s: LlmSpec = structuredClone(valid);
  return [s, what, defect(s)] as [LlmSpec, string, ExpectedProblem[]];
}).filter(([, , expected]) => expected.length > 0);

describe('DisaggregatedLlm and AggregatedLlm properties', () => {
  test('every valid service synthesizes objects admit() accepts again, the CRD schema accepts, and valid labels', () => {
    fc.assert(fc.property(validLlm, s => {
      const objects = expectAdmittedAndSchemaValid(build(s));
      expect(badLabelValues(objects)).toEqual([]);
      const pcs = objects.find(o => o.kind === 'PodCliqueSet');
      expect(pcs.metadata.name).toBe(s.props.name);
      const groups = (pcs.spec.template.podCliqueScalingGroups ?? []).map((g: any) => g.name).sort();
      expect(groups).toEqual(Object.keys(s.roles).filter(r => s.roles[r].multiNode).sort());
    }), params(80));
  }, TIMEOUT);

  test('every invalid service fails with a GroveValidationError naming the construct and the field', () => {
    fc.assert(fc.property(invalidLlm, ([s, , expected]) => {
      expectRefused(() => build(s), expected);
    }), params(150));
  }, TIMEOUT);
});

/**
 * Property: the placement engine never puts a pod where a filter fails, and places each gang all or nothing.
 * The checks here are written independently of lib/cluster/predicates.ts: taints against tolerations, the node
 * selector, the KAI shard, and the sum of the requests on each node against its allocatable.
 */
import * as fc from 'fast-check';
import { ClusterModel, modelNodes, PoolModel, readWorkload, simulate } from '../../lib/cluster';
import { params, TIMEOUT } from './support';

const TAINT = { key: 'gpu', value: 'yes', effect: 'NoSchedule' as const };
const SHARDS = ['a', 'b'];

const poolArb: fc.Arbitrary<Omit<PoolModel, 'name'>> = fc.record({
  nodes: fc.integer({ min: 0, max: 4 }),
  tainted: fc.boolean(),
  zone: fc.constantFrom('1', '2'),
  shard: fc.constantFrom(undefined, ...SHARDS),
  cpu: fc.integer({ min: 1, max: 16 }),
  gpu: fc.constantFrom(0, 4, 8),
  pods: fc.integer({ min: 1, max: 6 }),
}).map(p => ({
  nodes: p.nodes,
  labels: { zone: p.zone, ...(p.shard === undefined ? {} : { 'kai.scheduler/node-pool': p.shard }) },
  taints: p.tainted ? [TAINT] : [],
  allocatable: { cpu: p.cpu, memory: 64 * 2 ** 30, pods: p.pods, 'nvidia.com/gpu': p.gpu },
}));

const cliqueArb = fc.record({
  replicas: fc.integer({ min: 1, max: 3 }),
  cpu: fc.integer({ min: 0, max: 8 }),
  gpu: fc.constantFrom(0, 1, 4, 8),
  tolerates: fc.boolean(),
  zone: fc.constantFrom(undefined, '1', '2'),
});

const setArb = fc.record({
  cliques: fc.array(cliqueArb, { minLength: 1, maxLength: 3 }),
  replicas: fc.integer({ min: 1, max: 2 }),
  kai: fc.boolean(),
  shard: fc.constantFrom(undefined, ...SHARDS),
});

function toPcs(i: number, s: any): Record<string, unknown> {
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name: `s${i}`, ...(s.shard === undefined ? {} : { labels: { 'kai.scheduler/node-pool': s.shard } }) },
    spec: {
      replicas: s.replicas,
      template: {
        cliques: s.cliques.map((c: any, j: number) => ({
          name: `c${j}`,
          spec: {
            replicas: c.replicas,
            podSpec: {
              ...(s.kai ? { schedulerName: 'kai-scheduler' } : {}),
              ...(c.tolerates ? { tolerations: [{ key: 'gpu', operator: 'Exists' }] } : {}),
              ...(c.zone === undefined ? {} : { nodeSelector: { zone: c.zone } }),
              containers: [{ name: 'm', image: 'x', resources: { requests: { cpu: String(c.cpu), ...(c.gpu > 0 ? { 'nvidia.com/gpu': c.gpu } : {}) } } }],
            },
          },
        })),
      },
    },
  };
}

test('no pod lands where a filter fails; gangs are placed all or nothing', () => {
  fc.assert(fc.property(fc.array(poolArb, { minLength: 1, maxLength: 3 }), fc.array(setArb, { minLength: 1, maxLength: 3 }), (pools, sets) => {
    const model: ClusterModel = { pools: pools.map((p, i) => ({ ...p, name: `p${i}` })) };
    const objs = sets.map((s, i) => toPcs(i, s));
    const workloads = objs.map(o => readWorkload(o));
    const sim = simulate(model, workloads);
    const nodes = new Map(modelNodes(model).map(n => [n.name, n]));
    const used = new Map<string, Record<string, number>>();
    for (const { pod, node: name } of sim.maximum.placements) {
      const node = nodes.get(name)!;
      const set = sets[Number(pod.gang.slice(1).split('-')[0])];
      const spec = objs[Number(pod.gang.slice(1).split('-')[0])] as any;
      const podSpec = spec.spec.template.cliques.find((c: any) => c.name === pod.clique).spec.podSpec;
      // taints
      if (node.taints.length > 0) expect(podSpec.tolerations?.[0]?.key).toBe('gpu');
      // node selector
      for (const [k, v] of Object.entries(podSpec.nodeSelector ?? {})) expect(node.labels[k]).toBe(v);
      // KAI shard: the gang's label decides
      if (set.kai) expect(node.labels['kai.scheduler/node-pool']).toBe(set.shard);
      const u = used.get(name) ?? {};
      for (const [r, q] of Object.entries(pod.requests)) u[r] = (u[r] ?? 0) + q;
      used.set(name, u);
    }
    for (const [name, u] of used) {
      const node = nodes.get(name)!;
      for (const [r, q] of Object.entries(u)) expect([name, r, q <= (node.allocatable[r] ?? 0)]).toEqual([name, r, true]);
    }
    // all or nothing: every gang of the template has all of its pods placed after the template stage, or none
    const placed = new Set(sim.template.placements.map(p => p.pod.name));
    for (const gang of workloads.flatMap(w => w.template)) {
      const n = gang.pods.filter(p => placed.has(p.name)).length;
      expect([gang.name, n === 0 || n === gang.pods.length]).toEqual([gang.name, true]);
      expect(sim.template.placed.includes(gang.name)).toBe(n === gang.pods.length);
    }
  }), params(200));
}, TIMEOUT);

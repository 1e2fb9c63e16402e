/**
 * Properties of ClusterTopologyBinding over generated props, alone and referenced by the topology constraints of a
 * PodCliqueSet, a scaling group and a clique.
 */
import * as fc from 'fast-check';
import {
  ClusterTopologyBinding, ClusterTopologyBindingProps, PodCliqueSet, TopologyConstraint, TopologyLevel,
} from '../../lib';
import {
  anyText, appWithChart, dnsLabel, dnsLabelBetween, expectAdmittedAndSchemaValid, expectRefused, ExpectedProblem, params, TIMEOUT,
} from './support';

const WELL_KNOWN = ['region', 'zone', 'datacenter', 'block', 'rack', 'host', 'numa'];
const LABEL_KEYS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'kubernetes.io/hostname', 'network.example.com/rack', 'block', 'x'];

/** A topology domain (`^[a-z][a-z0-9-]*$`, 1-63 characters). */
const domain = fc.oneof(fc.constantFrom(...WELL_KNOWN), dnsLabelBetween(1, 63), fc.constantFrom('a-', 'z--'));
/** A node label key the CRD accepts. */
const labelKey = fc.oneof(fc.constantFrom(...LABEL_KEYS), fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,20}[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/));

interface BindingSpec {
  name?: string;
  levels: TopologyLevel[];
  kaiReference?: string;
  /** Domain indices (broadest first) the set, its scaling group and its clique pack into; undefined means none. */
  pack: [number | undefined, number | undefined, number | undefined];
}

const validBinding: fc.Arbitrary<BindingSpec> = fc.record({
  name: fc.option(dnsLabelBetween(1, 40), { nil: undefined }),
  levels: fc.uniqueArray(fc.tuple(domain, labelKey), { minLength: 1, maxLength: 5, selector: ([d]) => d })
    .filter(levels => new Set(levels.map(([, k]) => k)).size === levels.length)
    .map(levels => levels.map(([d, key]) => ({ domain: d, key }))),
  kaiReference: fc.option(fc.oneof(dnsLabel(10), anyText.filter(s => s !== '')), { nil: undefined }),
  packs: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), fc.boolean()),
}).map(({ name, levels, kaiReference, packs: [a, b, c, useSet, useGroup, useClique] }) => {
  // each level packs into the same or a narrower domain than the one above it
  const n = levels.length;
  const set = a % n;
  const group = set + (b % (n - set));
  const clique = group + (c % (n - group));
  return { name, levels, kaiReference, pack: [useSet ? set : undefined, useGroup ? group : undefined, useClique ? clique : undefined] };
});

function props(b: BindingSpec): ClusterTopologyBindingProps {
  return {
    name: b.name,
    levels: b.levels,
    schedulerTopologyBindings: b.kaiReference === undefined ? undefined : [{ schedulerName: 'kai-scheduler', topologyReference: b.kaiReference }],
  };
}

/** The binding as `T` in chart `c`, and a set `S` packing into its domains, with topology-aware scheduling on. */
function build(b: BindingSpec, options: { topologyAware?: boolean; bindingProps?: ClusterTopologyBindingProps } = {}) {
  const { app, chart } = appWithChart({ namespace: 'ns', operatorConfig: { topologyAwareScheduling: options.topologyAware ?? true } });
  const topology = new ClusterTopologyBinding(chart, 'T', options.bindingProps ?? props(b));
  const constraint = (i: number | undefined, first: boolean): TopologyConstraint | undefined =>
    i === undefined ? undefined : { topology: first ? topology : undefined, packRequired: b.levels[i]?.domain ?? 'missing' };
  const [set, group, clique] = b.pack;
  if (set !== undefined || group !== undefined || clique !== undefined) {
    // the top-most constraint names the binding
    const top = set !== undefined ? 0 : group !== undefined ? 1 : 2;
    const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' }, topologyConstraint: constraint(set, top === 0) });
    const g = pcs.addScalingGroup('g', { topologyConstraint: constraint(group, top === 1) });
    g.addClique('c', { containers: [{ image: 'app:1' }], topologyConstraint: constraint(clique, top === 2) });
  }
  return app;
}

type Defect = (b: BindingSpec) => { bindingProps?: ClusterTopologyBindingProps; topologyAware?: boolean; expected: ExpectedProblem[] };

const T = 'c/T';
const levelField = (what: string) => new RegExp(`^spec\\.levels\\[\\d+\\]\\.${what}$`);

const defects: fc.Arbitrary<[string, Defect]>[] = [
  fc.constant<[string, Defect]>(['no levels', b => ({ bindingProps: { ...props(b), levels: [] }, expected: [{ constructPath: T, field: 'levels' }] })]),
  fc.nat().map(seed => ['duplicate domain', b => {
    const level = b.levels[seed % b.levels.length];
    return { bindingProps: { ...props(b), levels: [...b.levels, { domain: level.domain, key: 'other.example.com/key' }] }, expected: [{ constructPath: T, field: levelField('domain') }] };
  }]),
  fc.nat().map(seed => ['duplicate key', b => {
    const level = b.levels[seed % b.levels.length];
    return { bindingProps: { ...props(b), levels: [...b.levels, { domain: 'other-domain', key: level.key }] }, expected: [{ constructPath: T, field: levelField('key') }] };
  }]),
  fc.tuple(fc.constantFrom('', 'Zone', 'zöne', '1rack', '-rack', 'a_b', 'a.b', 'a'.repeat(64), '🚀'), fc.nat()).map(([bad, seed]) => ['domain the CRD refuses', b => {
    const levels = [...b.levels];
    levels[seed % levels.length] = { ...levels[seed % levels.length], domain: bad };
    return { bindingProps: { ...props(b), levels }, expected: [{ constructPath: T, field: levelField('domain') }] };
  }]),
  fc.tuple(fc.constantFrom('', ' ', 'bad key', '-x', 'x-', 'a/b/c', 'ünï', 'k'.repeat(64), 'example.com/'), fc.nat()).map(([bad, seed]) => ['label key the CRD refuses', b => {
    const levels = [...b.levels];
    levels[seed % levels.length] = { ...levels[seed % levels.length], key: bad };
    return { bindingProps: { ...props(b), levels }, expected: [{ constructPath: T, field: levelField('key') }] };
  }]),
  fc.constantFrom('Bad_Name', 'ünïcødé', 'UPPER', 'a..b', '-x', 'x'.repeat(254)).map(bad => ['name that is no DNS subdomain', b => (
    { bindingProps: { ...props(b), name: bad }, expected: [{ constructPath: T, field: /^metadata\.name/ }] })]),
  fc.constantFrom('default-scheduler', 'volcano', 'no-such-scheduler', '').map(scheduler => ['scheduler binding to a backend that is off or not topology-aware', b => ({
    bindingProps: { ...props(b), schedulerTopologyBindings: [{ schedulerName: scheduler, topologyReference: 'ref' }] },
    expected: [{ constructPath: T, field: /^spec\.schedulerTopologyReferences\[0\]\.schedulerName$/ }],
  })]),
  fc.constant<[string, Defect]>(['the same scheduler bound twice', b => ({
    bindingProps: { ...props(b), schedulerTopologyBindings: [{ schedulerName: 'kai-scheduler', topologyReference: 'a' }, { schedulerName: 'kai-scheduler', topologyReference: 'b' }] },
    expected: [{ constructPath: T, field: /^spec\.schedulerTopologyReferences\[1\]\.schedulerName$/ }],
  })]),
  fc.constant<[string, Defect]>(['a constraint while topology-aware scheduling is off', b => {
    b.pack = [0, undefined, undefined];
    return { topologyAware: false, expected: [{ constructPath: 'c/S', field: /^spec\.template\.topologyConstraint/ }] };
  }]),
  fc.constant<[string, Defect]>(['a constraint packing into a domain the binding lacks', b => {
    b.levels = b.levels.filter(l => l.domain !== 'missing');
    b.pack = [b.levels.length, undefined, undefined];
    return { expected: [{ constructPath: 'c/S', field: /^spec\.template\.topologyConstraint/ }] };
  }]),
];

describe('ClusterTopologyBinding properties', () => {
  test('every valid binding, and sets packing into its domains broadest to narrowest, pass admit() and the CRD schema', () => {
    fc.assert(fc.property(validBinding, b => {
      const objects = expectAdmittedAndSchemaValid(build(b));
      const binding = objects.find(o => o.kind === 'ClusterTopologyBinding');
      expect(binding.spec.levels).toEqual(b.levels);
    }), params(100));
  }, TIMEOUT);

  test('every invalid binding or constraint fails with a GroveValidationError naming the construct and the field', () => {
    fc.assert(fc.property(validBinding, fc.oneof(...defects), (valid, [, defect]) => {
      const b: BindingSpec = structuredClone(valid);
      const { bindingProps, topologyAware, expected } = defect(b);
      expectRefused(() => build(b, { bindingProps, topologyAware }), expected);
    }), params(150));
  }, TIMEOUT);
});

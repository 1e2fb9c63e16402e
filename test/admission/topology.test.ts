/**
 * Topology constraints (VALIDATION.md §5): name resolution and inheritance, the ClusterTopologyBinding lookup,
 * hierarchy of required and preferred domains, warnings, immutability and the legacy repair path.
 */
import { BASE_CONFIG, TAS_CONFIG, clique, clone, create, ctb, errorKeys, pcs, update } from './fixtures';

const TOPO = ctb('topo', ['zone', 'rack', 'host']);
const tc = (required: string, topologyName?: string, preferred?: string) => ({ topologyName, pack: { required, preferred } });

describe('topologyName resolution (T4-T9)', () => {
  test('T5: a scaling group constraint without a name and no PCS constraint', () => {
    const response = create(pcs({ cliques: [clique('a')], podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['a'], topologyConstraint: tc('rack') }] }), TAS_CONFIG, [TOPO]);
    expect(response.errors).toEqual([{
      type: 'Required',
      field: 'spec.template.podCliqueScalingGroups[0].topologyConstraint.topologyName',
      detail: 'topologyName is required when topologyConstraint is set and cannot be inherited',
    }]);
  });

  test('T6: a member clique inherits its scaling group\'s name; a standalone clique does not', () => {
    const template = {
      cliques: [clique('a', {}, { topologyConstraint: tc('host') }), clique('b', {}, { topologyConstraint: tc('host') })],
      podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['a'], topologyConstraint: tc('rack', 'topo') }],
    };
    expect(errorKeys(create(pcs(template), TAS_CONFIG, [TOPO]))).toEqual(['Required @ spec.template.cliques[1].topologyConstraint.topologyName']);
  });

  test('T7b: independently resolved names that differ flag every explicit topologyName (PCS, groups, cliques)', () => {
    const template = {
      cliques: [clique('a', {}, { topologyConstraint: tc('host', 'one') }), clique('b', {}, { topologyConstraint: tc('host') })],
      podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['b'], topologyConstraint: tc('rack', 'two') }],
    };
    expect(errorKeys(create(pcs(template), TAS_CONFIG, [ctb('one', ['rack', 'host']), ctb('two', ['rack', 'host'])]))).toEqual([
      'Invalid @ spec.template.podCliqueScalingGroups[0].topologyConstraint.topologyName',
      'Invalid @ spec.template.cliques[0].topologyConstraint.topologyName',
    ]);
  });

  test('T8: a missing ClusterTopologyBinding is reported on the PCS path, wherever the name came from', () => {
    const response = create(pcs({ cliques: [clique('a', {}, { topologyConstraint: tc('host', 'nope') })] }), TAS_CONFIG, [TOPO]);
    expect(response.errors).toEqual([{ type: 'Invalid', field: 'spec.template.topologyConstraint.topologyName', detail: 'ClusterTopologyBinding "nope" not found' }]);
  });

  test('no constraint anywhere: no lookup, no error', () => {
    expect(create(pcs(), TAS_CONFIG, []).allowed).toBe(true);
  });
});

describe('domains and hierarchy (T10-T12, W1)', () => {
  test('T10 checks preferred domains too, and its errors skip the hierarchy checks', () => {
    const response = create(pcs({ topologyConstraint: tc('host', 'topo', 'gpu'), cliques: [clique('a', {}, { topologyConstraint: tc('zone') })] }), TAS_CONFIG, [TOPO]);
    expect(response.errors).toEqual([{
      type: 'Invalid',
      field: 'spec.template.topologyConstraint.pack.preferred',
      detail: "topology domain 'gpu' does not exist in cluster topology [zone rack host]",
    }]);
  });

  test('T11p, T12p: preferred domains follow the same hierarchy', () => {
    const template = {
      topologyConstraint: tc('zone', 'topo', 'host'),
      cliques: [clique('a', {}, { topologyConstraint: { pack: { preferred: 'rack' } } })],
      podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['a'], topologyConstraint: { pack: { required: 'zone', preferred: 'host' } } }],
    };
    const response = create(pcs(template), TAS_CONFIG, [TOPO]);
    expect(response.errors.map(e => `${e.field}: ${e.detail}`)).toEqual([
      "spec.template.topologyConstraint.pack.preferred: PodCliqueSet topology constraint domain 'host' is narrower than PodClique 'a' topology constraint domain 'rack'",
      "spec.template.podCliqueScalingGroups[0].topologyConstraint.pack.preferred: PodCliqueScalingGroup 'g' topology constraint domain 'host' is narrower than PodClique 'a' topology constraint domain 'rack'",
    ]);
  });

  test('W1: a preferred domain coarser than the required one is redundant (warning only)', () => {
    const response = create(pcs({ topologyConstraint: tc('host', 'topo', 'zone') }), TAS_CONFIG, [TOPO]);
    expect(response.allowed).toBe(true);
    expect(response.warnings).toContain('spec.template.topologyConstraint.pack.preferred is coarser than spec.template.topologyConstraint.pack.required and is redundant');
  });

  test('T1-T3 with TAS disabled, in PCS, clique, group order', () => {
    const template = {
      topologyConstraint: tc('zone', 'topo'),
      cliques: [clique('a', {}, { topologyConstraint: tc('host') })],
      podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['a'], topologyConstraint: tc('rack') }],
    };
    expect(errorKeys(create(pcs(template), BASE_CONFIG, [TOPO]))).toEqual([
      'Invalid @ spec.template.topologyConstraint',
      'Invalid @ spec.template.cliques[0].topologyConstraint',
      'Invalid @ spec.template.podCliqueScalingGroups[0].topologyConstraint',
    ]);
  });
});

describe('UPDATE (T13-T16, W2, legacy repair)', () => {
  const legacy = pcs({ topologyConstraint: { packDomain: 'zone' }, cliques: [clique('a', {}, { topologyConstraint: { packDomain: 'host' } })] });

  test('the repaired object is validated like a create: with TAS disabled its constraints are refused', () => {
    const repaired = clone(legacy);
    repaired.spec.template.topologyConstraint.topologyName = 'topo';
    expect(errorKeys(update(legacy, repaired, BASE_CONFIG, [TOPO]))).toEqual([
      'Invalid @ spec.template.topologyConstraint',
      'Invalid @ spec.template.cliques[0].topologyConstraint',
    ]);
  });

  test('the repaired object must reference an existing ClusterTopologyBinding with those domains', () => {
    const repaired = clone(legacy);
    repaired.spec.template.cliques[0].topologyConstraint.topologyName = 'topo';
    repaired.spec.template.topologyConstraint.topologyName = 'topo';
    expect(update(legacy, repaired, TAS_CONFIG, [ctb('topo', ['zone', 'rack'])]).errors.map(e => e.detail)).toEqual([
      "topology domain 'host' does not exist in cluster topology [zone rack]",
    ]);
  });

  test('an old object whose names conflict is an internal error, not a repair', () => {
    const old = pcs({
      cliques: [clique('a', {}, { topologyConstraint: { packDomain: 'host' } }), clique('b', {}, { topologyConstraint: { topologyName: 'two', packDomain: 'host' } })],
      podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['a'], topologyConstraint: { topologyName: 'one', packDomain: 'rack' } }],
    });
    const response = update(old, old, TAS_CONFIG);
    expect(response.errors).toEqual([{
      type: 'InternalError',
      field: 'spec.template.topologyConstraint.topologyName',
      detail: 'Internal error: multiple topology names within a single PodCliqueSet are not supported',
    }]);
  });

  test('W2: every remaining packDomain is reported on a valid update', () => {
    const old = pcs({ topologyConstraint: { topologyName: 'topo', packDomain: 'zone' }, cliques: [clique('a', {}, { topologyConstraint: { packDomain: 'host' } })] });
    const response = update(old, old, TAS_CONFIG);
    expect(response.allowed).toBe(true);
    expect(response.warnings).toEqual([
      'restartPolicy will be ignored, it will be set to Always',
      'spec.template.topologyConstraint.packDomain is deprecated; use spec.template.topologyConstraint.pack.required instead',
      'spec.template.cliques[0].topologyConstraint.packDomain is deprecated; use spec.template.cliques[0].topologyConstraint.pack.required instead',
    ]);
  });

  test('T15: changing a clique\'s preferred domain is forbidden, with both sides in the message', () => {
    const old = pcs({ topologyConstraint: tc('zone', 'topo'), cliques: [clique('a', {}, { topologyConstraint: tc('host', undefined, 'host') })] });
    const next = clone(old);
    next.spec.template.cliques[0].topologyConstraint.pack.preferred = 'rack';
    expect(update(old, next, TAS_CONFIG).errors).toEqual([{
      type: 'Forbidden',
      field: 'spec.template.cliques[0].topologyConstraint',
      detail: "PodClique 'a' topology constraint cannot be changed from required=\"host\" preferred=\"host\" to required=\"host\" preferred=\"rack\"",
    }]);
  });
});

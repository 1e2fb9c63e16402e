/**
 * ClusterTopologyBinding admission (VALIDATION.md §7 and the CRD schema).
 */
import { BASE_CONFIG, create, ctb, errorKeys, update } from './fixtures';

describe('ClusterTopologyBinding', () => {
  test('a valid binding; namespace is ignored on a cluster-scoped object', () => {
    const binding = ctb('fabric', ['zone', 'rack'], { schedulerTopologyBindings: [{ schedulerName: 'kai-scheduler', topologyReference: 'kai-topo' }] });
    expect(create({ ...binding, metadata: { name: 'fabric', namespace: 'ignored' } })).toEqual({ allowed: true, errors: [], warnings: [] });
  });

  test('CT1, CT2 flag every repeat', () => {
    const binding = { ...ctb('t', []), spec: { levels: [{ domain: 'zone', key: 'k1' }, { domain: 'zone', key: 'k2' }, { domain: 'zone', key: 'k1' }] } };
    expect(errorKeys(create(binding))).toEqual(['Duplicate @ spec.levels[1].domain', 'Duplicate @ spec.levels[2].domain', 'Duplicate @ spec.levels[2].key']);
  });

  test('CT4: a backend that is not enabled; CT5 on UPDATE too', () => {
    const binding = ctb('t', ['zone'], { schedulerTopologyBindings: [{ schedulerName: 'volcano', topologyReference: 'x' }, { schedulerName: 'default-scheduler', topologyReference: 'y' }] });
    expect(update(binding, binding).errors.map(e => `${e.field}: ${e.detail}`)).toEqual([
      'spec.schedulerTopologyReferences[0].schedulerName: scheduler backend is not enabled in Grove',
      'spec.schedulerTopologyReferences[1].schedulerName: scheduler backend does not implement topology-aware scheduling',
    ]);
  });

  test('kai-scheduler must be enabled to be referenced', () => {
    const binding = ctb('t', ['zone'], { schedulerTopologyBindings: [{ schedulerName: 'kai-scheduler', topologyReference: 'x' }] });
    expect(errorKeys(create(binding, { ...BASE_CONFIG, schedulerProfiles: ['default-scheduler'] }))).toEqual(['Invalid @ spec.schedulerTopologyReferences[0].schedulerName']);
  });

  test('schema: required keys, key pattern, length and type errors come from the API server', () => {
    expect(errorKeys(create({ apiVersion: 'grove.io/v1alpha1', kind: 'ClusterTopologyBinding', metadata: { name: 't' } }))).toEqual(['Required @ spec']);
    const binding = { ...ctb('t', []), spec: { levels: [{ domain: 'z'.repeat(64), key: '-bad' }, { domain: 'rack' }], schedulerTopologyBindings: [{ schedulerName: 3 }] } };
    // No mutating webhook decodes this kind first: the schema stage reports type and value errors together.
    expect(errorKeys(create(binding)).sort()).toEqual([
      'Invalid @ spec.levels[0].key',
      'Required @ spec.levels[1].key',
      'Required @ spec.schedulerTopologyBindings[0].topologyReference',
      'TooLong @ spec.levels[0].domain',
      'TypeInvalid @ spec.schedulerTopologyBindings[0].schedulerName',
    ]);
  });

  test('metadata.name must be a DNS subdomain', () => {
    expect(errorKeys(create(ctb('My_Topology', ['zone'])))).toEqual(['Invalid @ metadata.name']);
  });
});

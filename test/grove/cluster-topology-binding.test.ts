import { Testing } from 'cdk8s';
import { ClusterTopologyBinding, GroveOperatorConfig, PodCliqueSet, TopologyDomain } from '../../lib';
import { APP } from './helpers';
import { describeWithReference } from '../support/reference';
import { expectSchemaValid } from '../support/schema';

describe('ClusterTopologyBinding', () => {
  test('renders levels broadest first and is referenced by constraints', () => {
    const chart = Testing.chart();
    GroveOperatorConfig.set(chart, { topologyAwareScheduling: true });
    const topology = new ClusterTopologyBinding(chart, 'Fabric', {
      name: 'gpu-fabric',
      levels: [{ domain: TopologyDomain.ZONE, key: 'topology.kubernetes.io/zone' }, { domain: TopologyDomain.HOST, key: 'kubernetes.io/hostname' }],
    });
    const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' } });
    const g = pcs.addScalingGroup('g', { topologyConstraint: { topology, packRequired: TopologyDomain.ZONE } });
    g.addClique('a', { containers: [APP], topologyConstraint: { packRequired: TopologyDomain.HOST } });
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    const ctb = objects.find(o => o.kind === 'ClusterTopologyBinding');
    expect(ctb.metadata).toEqual({ name: 'gpu-fabric' });
    expect(topology.domains).toEqual(['zone', 'host']);
    const pcsObj = objects.find(o => o.kind === 'PodCliqueSet');
    expect(pcsObj.spec.template.podCliqueScalingGroups[0].topologyConstraint).toEqual({ topologyName: 'gpu-fabric', pack: { required: 'zone' } });
  });

  test('AKS_ZONE_HOST preset', () => {
    expect(ClusterTopologyBinding.AKS_ZONE_HOST.map(l => l.domain)).toEqual(['zone', 'host']);
  });

  describe('fails when', () => {
    test('there are no levels', () => {
      expect(() => new ClusterTopologyBinding(Testing.chart(), 'T', { levels: [] })).toThrow(/\[test\/T\] levels: needs at least one level/);
    });

    test('two levels share a domain (refused by admission at synth)', () => {
      const chart = Testing.chart();
      new ClusterTopologyBinding(chart, 'T', { name: 't', levels: [{ domain: 'zone', key: 'a' }, { domain: 'zone', key: 'b' }] });
      expect(() => Testing.synth(chart)).toThrow(/\[test\/T\] spec\.levels\[1\]\.domain: Grove's admission webhook would refuse this \(Duplicate\)/);
    });
  });

  describeWithReference('schema', () => {
    test('is schema-valid', () => {
      const chart = Testing.chart();
      new ClusterTopologyBinding(chart, 'T', { name: 't', levels: ClusterTopologyBinding.AKS_ZONE_HOST, schedulerTopologyBindings: [{ schedulerName: 'kai-scheduler', topologyReference: 'kai-topo' }] });
      expectSchemaValid(Testing.synth(chart));
    });
  });
});

import { Testing } from 'cdk8s';
import { GroveOperatorConfig, Metric, PodCliqueSet } from '../../lib';
import { APP, catchValidation, synthPcs } from './helpers';

function set() {
  const chart = Testing.chart();
  return { chart, pcs: new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } }) };
}

describe('PodCliqueScalingGroup', () => {
  test('defaults', () => {
    const { chart, pcs } = set();
    const g = pcs.addScalingGroup('ModelInstance');
    g.addClique('leader', { containers: [APP] });
    g.addClique('worker', { replicas: 3, containers: [APP] });
    const groups = synthPcs(chart).spec.template.podCliqueScalingGroups;
    expect(groups).toMatchSnapshot();
    expect(g.name).toBe('model-instance'); // @default the construct id as a DNS label
    expect(groups[0].replicas).toBe(1); // @default 1, always emitted
    expect(groups[0].minAvailable).toBeUndefined(); // @default Grove uses 1
    expect(groups[0].scaleConfig).toBeUndefined();
    expect(groups[0].cliqueNames).toEqual(['leader', 'worker']);
    expect(g.podsPerReplica).toBe(4);
  });

  test('kitchen sink', () => {
    const chart = Testing.chart();
    GroveOperatorConfig.set(chart, { autoMNNVLEnabled: true });
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    const g = pcs.addScalingGroup('g', {
      name: 'decode', replicas: 3, minAvailable: 1, annotations: { a: 'b' }, mnnvlGroup: 'nvl',
      autoScaling: { minReplicas: 1, maxReplicas: 6, metrics: [Metric.podsAverage('dynamo_inflight', '10')] },
    });
    g.addClique('leader', { containers: [{ ...APP, resources: { gpus: 8 } }] });
    g.addClique('worker', { containers: [{ ...APP, resources: { gpus: 8 } }] });
    const group = synthPcs(chart).spec.template.podCliqueScalingGroups[0];
    expect(group).toMatchSnapshot();
    expect(group.annotations).toEqual({ 'a': 'b', 'grove.io/mnnvl-group': 'nvl' });
    expect(group.scaleConfig.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'dynamo_inflight' }, target: { type: 'AverageValue', averageValue: '10' } } }]);
    expect(g.gpusPerReplica).toBe(16);
    expect(g.cliques.map(c => c.scalingGroup)).toEqual([g, g]);
  });

  describe('fails when', () => {
    test('replicas is zero', () => {
      const { pcs } = set();
      expect(() => pcs.addScalingGroup('g', { replicas: 0 })).toThrow(/\[test\/Service\/g\] replicas: must be a whole number >= 1, got 0/);
    });

    test('minAvailable exceeds replicas', () => {
      const { pcs } = set();
      expect(() => pcs.addScalingGroup('g', { replicas: 2, minAvailable: 3 })).toThrow(/minAvailable: must be a whole number between 1 and 2, got 3/);
    });

    test('autoscaler bounds are inconsistent, all reported', () => {
      const { pcs } = set();
      const e = catchValidation(() => pcs.addScalingGroup('g', { replicas: 3, minAvailable: 2, autoScaling: { minReplicas: 1, maxReplicas: 2 } }));
      expect(e.problems.map(p => p.field)).toEqual(['autoScaling.minReplicas', 'autoScaling.maxReplicas']);
    });

    test('the name is not a DNS label', () => {
      const { pcs } = set();
      expect(() => pcs.addScalingGroup('g', { name: 'bad.name' })).toThrow(/name: scaling group name must consist of lowercase/);
    });

    test('it has no clique', () => {
      const { chart, pcs } = set();
      pcs.addClique('a', { containers: [APP] });
      pcs.addScalingGroup('empty');
      expect(() => Testing.synth(chart)).toThrow(/\[test\/Service\/empty\] cliques: a scaling group needs at least one clique/);
    });
  });
});

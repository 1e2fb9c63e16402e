import { ApiObject, Duration, JsonPatch, Testing } from 'cdk8s';
import {
  ClusterTopologyBinding, CliqueStartupType, GroveOperatorConfig, PodCliqueSet, Scheduler, SharingScope, UpdateStrategyType,
} from '../../lib';
import { APP, catchValidation, synthPcs } from './helpers';
import { describeWithReference } from '../support/reference';
import { expectSchemaValid } from '../support/schema';

describe('PodCliqueSet', () => {
  test('defaults', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    pcs.addClique('Worker', { containers: [APP] });
    // THEN
    const manifest = synthPcs(chart);
    expect(manifest).toMatchSnapshot();
    expect(manifest.apiVersion).toBe('grove.io/v1alpha1');
    expect(manifest.spec.replicas).toBe(1); // @default 1, always emitted
    expect(manifest.spec.updateStrategy).toEqual({ type: 'RollingRecreate' }); // always written: a Grove upgrade that defaults to Coherent changes nothing
    expect(manifest.spec.template.cliqueStartupType).toBeUndefined(); // @default left to Grove
    expect(manifest.spec.template.terminationDelay).toBeUndefined();
    expect(manifest.spec.template.headlessServiceConfig).toBeUndefined();
    expect(manifest.spec.template.priorityClassName).toBeUndefined();
    expect(manifest.spec.template.podCliqueScalingGroups).toBeUndefined();
    expect(manifest.spec.template.cliques[0].spec.podSpec.schedulerName).toBeUndefined(); // @default operator default profile
    expect(manifest.metadata.labels).toBeUndefined();
  });

  test('name defaults to the chart-generated name', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service');
    pcs.addClique('w', { containers: [APP] });
    expect(pcs.name).toMatch(/^test-service-[0-9a-f]{8}$/);
    expect(synthPcs(chart).metadata.name).toBe(pcs.name);
  });

  test('kitchen sink', () => {
    const chart = Testing.chart();
    GroveOperatorConfig.set(chart, { topologyAwareScheduling: true });
    const topology = new ClusterTopologyBinding(chart, 'Topology', { name: 'aks', levels: ClusterTopologyBinding.AKS_ZONE_HOST });
    const pcs = new PodCliqueSet(chart, 'Service', {
      metadata: { name: 'kitchen', namespace: 'serving', labels: { team: 'llm' }, annotations: { owner: 'me' } },
      replicas: 2,
      scheduler: Scheduler.kai({ queue: 'inference' }),
      cliqueStartupType: CliqueStartupType.IN_ORDER,
      updateStrategy: UpdateStrategyType.ON_DELETE,
      priorityClassName: 'high',
      publishNotReadyAddresses: false,
      terminationDelay: Duration.minutes(90),
      topologyConstraint: { topology, packPreferred: 'zone' },
    });
    pcs.addResourceClaimTemplate('gpu', { spec: { devices: { requests: [{ name: 'gpu' }] } } } as any);
    pcs.addClique('frontend', { containers: [APP] });
    const group = pcs.addScalingGroup('instance', { replicas: 3, minAvailable: 2, autoScaling: { minReplicas: 2, maxReplicas: 5 }, topologyConstraint: { packRequired: 'host' } });
    group.addClique('leader', { containers: [{ ...APP, resources: { gpus: 8 } }] });
    group.addClique('worker', { replicas: 3, containers: [{ ...APP, resources: { gpus: 8 } }] });
    expect(pcs.scalingGroups).toEqual([group]);
    const manifest = synthPcs(chart);
    expect(manifest).toMatchSnapshot();
    expect(manifest.metadata.labels).toEqual({ 'team': 'llm', 'kai.scheduler/queue': 'inference' });
    expect(manifest.spec.replicas).toBe(2);
    expect(manifest.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    const t = manifest.spec.template;
    expect(t.cliqueStartupType).toBe('CliqueStartupTypeInOrder');
    expect(t.priorityClassName).toBe('high');
    expect(t.headlessServiceConfig).toEqual({ publishNotReadyAddresses: false });
    expect(t.terminationDelay).toBe('1h30m');
    expect(t.topologyConstraint).toEqual({ topologyName: 'aks', pack: { preferred: 'zone' } });
    expect(t.resourceClaimTemplates).toEqual([{ name: 'gpu', templateSpec: { spec: { devices: { requests: [{ name: 'gpu' }] } } } }]);
    expect(t.cliques.map((c: any) => c.name)).toEqual(['frontend', 'leader', 'worker']);
    expect(t.podCliqueScalingGroups).toEqual([{
      name: 'instance', cliqueNames: ['leader', 'worker'], replicas: 3, minAvailable: 2,
      scaleConfig: { minReplicas: 2, maxReplicas: 5 }, topologyConstraint: { pack: { required: 'host' } },
    }]);
    for (const c of t.cliques) {
      expect(c.labels['kai.scheduler/queue']).toBe('inference');
      expect(c.spec.podSpec.schedulerName).toBe('kai-scheduler');
    }
  });

  test('ApiObject.of() reaches the Grove object (escape hatch)', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    pcs.addClique('w', { containers: [APP] });
    ApiObject.of(pcs).addJsonPatch(JsonPatch.add('/spec/template/priorityClassName', 'patched'));
    expect(synthPcs(chart).spec.template.priorityClassName).toBe('patched');
  });

  test('spec is rendered lazily: cliques added after construction appear', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    const a = pcs.addClique('a', { containers: [APP] });
    a.addContainer({ name: 'sidecar', image: 'sidecar:1' });
    expect(synthPcs(chart).spec.template.cliques[0].spec.podSpec.containers.map((c: any) => c.name)).toEqual(['a', 'sidecar']);
  });

  test('startsAfter switches to explicit startup ordering', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    const frontend = pcs.addClique('frontend', { containers: [APP] });
    pcs.addClique('worker', { containers: [APP], startsAfter: [frontend] });
    const t = synthPcs(chart).spec.template;
    expect(t.cliqueStartupType).toBe('CliqueStartupTypeExplicit');
    expect(t.cliques[1].spec.startsAfter).toEqual(['frontend']);
    expect(t.cliques[0].spec.startsAfter).toBeUndefined();
  });

  test('Volcano puts its queue annotation on the set', () => {
    const chart = Testing.chart();
    GroveOperatorConfig.set(chart, { schedulerProfiles: ['default-scheduler', 'volcano'] });
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' }, scheduler: Scheduler.volcano({ queue: 'q1' }) });
    pcs.addClique('w', { containers: [APP] });
    const m = synthPcs(chart);
    expect(m.metadata.annotations).toEqual({ 'scheduling.grove.io/volcano-queue': 'q1' });
    expect(m.spec.template.cliques[0].spec.podSpec.schedulerName).toBe('volcano');
  });

  test('resource sharing refers to claim templates, cliques and scaling groups by name', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' } });
    const claim = pcs.addResourceClaimTemplate('shared', { spec: { devices: { requests: [{ name: 'x', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } } as any);
    const a = pcs.addClique('a', { containers: [APP] });
    const g = pcs.addScalingGroup('g');
    const b = g.addClique('b', { containers: [APP] });
    pcs.addResourceSharing({ claim, scope: SharingScope.ALL_REPLICAS, cliques: [a], scalingGroups: [g] });
    g.addResourceSharing({ claim, scope: SharingScope.PER_REPLICA, cliques: [b] });
    const t = synthPcs(chart).spec.template;
    expect(t.resourceSharing).toEqual([{ name: 'shared', scope: 'AllReplicas', filter: { childCliqueNames: ['a'], childScalingGroupNames: ['g'] } }]);
    expect(t.podCliqueScalingGroups[0].resourceSharing).toEqual([{ name: 'shared', scope: 'PerReplica', filter: { childCliqueNames: ['b'] } }]);
  });

  test('podCliqueName and scalingGroupName give the names autoscalers target', () => {
    const chart = Testing.chart();
    const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'llm' } });
    const frontend = pcs.addClique('frontend', { containers: [APP] });
    const g = pcs.addScalingGroup('prefill');
    const leader = g.addClique('leader', { containers: [APP] });
    expect(frontend.podCliqueName()).toBe('llm-0-frontend');
    expect(leader.podCliqueName(1, 2)).toBe('llm-1-prefill-2-leader');
    expect(g.scalingGroupName()).toBe('llm-0-prefill');
  });

  describe('fails when', () => {
    test('the name is not a DNS label', () => {
      const e = catchValidation(() => new PodCliqueSet(Testing.chart(), 'S', { metadata: { name: 'My_Service' } }));
      expect(e.message).toMatch(/\[test\/S\] metadata\.name: PodCliqueSet name must consist of lowercase/);
      expect(e.message).toMatch(/got "My_Service"/);
    });

    test('replicas is negative, reported with terminationDelay at once', () => {
      const e = catchValidation(() => new PodCliqueSet(Testing.chart(), 'S', { metadata: { name: 's' }, replicas: -1, terminationDelay: Duration.seconds(0) }));
      expect(e.problems.map(p => p.field)).toEqual(['replicas', 'terminationDelay']);
      expect(e.message).toMatch(/replicas: must be a whole number >= 0, got -1/);
    });

    test('two cliques share a name', () => {
      const pcs = new PodCliqueSet(Testing.chart(), 'S', { metadata: { name: 's' } });
      pcs.addClique('a', { containers: [APP] });
      const e = catchValidation(() => pcs.addClique('A', { containers: [APP] }));
      expect(e.message).toMatch(/\[test\/S\/A\] name: another clique of this PodCliqueSet \(test\/S\/a\) has the same name/);
    });

    test('two cliques share a roleName', () => {
      const pcs = new PodCliqueSet(Testing.chart(), 'S', { metadata: { name: 's' } });
      pcs.addClique('a', { containers: [APP], roleName: 'r' });
      expect(() => pcs.addClique('b', { containers: [APP], roleName: 'r' })).toThrow(/roleName: another clique .* has the same roleName/);
    });

    test('two scaling groups share a name', () => {
      const pcs = new PodCliqueSet(Testing.chart(), 'S', { metadata: { name: 's' } });
      pcs.addScalingGroup('g');
      expect(() => pcs.addScalingGroup('G')).toThrow(/another scaling group of this PodCliqueSet has the same name/);
    });

    test('startsAfter forms a cycle (refused by admission at synth, placed on the clique)', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' } });
      const a = pcs.addClique('a', { containers: [APP] });
      const b = pcs.addClique('b', { containers: [APP], startsAfter: [a] });
      a.addStartsAfter(b);
      const e = catchValidation(() => Testing.synth(chart));
      expect(e.problems.length).toBeGreaterThan(0);
      expect(e.problems.every(p => p.constructPath.startsWith('test/S'))).toBe(true);
      expect(e.message).toMatch(/startsAfter/);
      expect(e.message).toMatch(/cycle|circular/i);
    });

    test('a topology constraint is set while topology-aware scheduling is off', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' }, topologyConstraint: { topology: ClusterTopologyBinding.fromExisting('fabric', [{ domain: 'rack', key: 'rack' }]), packRequired: 'rack' } });
      pcs.addClique('a', { containers: [APP] });
      const e = catchValidation(() => Testing.synth(chart));
      expect(e.problems[0].field).toMatch(/^spec\.template\.topologyConstraint/);
      expect(e.problems[0].constructPath).toBe('test/S');
      expect(e.message).toMatch(/topologyAwareScheduling: true/);
    });

    test('the scheduler is not enabled in the operator', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' }, scheduler: Scheduler.named('volcano') });
      pcs.addClique('a', { containers: [APP] });
      const e = catchValidation(() => Testing.synth(chart));
      expect(e.problems.some(p => /schedulerName/.test(p.field))).toBe(true);
      expect(e.message).toMatch(/scheduler/);
    });

    test('several things are wrong: all are reported at once', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' } });
      pcs.addClique('a');
      pcs.addScalingGroup('g');
      const e = catchValidation(() => Testing.synth(chart));
      expect(e.problems.map(p => `${p.constructPath} ${p.field}`)).toEqual(expect.arrayContaining(['test/S/a containers', 'test/S/g cliques']));
      expect(e.message).toMatch(/^\d+ problems found:/);
    });
  });

  describeWithReference('schema', () => {
    test('defaults and kitchen sink are schema-valid', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'Service', { metadata: { name: 'svc' }, scheduler: Scheduler.kai({ queue: 'q' }), terminationDelay: Duration.hours(1) });
      pcs.addClique('w', { containers: [{ ...APP, resources: { gpus: 1, cpu: { request: '1' } } }], autoScaling: { maxReplicas: 3 } });
      expectSchemaValid(Testing.synth(chart));
    });
  });
});

/**
 * Scheduler-backend checks (VALIDATION.md §8): KAI queues, Volcano topology and queues, LPX; all reported as
 * `Invalid @ spec`.
 */
import { BASE_CONFIG, TAS_CONFIG, clique, create, ctb, pcs } from './fixtures';

const KAI = { schedulerName: 'kai-scheduler' };
const VOLCANO_CONFIG = { ...BASE_CONFIG, schedulerProfiles: ['default-scheduler', 'volcano'] };
const podSpec = (extra: Record<string, unknown>) => ({ podSpec: { containers: [{ name: 'c' }], ...extra } });
const queue = (name: string, state = 'Open') => ({ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name }, status: { state } });
const backendMessages = (response: ReturnType<typeof create>) => response.errors.filter(e => e.field === 'spec').map(e => e.detail);

describe('KAI (B1-B3)', () => {
  test('B2: a PodCliqueSet queue and a different clique queue', () => {
    const response = create(pcs({ cliques: [clique('a', podSpec(KAI), { annotations: { 'kai.scheduler/queue': 'team-b' } })] }, { labels: { 'kai.scheduler/queue': 'team-a' } }));
    expect(backendMessages(response)).toEqual(['KAI queue on PodCliqueSet default/inference is "team-a" but PodClique template "a" resolves to "team-b"']);
  });

  test('the PodCliqueSet annotation counts when there is no label', () => {
    expect(create(pcs({ cliques: [clique('a', podSpec(KAI))] }, { annotations: { 'kai.scheduler/queue': 'q' } })).allowed).toBe(true);
  });

  test('KAI as the default profile needs a queue too', () => {
    const response = create(pcs(), { ...BASE_CONFIG, defaultProfileName: 'kai-scheduler' });
    expect(backendMessages(response)).toEqual(['no KAI queue is configured on PodCliqueSet default/inference or its PodClique templates']);
  });
});

describe('Volcano (B4-B10)', () => {
  const volcano = (template: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
    pcs({ cliques: [clique('a', podSpec({ schedulerName: 'volcano' }))], ...template }, metadata);

  test('B9, B10: the resolved queue (default "default") must exist and be Open', () => {
    expect(backendMessages(create(volcano({}), VOLCANO_CONFIG, []))).toEqual(['volcano queue "default" does not exist']);
    expect(backendMessages(create(volcano({}), VOLCANO_CONFIG, [queue('default', 'Closed')]))).toEqual(['volcano queue "default" is not Open']);
    expect(create(volcano({}), VOLCANO_CONFIG, [queue('default')]).allowed).toBe(true);
  });

  test('B5: an invalid PodCliqueSet queue annotation is reported first', () => {
    const response = create(volcano({}, { annotations: { 'scheduling.grove.io/volcano-queue': 'Bad_Queue' } }), VOLCANO_CONFIG, []);
    expect(backendMessages(response)[0]).toMatch(/^metadata\.annotations\[scheduling\.grove\.io\/volcano-queue\]: a lowercase RFC 1123 subdomain/);
  });

  test('B7, B8: conflicting annotations, cliques resolving to different queues', () => {
    const conflicting = pcs({ cliques: [clique('a', podSpec({ schedulerName: 'volcano' }), { annotations: { 'scheduling.grove.io/volcano-queue': 'b' } })] },
      { annotations: { 'scheduling.grove.io/volcano-queue': ' a ' } });
    expect(backendMessages(create(conflicting, VOLCANO_CONFIG, [queue('a')]))).toEqual([
      'spec.template.cliques[0].annotations[scheduling.grove.io/volcano-queue]: conflicting volcano queue annotations: PodCliqueSet has "a", PodClique has "b"',
    ]);
    const split = pcs({ cliques: [
      clique('a', podSpec({ schedulerName: 'volcano' }), { annotations: { 'scheduling.grove.io/volcano-queue': 'x' } }),
      clique('b', podSpec({ schedulerName: 'volcano' })),
    ] });
    expect(backendMessages(create(split, VOLCANO_CONFIG, [queue('x'), queue('default')]))).toEqual([
      'spec.template.cliques[1].annotations[scheduling.grove.io/volcano-queue]: all PodCliques in a PodCliqueSet using volcano scheduler must resolve to the same queue',
    ]);
  });

  test('B4: no topology constraints with Volcano (reported besides T1)', () => {
    const response = create(volcano({ topologyConstraint: { topologyName: 't', pack: { required: 'zone' } } }), { ...VOLCANO_CONFIG, topologyAwareScheduling: true }, [queue('default'), ctb('t', ['zone'])]);
    expect(backendMessages(response)).toEqual(['volcano scheduler backend does not support topologyConstraint on PodCliqueSet']);
  });
});

describe('LPX (B11)', () => {
  test('even an empty constraint is refused', () => {
    const response = create(pcs({ cliques: [clique('a', podSpec({ schedulerName: 'lpx-scheduler' }), { topologyConstraint: { topologyName: 't', pack: { required: 'zone' } } })] }),
      { ...TAS_CONFIG, schedulerProfiles: ['lpx-scheduler'] }, [ctb('t', ['zone'])]);
    expect(backendMessages(response)).toEqual(['lpx-scheduler does not support Grove topology constraints; placement topology must be expressed through the LPX workload contract']);
  });
});

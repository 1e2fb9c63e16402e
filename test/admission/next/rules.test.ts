/**
 * The next Grove API's admission (lib/admission/next): GREP-393 "MaxUnavailable defaulting and validation" and
 * "Handling scale-outs and scale-ins during update" (ai-dynamo/grove docs/proposals/393-coherent-rolling-updates/README.md),
 * the preview CRDs of PR #649 (reference grove/crds/preview-pr649/) and the reference's VALIDATION.md §12.
 */
import { admit, DEFAULT_OPERATOR_CONFIG, defaultPodCliqueSet } from '../../../lib/admission';
import { podCliqueSetView } from '../../../lib/admission/model';
import { validateNextPodCliqueSet } from '../../../lib/admission/next';
import { describeWithPreviewCrds, expectSchemaValid, groveSchemaIssues } from '../../support/schema';
import { CASE_H, disaggSet, WORKED_EXAMPLE } from '../../rollout/fixtures';

const create = (object: unknown, groveApi: 'pinned' | 'next' = 'next') => admit({ operation: 'CREATE', object, operatorConfig: DEFAULT_OPERATOR_CONFIG }, { groveApi });
const noBudgets = { F: { replicas: 4, minAvailable: 2 }, P: { replicas: 3, minAvailable: 2 }, D: { replicas: 2, minAvailable: 1 } };

describe('defaulting', () => {
  test('Coherent is the default strategy and every standalone clique and scaling group gets maxUnavailable = minAvailable', () => {
    const r = create(disaggSet(noBudgets));
    expect(r.allowed).toBe(true);
    const spec = (r.patched as any).spec;
    expect(spec.updateStrategy).toEqual({ type: 'Coherent' });
    expect(spec.template.cliques.map((c: any) => [c.name, c.rollingUpdate])).toEqual([
      ['frontend', { maxUnavailable: 2 }], ['pleader', undefined], ['pworker', undefined], ['dleader', undefined], ['dworker', undefined],
    ]);
    expect(spec.template.podCliqueScalingGroups.map((g: any) => g.rollingUpdate)).toEqual([{ maxUnavailable: 2 }, { maxUnavailable: 1 }]);
  });

  test('RollingRecreate defaults maxUnavailable to 1; OnDelete leaves it unset; an explicit value stays', () => {
    const rr = (create(disaggSet(noBudgets, {}, { strategy: 'RollingRecreate' })).patched as any).spec.template;
    expect(rr.cliques[0].rollingUpdate).toEqual({ maxUnavailable: 1 });
    expect(rr.podCliqueScalingGroups.map((g: any) => g.rollingUpdate)).toEqual([{ maxUnavailable: 1 }, { maxUnavailable: 1 }]);
    const od = (create(disaggSet(noBudgets, {}, { strategy: 'OnDelete' })).patched as any).spec.template;
    expect(od.cliques[0].rollingUpdate).toBeUndefined();
    const explicit = (defaultPodCliqueSet(disaggSet(WORKED_EXAMPLE), 'next') as any).spec.template;
    expect(explicit.podCliqueScalingGroups[1].rollingUpdate).toEqual({ maxUnavailable: 4 });
  });

  test("a clique's unset minAvailable defaults to its defaulted replicas (pinned takes the submitted value, quirk Q3)", () => {
    const pcs = disaggSet(noBudgets);
    pcs.spec.template.cliques[0].spec.replicas = 0;
    delete pcs.spec.template.cliques[0].spec.minAvailable;
    expect((defaultPodCliqueSet(pcs, 'next') as any).spec.template.cliques[0].spec.minAvailable).toBe(1);
    expect((create(pcs).patched as any).spec.template.cliques[0]).toMatchObject({ spec: { replicas: 1, minAvailable: 1 }, rollingUpdate: { maxUnavailable: 1 } });
  });

  test('defaulting does not touch its input', () => {
    const pcs = disaggSet(noBudgets);
    const copy = JSON.parse(JSON.stringify(pcs));
    defaultPodCliqueSet(pcs, 'next');
    create(pcs);
    expect(pcs).toEqual(copy);
  });
});

describe('validation', () => {
  test('case H: maxUnavailable < minAvailable is refused under Coherent, and only there', () => {
    const r = create(disaggSet(CASE_H));
    expect(r.allowed).toBe(false);
    expect(r.errors).toEqual([{
      type: 'Invalid', field: 'spec.template.cliques[0].rollingUpdate.maxUnavailable',
      detail: 'must not be less than minAvailable (2) under the Coherent update strategy',
    }]);
    expect(create(disaggSet(CASE_H, {}, { strategy: 'RollingRecreate' })).allowed).toBe(true);
  });

  test('a scaling group budget below its minAvailable is refused at its own path', () => {
    const r = create(disaggSet({ ...noBudgets, P: { replicas: 3, minAvailable: 2, maxUnavailable: 1 } }));
    expect(r.errors.map(e => e.field)).toEqual(['spec.template.podCliqueScalingGroups[0].rollingUpdate.maxUnavailable']);
  });

  test('case I: rollingUpdate on a clique a scaling group owns is refused', () => {
    const pcs = disaggSet(noBudgets);
    pcs.spec.template.cliques[1].rollingUpdate = { maxUnavailable: 2 };
    const r = create(pcs);
    expect(r.errors).toEqual([expect.objectContaining({ type: 'Forbidden', field: 'spec.template.cliques[1].rollingUpdate' })]);
  });

  test('an unknown strategy is not supported; the pinned API does not know Coherent', () => {
    expect(create(disaggSet(noBudgets, {}, { strategy: 'Canary' })).errors.map(e => e.type)).toContain('NotSupported');
    const pinned = create(disaggSet(noBudgets, {}, { strategy: 'Coherent' }), 'pinned');
    expect(pinned.errors[0]).toMatchObject({ field: 'spec.updateStrategy.type', type: 'NotSupported' });
  });

  test('what the preview CRD states is reported once, in the API server wording, not again by the next rules', () => {
    // The schema stage (preview CRD enum) answers for the strategy; the webhook never sees the object.
    expect(create(disaggSet(noBudgets, {}, { strategy: 'Canary' })).errors.filter(e => e.field === 'spec.updateStrategy.type')).toEqual([{
      type: 'NotSupported', field: 'spec.updateStrategy.type',
      detail: 'Unsupported value: "Canary": supported values: "Coherent", "RollingRecreate", "OnDelete"',
    }]);
    // The preview CRD types maxUnavailable as an integer: the webhook's Go decode refuses a string, once.
    const pcs = disaggSet(noBudgets);
    pcs.spec.template.cliques[0].rollingUpdate = { maxUnavailable: 'two' };
    expect(create(pcs).errors).toEqual([expect.objectContaining({ type: 'TypeInvalid', field: 'spec.template.cliques[0].rollingUpdate.maxUnavailable' })]);
  });

  test('while a Coherent update is in flight, replica changes are refused PCS-wide; once it ended they are allowed', () => {
    const stored = defaultPodCliqueSet(disaggSet(noBudgets), 'next') as any;
    stored.status = { updateProgress: { updateStartedAt: '2026-01-01T00:00:00Z' } };
    const scaled = disaggSet({ ...noBudgets, D: { replicas: 3, minAvailable: 1 } });
    const update = (oldObject: unknown) => admit({ operation: 'UPDATE', object: scaled, oldObject, operatorConfig: DEFAULT_OPERATOR_CONFIG }, { groveApi: 'next' });
    expect(update(stored).errors).toEqual([expect.objectContaining({ type: 'Forbidden', field: 'spec.template.podCliqueScalingGroups[1].replicas' })]);
    stored.status.updateProgress.updateEndedAt = '2026-01-01T01:00:00Z';
    expect(update(stored).allowed).toBe(true);
    expect(validateNextPodCliqueSet(podCliqueSetView(defaultPodCliqueSet(scaled, 'next')))).toEqual([]);
  });

  test('errors of the pinned pipeline still come out at the next level', () => {
    const pcs = disaggSet(noBudgets);
    pcs.spec.template.cliques[0].spec.minAvailable = 5; // above its 4 replicas
    const r = create(pcs);
    expect(r.allowed).toBe(false);
    expect(r.errors.map(e => e.field)).toContain('spec.template.cliques[0].spec.minAvailable');
  });
});

describeWithPreviewCrds('objects defaulted at the next level validate against the preview CRDs', () => {
  test('the worked example, case H (valid structurally) and a RollingRecreate set', () => {
    for (const obj of [disaggSet(WORKED_EXAMPLE), disaggSet(CASE_H), disaggSet(noBudgets, {}, { strategy: 'RollingRecreate' })]) {
      expectSchemaValid([create(obj).patched], 'next');
    }
  });

  test('the pinned CRDs refuse rollingUpdate (unknown field) and Coherent (enum)', () => {
    const issues = groveSchemaIssues([create(disaggSet(WORKED_EXAMPLE)).patched], 'pinned').flatMap(i => i.issues.map(x => x.field));
    expect(issues).toEqual(expect.arrayContaining(['spec.updateStrategy.type', 'spec.template.cliques[0].rollingUpdate']));
  });
});

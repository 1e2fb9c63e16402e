/**
 * Defaulting: CRD structural defaults + Grove's defaulting webhook (VALIDATION.md §2, D1-D9, quirk Q3).
 */
import { defaultPodCliqueSet } from '../../lib/admission';
import { clique, clone, pcs } from './fixtures';

const template = (obj: any) => obj.spec.template;

describe('defaultPodCliqueSet', () => {
  test('is pure: the input is never mutated and a new object is returned', () => {
    const input = pcs({ cliques: [{ name: 'a', spec: { roleName: 'r', replicas: 0, podSpec: { containers: [{ name: 'c' }] } } }] });
    const before = clone(input);
    const out = defaultPodCliqueSet(input);
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect((out as any).spec.template.cliques[0]).not.toBe(input.spec.template.cliques[0]);
  });

  test('D1: an empty or blank namespace becomes default', () => {
    expect((defaultPodCliqueSet(pcs({}, { namespace: undefined })) as any).metadata.namespace).toBe('default');
    expect((defaultPodCliqueSet(pcs({}, { namespace: '  ' })) as any).metadata.namespace).toBe('default');
    expect((defaultPodCliqueSet(pcs({}, { namespace: 'prod' })) as any).metadata.namespace).toBe('prod');
  });

  test('D2, D3: restartPolicy Always and terminationGracePeriodSeconds 30, explicit values kept', () => {
    const out: any = defaultPodCliqueSet(pcs({
      cliques: [clique('a'), clique('b', { podSpec: { containers: [{ name: 'c' }], restartPolicy: 'Never', terminationGracePeriodSeconds: 5 } })],
    }));
    expect(template(out).cliques[0].spec.podSpec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
    expect(template(out).cliques[1].spec.podSpec).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 5 });
  });

  test('D4, D5 (Q3): replicas 0 becomes 1 but minAvailable takes the submitted 0', () => {
    const out: any = defaultPodCliqueSet(pcs({ cliques: [clique('a', { replicas: 0, minAvailable: undefined })] }));
    expect(template(out).cliques[0].spec).toMatchObject({ replicas: 1, minAvailable: 0 });
  });

  test('D4, D5: a missing replicas is Go zero, so it behaves like 0', () => {
    const c = clique('a');
    delete c.spec.replicas;
    delete c.spec.minAvailable;
    const out: any = defaultPodCliqueSet(pcs({ cliques: [c] }));
    expect(template(out).cliques[0].spec).toMatchObject({ replicas: 1, minAvailable: 0 });
  });

  test('D5: minAvailable defaults to replicas and is kept when set', () => {
    const out: any = defaultPodCliqueSet(pcs({ cliques: [clique('a', { replicas: 5, minAvailable: undefined }), clique('b', { replicas: 5, minAvailable: 3 })] }));
    expect(template(out).cliques.map((c: any) => c.spec.minAvailable)).toEqual([5, 3]);
  });

  test('D6: autoScalingConfig.minReplicas takes the submitted replicas (0 stays 0)', () => {
    const out: any = defaultPodCliqueSet(pcs({
      cliques: [
        clique('a', { replicas: 4, autoScalingConfig: { maxReplicas: 8 } }),
        clique('b', { replicas: 0, minAvailable: 1, autoScalingConfig: { maxReplicas: 8 } }),
        clique('c', { replicas: 4, autoScalingConfig: { minReplicas: 2, maxReplicas: 8 } }),
        clique('d'),
      ],
    }));
    expect(template(out).cliques.map((c: any) => c.spec.autoScalingConfig?.minReplicas)).toEqual([4, 0, 2, undefined]);
  });

  test('D7 with CRD defaults: scaling-group replicas and minAvailable default to 1; scaleConfig.minReplicas to replicas', () => {
    const out: any = defaultPodCliqueSet(pcs({
      cliques: [clique('a'), clique('b'), clique('c')],
      podCliqueScalingGroups: [
        { name: 'g1', cliqueNames: ['a'], scaleConfig: { maxReplicas: 4 } },
        { name: 'g2', cliqueNames: ['b'], replicas: 3, scaleConfig: { maxReplicas: 4 } },
        { name: 'g3', cliqueNames: ['c'], replicas: 3, scaleConfig: { minReplicas: 2, maxReplicas: 4 } },
      ],
    }));
    const groups = template(out).podCliqueScalingGroups;
    expect(groups.map((g: any) => [g.replicas, g.minAvailable, g.scaleConfig.minReplicas])).toEqual([[1, 1, 1], [3, 1, 3], [3, 1, 2]]);
  });

  test('D8: terminationDelay defaults to 4h and is stored in Go duration form', () => {
    expect(template(defaultPodCliqueSet(pcs())).terminationDelay).toBe('4h0m0s');
    expect(template(defaultPodCliqueSet(pcs({ terminationDelay: '90m' }))).terminationDelay).toBe('1h30m0s');
    expect(template(defaultPodCliqueSet(pcs({ terminationDelay: '0s' }))).terminationDelay).toBe('0s');
    expect(template(defaultPodCliqueSet(pcs({ terminationDelay: 'soon' }))).terminationDelay).toBe('soon');
  });

  test('D9 and the CRD default: headlessServiceConfig publishes not-ready addresses', () => {
    expect(template(defaultPodCliqueSet(pcs())).headlessServiceConfig).toEqual({ publishNotReadyAddresses: true });
    expect(template(defaultPodCliqueSet(pcs({ headlessServiceConfig: {} }))).headlessServiceConfig).toEqual({ publishNotReadyAddresses: true });
    expect(template(defaultPodCliqueSet(pcs({ headlessServiceConfig: { publishNotReadyAddresses: false } }))).headlessServiceConfig)
      .toEqual({ publishNotReadyAddresses: false });
  });

  test('CRD defaults: spec.replicas 0, cliqueStartupType AnyOrder, updateStrategy.type only when the object exists', () => {
    const input = pcs();
    delete input.spec.replicas;
    delete input.spec.template.cliqueStartupType;
    const out: any = defaultPodCliqueSet(input);
    expect(out.spec.replicas).toBe(0);
    expect(out.spec.template.cliqueStartupType).toBe('CliqueStartupTypeAnyOrder');
    expect(out.spec.updateStrategy).toBeUndefined();
    expect((defaultPodCliqueSet({ ...input, spec: { ...input.spec, updateStrategy: {} } }) as any).spec.updateStrategy).toEqual({ type: 'RollingRecreate' });
  });

  test('CRD defaults inside the pod spec: container ports default to TCP', () => {
    const out: any = defaultPodCliqueSet(pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } })] }));
    expect(template(out).cliques[0].spec.podSpec.containers[0].ports[0]).toEqual({ containerPort: 80, protocol: 'TCP' });
  });

  test('nulls of known fields are pruned before defaulting', () => {
    const out: any = defaultPodCliqueSet(pcs({ terminationDelay: null, headlessServiceConfig: null }));
    expect(template(out)).toMatchObject({ terminationDelay: '4h0m0s', headlessServiceConfig: { publishNotReadyAddresses: true } });
  });

  test('missing spec, template, clique spec and podSpec are created as Go zero values would be', () => {
    const out: any = defaultPodCliqueSet({ kind: 'PodCliqueSet', metadata: { name: 'x' } });
    // cliques: Grove's defaultPodCliqueTemplateSpecs returns make([]..., 0), which json.Marshal writes as [] (not null)
    expect(out.spec).toEqual({ replicas: 0, template: { cliqueStartupType: 'CliqueStartupTypeAnyOrder', cliques: [], terminationDelay: '4h0m0s', headlessServiceConfig: { publishNotReadyAddresses: true } } });
    const withBareClique: any = defaultPodCliqueSet(pcs({ cliques: [{ name: 'a' }] }));
    // roleName has no omitempty (grove podclique.go): the round trip writes it; podSpec.containers comes back null
    // and the API server's decode prunes it (defaulting/prunenulls.go)
    expect(template(withBareClique).cliques[0].spec).toEqual({ roleName: '', replicas: 1, minAvailable: 0, podSpec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30 } });
  });

  test('mistyped values are left for the type check to report', () => {
    const out: any = defaultPodCliqueSet(pcs({ cliques: [clique('a', { replicas: '3', podSpec: 'x' })], terminationDelay: 5 }));
    expect(template(out).cliques[0].spec).toMatchObject({ replicas: '3', podSpec: 'x' });
    expect(template(out).cliques[0].spec.minAvailable).toBe(1);
    expect(template(out).terminationDelay).toBe(5);
  });

  test('is idempotent', () => {
    const once = defaultPodCliqueSet(pcs({ cliques: [clique('a', { replicas: 0, minAvailable: undefined, autoScalingConfig: { maxReplicas: 3 } })] }));
    expect(defaultPodCliqueSet(once)).toEqual(once);
  });

  test.each([null, undefined, 3, 'x', [], [1, 2]])('a non-object input (%p) yields {}', input => {
    expect(defaultPodCliqueSet(input)).toEqual({});
  });
});

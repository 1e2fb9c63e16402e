/**
 * PodCliqueSet rules beyond the conformance file: API-server stage, validate() (V1-V55), quirks Q1, Q3, Q4, Q7,
 * and the UPDATE-only rules (U1-U16).
 */
import { admit } from '../../lib/admission';
import { BASE_CONFIG, clique, clone, create, errorKeys, pcs, update } from './fixtures';

const RESTART_WARNING = 'restartPolicy will be ignored, it will be set to Always';

describe('API server stage (schema, metadata, CEL)', () => {
  test('duplicate clique names are rejected by the list-map check before the webhook runs', () => {
    const response = create(pcs({ cliques: [clique('a'), clique('a')] }));
    expect(errorKeys(response)).toEqual(['Duplicate @ spec.template.cliques[1]']);
    expect(response.errors[0].detail).toBe('Duplicate value: {"name":"a"}');
    expect(errorKeys(create(pcs({ cliques: [clique('a'), clique('b'), clique('a'), clique('a')] })))).toEqual(['Duplicate @ spec.template.cliques[2]']);
  });

  test('an invalid metadata.name is reported by the API server', () => {
    expect(errorKeys(create(pcs({}, { name: 'Inference' })))).toEqual(['Invalid @ metadata.name']);
  });

  test('generateName stands in for the name (the API server generates it before validation)', () => {
    expect(create(pcs({}, { name: undefined, generateName: 'inference-' })).allowed).toBe(true);
    const tooLong = create(pcs({ cliques: [clique('c'.repeat(30))] }, { name: undefined, generateName: 'g'.repeat(11) }));
    expect(errorKeys(tooLong)).toEqual(['Invalid @ spec.template.cliques[0].name', 'Invalid @ metadata.name']);
  });

  test('enum, required keys and patterns are enforced as by the API server; CEL is skipped after blocking errors', () => {
    const c = clique('a');
    delete c.spec.roleName;
    const response = create(pcs({ cliqueStartupType: 'Sometimes', cliques: [c], topologyConstraint: { topologyName: 't', pack: {} } }));
    // No Required for roleName: the defaulting webhook's JSON round trip writes `roleName: ""` (grove podclique.go,
    // json:"roleName" without omitempty; controller-runtime defaulter_custom.go), so the schema finds it present.
    expect(errorKeys(response)).toEqual([
      'NotSupported @ spec.template.cliqueStartupType',
      'Invalid @ <nil>',
    ]);
  });

  test('CEL C2 applies on UPDATE too; C4 (packDomain on new workloads) only on CREATE', () => {
    const both = pcs({ topologyConstraint: { topologyName: 't', packDomain: 'zone', pack: { required: 'zone' } } });
    expect(errorKeys(update(both, both))).toEqual(['Invalid @ spec.template.topologyConstraint.pack.required']);
    const legacy = pcs({ topologyConstraint: { topologyName: 't', packDomain: 'zone' } });
    expect(errorKeys(create(legacy))).toEqual(['Forbidden @ spec.template.topologyConstraint.packDomain']);
    const updated = update(legacy, legacy);
    expect(updated.allowed).toBe(true);
    expect(updated.warnings).toContain('spec.template.topologyConstraint.packDomain is deprecated; use spec.template.topologyConstraint.pack.required instead');
  });

  test('a topology domain breaking the CRD pattern is Invalid, an overlong one TooLong', () => {
    const response = create(pcs({ topologyConstraint: { topologyName: 't', pack: { required: 'Zone', preferred: 'z'.repeat(64) } } }));
    expect(errorKeys(response)).toEqual([
      'Invalid @ spec.template.topologyConstraint.pack.required',
      'TooLong @ spec.template.topologyConstraint.pack.preferred',
      'Invalid @ <nil>',
    ]);
  });
});

describe('validate() (CREATE and UPDATE)', () => {
  test('Q4: one restartPolicy warning, also with several cliques', () => {
    const response = create(pcs({ cliques: [clique('a'), clique('b')] }));
    expect(response).toMatchObject({ allowed: true, errors: [], warnings: [RESTART_WARNING] });
  });

  test('Q1: an empty clique list is denied with the panic Grove recovers from', () => {
    const response = create(pcs({ cliques: [] }));
    expect(errorKeys(response)).toEqual(['Required @ spec.template.cliques', 'InternalError @ ']);
    expect(response.errors[1].detail).toContain('index out of range');
  });

  test('V2: negative spec.replicas is refused first by the scale subresource check, at the CRD\'s specReplicasPath (validator.go ValidateScaleSpec)', () => {
    // The API server's behaviour wins over the webhook's V2 (which would report `spec.replicas`): the webhook never sees it.
    expect(create({ ...pcs(), spec: { ...pcs().spec, replicas: -1 } }).errors).toEqual([{ type: 'Invalid', field: '.spec.replicas', detail: 'should be a non-negative integer' }]);
  });

  test('V17: a clique name that is not a DNS subdomain (the API server accepts it)', () => {
    const response = create(pcs({ cliques: [clique('Worker')] }));
    expect(response.errors).toEqual([{ type: 'Invalid', field: 'spec.template.cliques[0].name', detail: 'invalid PodCliqueTemplateSpec name, must be a valid DNS subdomain' }]);
  });

  test('V19, V20: clique labels and annotations', () => {
    const response = create(pcs({ cliques: [clique('a', {}, { labels: { 'bad key!': 'v', ok: 'not valid!' }, annotations: { '/x': 'y' } })] }));
    expect(errorKeys(response)).toEqual([
      'Invalid @ spec.template.cliques[0].labels',
      'Invalid @ spec.template.cliques[0].labels',
      'Invalid @ spec.template.cliques[0].annotations',
    ]);
    expect(response.errors[2].detail).toBe('prefix part must be non-empty');
  });

  test('V21-V24 after defaulting: negative replicas, minAvailable 0 from replicas 0 (Q3), minAvailable above replicas', () => {
    expect(errorKeys(create(pcs({ cliques: [clique('a', { replicas: -2, minAvailable: 1 })] })))).toEqual([
      'Invalid @ spec.template.cliques[0].spec.replicas',
      'Invalid @ spec.template.cliques[0].spec.minAvailable',
    ]);
    expect(create(pcs({ cliques: [clique('a', { replicas: 0, minAvailable: 1 })] })).allowed).toBe(true);
  });

  test('V25, V26, V26b, V40: startsAfter with Explicit startup', () => {
    const response = create(pcs({
      cliqueStartupType: 'CliqueStartupTypeExplicit',
      cliques: [clique('a', { startsAfter: [' ', 'a', 'b', 'b'] }), clique('b')],
    }));
    expect(errorKeys(response)).toEqual([
      'Required @ spec.template.cliques[0].spec.startsAfter',
      'Invalid @ spec.template.cliques[0].spec.startsAfter',
      'Duplicate @ spec.template.cliques[0].spec.startsAfter',
      'Invalid @ spec.template.cliques.startsAfter',
    ]);
  });

  test('V41: a cycle through three cliques; startsAfter is ignored unless Explicit', () => {
    const cliques = [clique('a', { startsAfter: ['c'] }), clique('b', { startsAfter: ['a'] }), clique('c', { startsAfter: ['b'] })];
    expect(errorKeys(create(pcs({ cliqueStartupType: 'CliqueStartupTypeExplicit', cliques })))).toEqual(['Invalid @ spec.template.cliques']);
    expect(create(pcs({ cliqueStartupType: 'CliqueStartupTypeInOrder', cliques })).allowed).toBe(true);
  });

  test('V28-V31: the clique autoscaler', () => {
    const response = create(pcs({ cliques: [clique('a', { replicas: 4, minAvailable: 3, autoScalingConfig: { minReplicas: 2, maxReplicas: 1 } })] }));
    expect(response.errors.map(e => e.detail)).toEqual([
      'must be greater than or equal to podCliqueSpec.minAvailable',
      'must be greater than or equal to podCliqueSpec.minReplicas',
      'must be greater than or equal to replicas',
    ]);
  });

  test('V34 on init containers, with Go\'s chdir-prefix messages', () => {
    const response = create(pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i', env: [{ name: '..x' }] }] } })] }));
    expect(response.errors).toEqual([{ type: 'Invalid', field: 'spec.template.cliques[0].spec.podSpec.spec.initContainers[0].env[0].name', detail: "must not start with '..'" }]);
  });

  test('V42-V52: scaling groups', () => {
    const response = create(pcs({
      cliques: [clique('a'), clique('b')],
      podCliqueScalingGroups: [
        { name: 'Group', cliqueNames: ['a', 'ghost'], replicas: 2, minAvailable: 3, scaleConfig: { minReplicas: 1, maxReplicas: 2 } },
        { name: 'g2', cliqueNames: ['a'], resourceSharing: [{ name: 'x', scope: 'AllReplicas', filter: {} }, { name: 'y', scope: 'AllReplicas', filter: { childCliqueNames: ['b'] } }] },
      ],
    }));
    expect(errorKeys(response)).toEqual([
      'Invalid @ spec.template.podCliqueScalingGroups[0].name',
      'Invalid @ spec.template.podCliqueScalingGroups[0].cliqueNames',
      'Invalid @ spec.template.podCliqueScalingGroups[0].minAvailable',
      'Invalid @ spec.template.podCliqueScalingGroups[0].scaleConfig.minReplicas',
      'Required @ spec.template.podCliqueScalingGroups[1].resourceSharing[0].filter',
      'NotFound @ spec.template.podCliqueScalingGroups[1].resourceSharing[1].filter.childCliqueNames[0]',
      'Duplicate @ spec.template.podCliqueScalingGroups.cliqueNames',
    ]);
  });

  test('V10: a resourceSharing namespace on an internal template name; V14: unknown scaling group in a filter', () => {
    const rct = { name: 't', templateSpec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu' } }] } } } };
    const response = create(pcs({
      resourceClaimTemplates: [rct, clone(rct)],
      resourceSharing: [{ name: 't', namespace: 'other', scope: 'PerReplica', filter: { childScalingGroupNames: ['nope'] } }],
    }));
    expect(errorKeys(response)).toEqual([
      'Duplicate @ spec.template.resourceClaimTemplates.name',
      'Invalid @ spec.template.resourceSharing[0].namespace',
      'NotFound @ spec.template.resourceSharing[0].filter.childScalingGroupNames[0]',
    ]);
  });

  test('V32, V33 are CREATE-only', () => {
    const withNodeName = pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'c' }], nodeName: 'n1', topologySpreadConstraints: [] } })] });
    expect(errorKeys(create(withNodeName))).toEqual([
      'Invalid @ spec.template.cliques[0].spec.podSpec.spec.topologySpreadConstraints',
      'Invalid @ spec.template.cliques[0].spec.podSpec.spec.nodeName',
    ]);
    expect(update(withNodeName, withNodeName).allowed).toBe(true);
  });

  test('V38, V39 and B0: a default profile that is not enabled', () => {
    const response = create(pcs(), { ...BASE_CONFIG, defaultProfileName: 'volcano' });
    expect(response.errors.map(e => `${e.field}: ${e.detail}`)).toEqual([
      'spec.template.cliques.spec.podSpec.schedulerName: schedulerName must be an enabled scheduler backend; this scheduler is not enabled in OperatorConfiguration',
      'spec: default scheduler backend is not configured',
    ]);
  });
});

describe('UPDATE', () => {
  const base = pcs({ cliqueStartupType: 'CliqueStartupTypeInOrder', cliques: [clique('a'), clique('b')], podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['b'] }] });

  test('an unchanged object is allowed', () => {
    expect(update(base, base)).toMatchObject({ allowed: true, warnings: [RESTART_WARNING] });
  });

  test('the stored object is compared after defaulting (no spurious minAvailable or replicas changes)', () => {
    const old = clone(base);
    delete old.spec.template.cliques[0].spec.minAvailable;
    delete old.spec.template.podCliqueScalingGroups[0].minAvailable;
    expect(update(old, base).allowed).toBe(true);
  });

  test('U2-U7: renamed clique, order change under InOrder, immutable clique fields', () => {
    const next = clone(base);
    next.spec.template.cliques = [
      clique('b', { roleName: 'new-role', minAvailable: 1, podSpec: { containers: [{ name: 'c' }], schedulerName: 'default-scheduler' } }),
      clique('c'),
    ];
    expect(errorKeys(update(base, next))).toEqual([
      'Invalid @ spec.template.cliques',
      'Invalid @ spec.template.cliques.spec.roleName',
      'Invalid @ spec.template.cliques.spec.podSpec.schedulerName',
      'Forbidden @ spec.template.cliques.name',
    ]);
  });

  test('U11, U12: a renamed scaling group; changed cliqueNames', () => {
    const renamed = clone(base);
    renamed.spec.template.podCliqueScalingGroups[0].name = 'h';
    expect(errorKeys(update(base, renamed))).toEqual(['Forbidden @ spec.template.podCliqueScalingGroups.name']);
    const regrouped = clone(base);
    regrouped.spec.template.podCliqueScalingGroups[0].cliqueNames = ['a'];
    expect(errorKeys(update(base, regrouped))).toEqual(['Invalid @ spec.template.podCliqueScalingGroups.cliqueNames']);
  });

  test('Q7: immutability is only checked once validate(), MNNVL and backend checks pass', () => {
    const next = clone(base);
    next.spec.template.cliqueStartupType = 'CliqueStartupTypeAnyOrder';
    next.spec.template.cliques[0].spec.roleName = 'renamed';
    next.spec.template.cliques[0].spec.replicas = -1;
    next.spec.template.cliques[0].spec.minAvailable = -1;
    expect(errorKeys(update(base, next))).toEqual([
      'Invalid @ spec.template.cliques[0].spec.replicas',
      'Invalid @ spec.template.cliques[0].spec.minAvailable',
    ]);
  });

  test('mutable fields: replicas, labels, podSpec (other than schedulerName), terminationDelay', () => {
    const next = clone(base);
    next.spec.replicas = 5;
    next.spec.template.terminationDelay = '1h';
    next.spec.template.cliques[0].labels = { tier: 'x' };
    next.spec.template.cliques[0].spec.replicas = 3;
    next.spec.template.cliques[0].spec.podSpec.containers[0].image = 'busybox:2';
    expect(update(base, next).allowed).toBe(true);
  });
});

describe('request handling', () => {
  test('DELETE is always allowed', () => {
    expect(admit({ operation: 'DELETE' as any, object: null, operatorConfig: BASE_CONFIG }).allowed).toBe(true);
  });

  test('other kinds and apiVersions are refused', () => {
    expect(errorKeys(create({ apiVersion: 'apps/v1', kind: 'Deployment' }))).toEqual(['NotSupported @ apiVersion', 'NotSupported @ kind']);
  });

  test('admit() never mutates the request', () => {
    const object = pcs({ cliques: [clique('a', { replicas: 0, minAvailable: undefined })] });
    const oldObject = pcs();
    const before = clone({ object, oldObject });
    const response = update(oldObject, object);
    expect({ object, oldObject }).toEqual(before);
    expect(response.patched).not.toBe(object);
  });

  test('patched is returned for PodCliqueSets, denied or not', () => {
    expect(create(pcs({ cliques: [] })).patched).toMatchObject({ metadata: { namespace: 'default' }, spec: { template: { terminationDelay: '4h0m0s' } } });
  });
});

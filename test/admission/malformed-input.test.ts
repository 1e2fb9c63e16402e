/**
 * `admit()` and `defaultPodCliqueSet()` never throw: every missing or mistyped field is an error in the response.
 */
import * as fc from 'fast-check';
import { AdmissionResponse, admit, defaultPodCliqueSet } from '../../lib/admission';
import { BASE_CONFIG, TAS_CONFIG, clique, clone, ctb, errorKeys, pcs } from './fixtures';

/** A response has the contract's shape and `allowed` agrees with `errors`. */
function isWellFormed(response: AdmissionResponse): boolean {
  return typeof response.allowed === 'boolean'
    && Array.isArray(response.errors)
    && Array.isArray(response.warnings)
    && response.errors.every(e => typeof e.type === 'string' && typeof e.field === 'string' && typeof e.detail === 'string')
    && response.warnings.every(w => typeof w === 'string')
    && response.allowed === (response.errors.length === 0);
}

function expectWellFormed(response: AdmissionResponse): void {
  if (!isWellFormed(response)) {
    throw new Error(`malformed response: ${JSON.stringify(response)}`);
  }
}

/** Sets `value` at a dotted path (numeric parts index arrays), creating objects on the way. */
function setPath(obj: any, path: string, value: unknown): any {
  const parts = path.split('.');
  let node = obj;
  for (const p of parts.slice(0, -1)) {
    if (node[p] === null || typeof node[p] !== 'object') {
      node[p] = {};
    }
    node = node[p];
  }
  node[parts[parts.length - 1]] = value;
  return obj;
}

const RICH_PCS = pcs({
  cliqueStartupType: 'CliqueStartupTypeExplicit',
  cliques: [
    clique('a', { startsAfter: [], autoScalingConfig: { minReplicas: 1, maxReplicas: 2 }, podSpec: { containers: [{ name: 'c', env: [{ name: 'X' }], ports: [{ containerPort: 80 }] }] } },
      { labels: { app: 'a' }, annotations: { 'grove.io/mnnvl-group': 'none' }, topologyConstraint: { topologyName: 't', pack: { required: 'rack' } } }),
    clique('b', { startsAfter: ['a'] }, { resourceSharing: [{ name: 'r', scope: 'PerReplica' }] }),
  ],
  podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['b'], scaleConfig: { maxReplicas: 3 }, resourceSharing: [{ name: 'r', scope: 'AllReplicas', filter: { childCliqueNames: ['b'] } }] }],
  resourceClaimTemplates: [{ name: 'r', templateSpec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu' } }] } } } }],
  resourceSharing: [{ name: 'r', scope: 'AllReplicas', filter: { childScalingGroupNames: ['g'] } }],
  topologyConstraint: { topologyName: 't', pack: { required: 'zone', preferred: 'rack' } },
  terminationDelay: '1h',
}, { labels: { team: 'x' }, annotations: { note: 'y' } });

const PATHS = [
  'metadata', 'metadata.name', 'metadata.labels', 'metadata.labels.team', 'metadata.annotations', 'spec', 'spec.replicas', 'spec.updateStrategy',
  'spec.template', 'spec.template.cliques', 'spec.template.cliques.0', 'spec.template.cliques.0.name', 'spec.template.cliques.0.spec',
  'spec.template.cliques.0.spec.replicas', 'spec.template.cliques.0.spec.minAvailable', 'spec.template.cliques.0.spec.podSpec',
  'spec.template.cliques.0.spec.podSpec.containers', 'spec.template.cliques.0.spec.podSpec.containers.0.env',
  'spec.template.cliques.0.spec.podSpec.containers.0.env.0', 'spec.template.cliques.0.spec.podSpec.topologySpreadConstraints',
  'spec.template.cliques.0.spec.autoScalingConfig', 'spec.template.cliques.0.spec.autoScalingConfig.minReplicas',
  'spec.template.cliques.0.spec.startsAfter', 'spec.template.cliques.1.spec.startsAfter.0', 'spec.template.cliques.0.labels',
  'spec.template.cliques.0.annotations', 'spec.template.cliques.0.topologyConstraint', 'spec.template.cliques.0.topologyConstraint.pack',
  'spec.template.cliques.1.resourceSharing', 'spec.template.podCliqueScalingGroups', 'spec.template.podCliqueScalingGroups.0',
  'spec.template.podCliqueScalingGroups.0.cliqueNames', 'spec.template.podCliqueScalingGroups.0.replicas',
  'spec.template.podCliqueScalingGroups.0.scaleConfig', 'spec.template.podCliqueScalingGroups.0.resourceSharing.0.filter',
  'spec.template.resourceClaimTemplates', 'spec.template.resourceClaimTemplates.0.templateSpec', 'spec.template.resourceSharing.0',
  'spec.template.topologyConstraint', 'spec.template.topologyConstraint.pack.required', 'spec.template.terminationDelay',
  'spec.template.headlessServiceConfig', 'spec.template.cliqueStartupType',
];

const GARBAGE: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 40, '', 'x', true, [], [null], [1, 'a'], {}, { a: 1 }];

describe('admit() on malformed input', () => {
  test.each([
    ['null request', null],
    ['empty request', {}],
    ['array request', []],
    ['unknown operation', { operation: 'PATCH', object: pcs(), operatorConfig: BASE_CONFIG }],
    ['null object', { operation: 'CREATE', object: null, operatorConfig: BASE_CONFIG }],
    ['array object', { operation: 'CREATE', object: [pcs()], operatorConfig: BASE_CONFIG }],
    ['string object', { operation: 'CREATE', object: 'PodCliqueSet', operatorConfig: BASE_CONFIG }],
    ['object without kind', { operation: 'CREATE', object: { metadata: { name: 'x' } }, operatorConfig: BASE_CONFIG }],
    ['unknown kind', { operation: 'CREATE', object: { kind: 'Deployment' }, operatorConfig: BASE_CONFIG }],
    ['numeric kind', { operation: 'CREATE', object: { kind: 7 }, operatorConfig: BASE_CONFIG }],
    ['UPDATE without oldObject', { operation: 'UPDATE', object: pcs(), operatorConfig: BASE_CONFIG }],
    ['bare PodCliqueSet', { operation: 'CREATE', object: { kind: 'PodCliqueSet' }, operatorConfig: BASE_CONFIG }],
    ['bare ClusterTopologyBinding', { operation: 'CREATE', object: { kind: 'ClusterTopologyBinding' }, operatorConfig: BASE_CONFIG }],
    ['missing operator config', { operation: 'CREATE', object: pcs() }],
    ['garbage operator config', { operation: 'CREATE', object: pcs(), operatorConfig: { schedulerProfiles: 'kai', topologyAwareScheduling: 'yes' } }],
    ['garbage cluster objects', { operation: 'CREATE', object: pcs({ topologyConstraint: { topologyName: 't', pack: { required: 'zone' } } }), operatorConfig: TAS_CONFIG, clusterObjects: [null, 1, 'x', { kind: 'ClusterTopologyBinding', metadata: { name: 't' }, spec: { levels: 'zone' } }] }],
    ['garbage old object', { operation: 'UPDATE', object: pcs(), oldObject: { kind: 'PodCliqueSet', spec: [] }, operatorConfig: BASE_CONFIG }],
  ])('%s: a denial, no exception', (_name, request) => {
    const response = admit(request as any);
    expectWellFormed(response);
    if (_name !== 'missing operator config' && _name !== 'garbage operator config' && _name !== 'garbage old object') {
      expect(response.allowed).toBe(false);
    }
  });

  test.each(PATHS)('garbage at %s never throws', path => {
    for (const value of GARBAGE) {
      const object = setPath(clone(RICH_PCS), path, value);
      const responses = [
        admit({ operation: 'CREATE', object, operatorConfig: TAS_CONFIG, clusterObjects: [ctb('t', ['zone', 'rack'])] }),
        admit({ operation: 'UPDATE', object, oldObject: RICH_PCS, operatorConfig: TAS_CONFIG }),
        admit({ operation: 'UPDATE', object: RICH_PCS, oldObject: object, operatorConfig: BASE_CONFIG }),
      ];
      responses.forEach(expectWellFormed);
      expect(() => defaultPodCliqueSet(object)).not.toThrow();
    }
  });

  test('a mistyped field is reported as TypeInvalid at its path and stops admission before the webhooks', () => {
    const response = admit({ operation: 'CREATE', object: setPath(pcs(), 'spec.template.cliques.0.spec.replicas', '3'), operatorConfig: BASE_CONFIG });
    expect(errorKeys(response)).toEqual(['TypeInvalid @ spec.template.cliques[0].spec.replicas']);
    expect(response.errors[0].detail).toBe('spec.template.cliques[0].spec.replicas in body must be of type integer: "string"');
  });

  test('int32 overflow and fractional numbers do not decode', () => {
    const response = admit({ operation: 'CREATE', object: setPath(pcs(), 'spec.template.cliques.0.spec.minAvailable', 1.5), operatorConfig: BASE_CONFIG });
    expect(errorKeys(response)).toEqual(['TypeInvalid @ spec.template.cliques[0].spec.minAvailable']);
    const overflow = admit({ operation: 'CREATE', object: setPath(pcs(), 'spec.template.cliques.0.spec.replicas', 2 ** 31), operatorConfig: BASE_CONFIG });
    expect(errorKeys(overflow)).toEqual(['TypeInvalid @ spec.template.cliques[0].spec.replicas']);
  });

  test('spec.replicas beyond int32 is refused by the scale subresource check first, at its CRD path (validator.go ValidateScaleSpec)', () => {
    const response = admit({ operation: 'CREATE', object: setPath(setPath(pcs(), 'spec.replicas', 2 ** 31), 'spec.template.cliques.0.spec.minAvailable', 1.5), operatorConfig: BASE_CONFIG });
    // the scale stage hides the decode error of minAvailable
    expect(response.errors).toEqual([{ type: 'Invalid', field: '.spec.replicas', detail: 'should be less than or equal to 2147483647' }]);
  });

  test('a null clique decodes into a nil pointer, and Grove\'s Default dereferences it: the recovered panic denies (controller-runtime webhook.go)', () => {
    const response = admit({ operation: 'CREATE', object: setPath(pcs(), 'spec.template.cliques', [null]), operatorConfig: BASE_CONFIG });
    expect(response.errors).toEqual([{ type: 'InternalError', field: '', detail: 'Internal error: panic: runtime error: invalid memory address or nil pointer dereference [recovered]' }]);
  });

  test('an unparsable terminationDelay fails decoding with Go\'s message', () => {
    const response = admit({ operation: 'CREATE', object: pcs({ terminationDelay: '4 hours' }), operatorConfig: BASE_CONFIG });
    expect(response.errors).toEqual([{ type: 'Invalid', field: 'spec.template.terminationDelay', detail: 'time: unknown unit " hours" in duration "4 hours"' }]);
  });

  test('cyclic and __proto__-keyed objects are copied safely', () => {
    const cyclic: any = pcs();
    cyclic.spec.template.self = cyclic;
    expectWellFormed(admit({ operation: 'CREATE', object: cyclic, operatorConfig: BASE_CONFIG }));
    const tricky = JSON.parse('{"apiVersion":"grove.io/v1alpha1","kind":"PodCliqueSet","metadata":{"name":"p","__proto__":{"x":1},"labels":{"__proto__":"x"}},"spec":{"template":{"cliques":[]}}}');
    const out: any = defaultPodCliqueSet(tricky);
    expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
    // ObjectMeta has no such field: the API server's metadata decoding drops it (customresource_handler.go)
    expect(Object.keys(out.metadata)).not.toContain('__proto__');
    expect(Object.keys(out.metadata.labels)).toEqual(['__proto__']);
  });

  test('property: arbitrary JSON objects never make admit() throw', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('PodCliqueSet', 'ClusterTopologyBinding'), fc.constantFrom('CREATE', 'UPDATE'), (spec, kind, operation) => {
      const object = { apiVersion: 'grove.io/v1alpha1', kind, metadata: { name: 'p' }, spec };
      expectWellFormed(admit({ operation: operation as 'CREATE' | 'UPDATE', object, oldObject: object, operatorConfig: TAS_CONFIG }));
    }), { numRuns: 300 });
  });

  test('property: arbitrary values at known paths never make admit() throw', () => {
    fc.assert(fc.property(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
      const object = setPath(clone(RICH_PCS), path, value);
      expectWellFormed(admit({ operation: 'CREATE', object, operatorConfig: TAS_CONFIG, clusterObjects: [ctb('t', ['zone', 'rack'])] }));
      expectWellFormed(admit({ operation: 'UPDATE', object, oldObject: RICH_PCS, operatorConfig: TAS_CONFIG }));
    }), { numRuns: 500 });
  });
});

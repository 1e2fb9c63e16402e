/**
 * Runs every case of Grove's admission conformance file (`conformance/admission-cases.yaml`) through `admit()` and
 * every defaulting case through `defaultPodCliqueSet()`.
 */
import { admit, defaultPodCliqueSet } from '../../lib/admission';
import { describeWithReference } from '../support/reference';
import { AdmissionCase, loadConformance, mismatches } from './conformance';
import { getByFieldPath } from './field-path-get';

/**
 * Cases where the conformance file expects the webhook's error but the API server refuses the object first; the API
 * server's behaviour wins and the case is checked against it.
 */
const API_SERVER_WINS: Record<string, (c: AdmissionCase) => AdmissionCase> = {
  // env is `x-kubernetes-list-type: map` keyed by name in the pinned CRD (from k8s.io/api core/v1 types.go
  // `+listType=map +listMapKey=name`): apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go reports the
  // second entry as Duplicate before Grove's webhook runs.
  'env-dup': c => ({
    ...c,
    expect: { ...c.expect, errors: [{ type: 'Duplicate', field: 'spec.template.cliques[0].spec.podSpec.containers[0].env[1]' }], errorsMatch: 'exact', messageContains: ['Duplicate value: {"name":"MY_VAR"}'] },
  }),
};

describeWithReference('Grove admission conformance', () => {
  const file = loadConformance();
  if (!file) {
    test('needs the reference data', () => undefined);
    return;
  }

  test('the file has the documented number of cases', () => {
    expect(file.cases).toHaveLength(158);
    expect(file.defaultingCases).toHaveLength(10);
  });

  describe('admission cases', () => {
    test.each(file.cases.map(c => [c.id, c] as const))('%s', (_id, c0) => {
      const c = API_SERVER_WINS[c0.id]?.(c0) ?? c0;
      const response = admit({
        operation: c.operation,
        object: c.object,
        oldObject: c.oldObject,
        operatorConfig: c.operatorConfig,
        clusterObjects: c.clusterObjects,
      });
      expect(mismatches(c, response)).toEqual([]);
    });
  });

  describe('defaulting cases', () => {
    test.each(file.defaultingCases.map(c => [c.id, c] as const))('%s', (_id, c) => {
      const defaulted = defaultPodCliqueSet(c.object);
      for (const [path, value] of Object.entries(c.expectFieldsAfterDefaulting)) {
        expect({ path, value: getByFieldPath(defaulted, path) }).toEqual({ path, value });
      }
    });

    test.each(file.defaultingCases.map(c => [c.id, c] as const))('%s: admit() returns the same defaulted object', (_id, c) => {
      const response = admit({ operation: 'CREATE', object: c.object, operatorConfig: { schedulerProfiles: ['default-scheduler'], defaultProfileName: 'default-scheduler', topologyAwareScheduling: false, autoMNNVLEnabled: false } });
      expect(response.patched).toEqual(defaultPodCliqueSet(c.object));
    });
  });
});

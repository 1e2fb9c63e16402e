/**
 * Runs every case of Grove's admission conformance file (`conformance/admission-cases.yaml`) through `admit()` and
 * every defaulting case through `defaultPodCliqueSet()`.
 */
import { admit, defaultPodCliqueSet } from '../../lib/admission';
import { describeWithReference } from '../support/reference';
import { loadConformance, mismatches } from './conformance';
import { getByFieldPath } from './field-path-get';

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
    test.each(file.cases.map(c => [c.id, c] as const))('%s', (_id, c) => {
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

/**
 * ClusterTopologyBinding admission (VALIDATION.md §7): schema, then the validating webhook on the new object
 * (CT1-CT5). Unique level domains and keys; each scheduler binding names a distinct, enabled, topology-aware backend.
 */
import { GroveApiLevel, groveCrdVersion } from '../schema';
import { apiServerDecode, prepareForStorage, schemaStageErrors, withGeneratedName } from './api-server';
import { SchedulerRegistry, isTopologyAware } from './config';
import { ErrorList, duplicate, invalid } from './errors';
import { FieldPath } from './field-path';
import { arrayField, objectField, stringField } from './json';

/**
 * Errors of a ClusterTopologyBinding in the API server's order: its decode (prune, defaults), the schema stage (see
 * api-server.ts), then the validating webhook
 * (grove operator/internal/webhook/admission/clustertopology/validation/validation.go), which only runs on a
 * schema-valid object. The CRD has no scale subresource.
 */
export function validateClusterTopologyBinding(submitted: unknown, registry: SchedulerRegistry, level: GroveApiLevel = 'pinned'): ErrorList {
  // The preview API level carries no ClusterTopologyBinding CRD of its own: the pinned one applies.
  const found = groveCrdVersion(level, 'grove.io/v1alpha1', 'ClusterTopologyBinding') ?? groveCrdVersion('pinned', 'grove.io/v1alpha1', 'ClusterTopologyBinding');
  if (found === undefined) {
    throw new Error('no generated ClusterTopologyBinding CRD'); // a broken generated module, not input
  }
  // No mutating webhook for this kind: type errors come from the schema stage, together with the others.
  const decoded = apiServerDecode(submitted, found.version);
  prepareForStorage(decoded, undefined, found.version);
  const obj = withGeneratedName(decoded);
  const apiServerErrors = schemaStageErrors(obj, undefined, found.version, false);
  if (apiServerErrors.length > 0) {
    return apiServerErrors;
  }
  const spec = objectField(obj, 'spec');
  return [...validateLevels(arrayField(spec, 'levels')), ...validateSchedulerBindings(arrayField(spec, 'schedulerTopologyBindings'), registry)];
}

/** A predicate that is true for a value from its second occurrence on. */
function repeatTracker(): (value: string) => boolean {
  const seen = new Set<string>();
  return value => {
    const repeated = seen.has(value);
    seen.add(value);
    return repeated;
  };
}

/** CT1, CT2 (the second and later occurrences are flagged). */
function validateLevels(levels: unknown[]): ErrorList {
  const path = FieldPath.of('spec', 'levels');
  const errs: ErrorList = [];
  const repeatedDomain = repeatTracker();
  const repeatedKey = repeatTracker();
  levels.forEach((level, i) => {
    const domain = stringField(level, 'domain');
    const key = stringField(level, 'key');
    if (repeatedDomain(domain)) {
      errs.push(duplicate(path.index(i).child('domain'), domain));
    }
    if (repeatedKey(key)) {
      errs.push(duplicate(path.index(i).child('key'), key));
    }
  });
  return errs;
}

/** CT3-CT5. Grove reports these under `spec.schedulerTopologyReferences` (Q5), not the JSON name. */
function validateSchedulerBindings(bindings: unknown[], registry: SchedulerRegistry): ErrorList {
  const path = FieldPath.of('spec', 'schedulerTopologyReferences');
  const errs: ErrorList = [];
  const repeated = repeatTracker();
  bindings.forEach((binding, i) => {
    const name = stringField(binding, 'schedulerName');
    const namePath = path.index(i).child('schedulerName');
    if (repeated(name)) {
      errs.push(duplicate(namePath, name));
    }
    if (!registry.enabled.has(name)) {
      errs.push(invalid(namePath, 'scheduler backend is not enabled in Grove'));
    } else if (!isTopologyAware(name)) {
      errs.push(invalid(namePath, 'scheduler backend does not implement topology-aware scheduling'));
    }
  });
  return errs;
}

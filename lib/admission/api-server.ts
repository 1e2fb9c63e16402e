/**
 * What the Kubernetes API server checks on a custom resource before any validating webhook: the object decodes
 * (types), its metadata is valid, it matches the CRD's OpenAPI schema, and then, unless a blocking schema error was
 * found, the CRD's CEL rules.
 */
import { ErrorList, invalid } from './errors';
import { FieldPath } from './field-path';
import { deepCopy, isObject, objectField, stringField, stringMapField } from './json';
import { validateObjectMeta } from './k8s-validation';
import { Schema, checkTypes, validateValues } from './schema';

/** Fields that do not decode into the Go types (wrong JSON type, int32 overflow). */
export function decodeErrors(schema: Schema, obj: unknown): ErrorList {
  return checkTypes(schema, obj, FieldPath.of());
}

/** Metadata and OpenAPI schema errors (required keys, enums, patterns, lengths, list-map keys). */
export function schemaErrors(schema: Schema, obj: unknown, namespaced: boolean): ErrorList {
  const metadata = objectField(obj, 'metadata');
  const meta = {
    name: stringField(metadata, 'name'),
    generateName: stringField(metadata, 'generateName'),
    namespace: stringField(metadata, 'namespace'),
    labels: stringMapField(metadata, 'labels'),
    annotations: stringMapField(metadata, 'annotations'),
  };
  return [...validateObjectMeta(meta, namespaced, FieldPath.of('metadata')), ...validateValues(schema, obj, FieldPath.of())];
}

/** Error types after which the API server does not evaluate CEL rules. */
const BLOCKING = new Set(['NotSupported', 'Required', 'TooLong', 'TooMany', 'TypeInvalid']);

/** The CEL rules' errors, or the API server's note that they were skipped because of a blocking schema error. */
export function celErrors(previous: ErrorList, rules: () => ErrorList): ErrorList {
  if (previous.some(e => BLOCKING.has(e.type))) {
    return [invalid('<nil>', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation')];
  }
  return rules();
}

/** Placeholder for the random suffix the API server appends to `metadata.generateName`. */
const GENERATED_NAME_SUFFIX = 'xxxxx';

/**
 * The object as validation sees it: on create with only `generateName`, the API server has already generated the
 * name (a placeholder suffix stands in for the random one). Returns `obj` itself when nothing changes.
 */
export function withGeneratedName<T>(obj: T): T {
  const metadata = objectField(obj, 'metadata');
  const generateName = stringField(metadata, 'generateName');
  if (!isObject(obj) || !metadata || stringField(metadata, 'name') !== '' || generateName === '') {
    return obj;
  }
  const copy = deepCopy(obj) as typeof obj & { metadata: Record<string, unknown> };
  copy.metadata.name = `${generateName}${GENERATED_NAME_SUFFIX}`;
  return copy;
}

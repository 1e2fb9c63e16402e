/**
 * The Kubernetes API server's part of admitting a custom resource, as stage functions over the generated CRD schema
 * (one engine: `lib/schema`). Each stage names the upstream file it ports and which later errors a failure hides.
 */
import { BLOCKING_TYPES, GeneratedCrdVersion, celIssues, listTypeIssues, pruneAndDefault, walkSchema } from '../schema';
import { ErrorList, invalid } from './errors';
import { FieldPath } from './field-path';
import { deepCopy, isObject, objectField, stringField, stringMapField } from './json';
import { validateObjectMeta } from './k8s-validation';

/**
 * The JSON types of `metadata` as `ObjectMeta` decodes them (k8s.io/apimachinery pkg/apis/meta/v1 types.go
 * `ObjectMeta`; customresource_handler.go coerces `metadata` through it, dropping fields it does not know).
 */
const OBJECT_META_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: { type: 'string', nullable: true },
    deletionTimestamp: { type: 'string', nullable: true },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    finalizers: { type: 'array', items: { type: 'string' } },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

/** The CRD schema with `metadata` typed as `ObjectMeta` (a CRD schema only says `metadata: {type: object}`). */
const WITH_META = new WeakMap<object, Record<string, unknown>>();

function resourceSchema(version: GeneratedCrdVersion): Record<string, unknown> {
  let schema = WITH_META.get(version.schema);
  if (schema === undefined) {
    const properties = isObject(version.schema.properties) ? version.schema.properties : {};
    schema = { ...version.schema, properties: { ...properties, metadata: OBJECT_META_SCHEMA } };
    WITH_META.set(version.schema, schema);
  }
  return schema;
}

/**
 * Stage 1, scale subresource (k8s.io/apiextensions-apiserver pkg/registry/customresource/validator.go
 * `ValidateScaleSpec`): the value at `specReplicasPath` must read as an int64 (`unstructured.NestedInt64`) between 0
 * and MaxInt32. Errors keep the path as the CRD writes it (`.spec.replicas`). A failure hides every later stage.
 */
export function scaleSubresourceErrors(obj: unknown, version: GeneratedCrdVersion): ErrorList {
  const path = version.subresources.scale?.specReplicasPath;
  if (path === undefined) {
    return [];
  }
  const parts = path.replace(/^\./, '').split('.');
  let value: unknown = obj;
  for (let i = 0; i < parts.length; i++) {
    if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, parts[i])) {
      return []; // not found: NestedInt64 returns 0 without an error
    }
    const next: unknown = value[parts[i]];
    if (i < parts.length - 1 && !isObject(next)) {
      return [invalid(path, `.${parts.slice(0, i + 1).join('.')} accessor error: ${goValue(next)} is of the type ${goType(next)}, expected map[string]interface{}`)];
    }
    value = next;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return [invalid(path, `.${parts.join('.')} accessor error: ${goValue(value)} is of the type ${goType(value)}, expected int64`)];
  }
  if (value < 0) {
    return [invalid(path, 'should be a non-negative integer')];
  }
  if (value > 2147483647) {
    return [invalid(path, 'should be less than or equal to 2147483647')];
  }
  return [];
}

function goType(v: unknown): string {
  if (v === null) {
    return '<nil>';
  }
  if (Array.isArray(v)) {
    return '[]interface {}';
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) ? 'int64' : 'float64';
  }
  return typeof v === 'object' ? 'map[string]interface {}' : typeof v;
}

function goValue(v: unknown): string {
  if (v === null) {
    return '<nil>';
  }
  return typeof v === 'object' ? (Array.isArray(v) ? '[...]' : 'map[...]') : String(v);
}

/**
 * Stage 2 (and again after each mutating webhook), the API server's decode (customresource_handler.go
 * `unstructuredSchemaCoercer.apply`, pruning/algorithm.go, defaulting/prunenulls.go, defaulting/algorithm.go): a copy
 * of the object with unknown fields pruned (unknown `metadata` fields too), non-nullable nulls dropped and schema
 * defaults applied. Hides nothing: it only changes what later stages see.
 */
export function apiServerDecode(obj: unknown, version: GeneratedCrdVersion, inPlace = false): Record<string, unknown> {
  const copy = isObject(obj) ? (inPlace ? obj : (deepCopy(obj) as Record<string, unknown>)) : {};
  pruneAndDefault(copy, resourceSchema(version), true);
  return copy;
}

/**
 * pkg/registry/customresource/strategy.go `PrepareForCreate`/`PrepareForUpdate`, before validation: with the status
 * subresource, the main resource cannot set `status` (dropped on create, the stored one kept on update). In place.
 */
export function prepareForStorage(obj: Record<string, unknown>, old: unknown, version: GeneratedCrdVersion): void {
  if (version.subresources.status === undefined) {
    return;
  }
  if (isObject(old) && Object.prototype.hasOwnProperty.call(old, 'status')) {
    obj.status = deepCopy(old.status);
  } else {
    delete obj.status;
  }
}

/**
 * What Go's JSON decoder refuses when a webhook decodes the object into Grove's types (wrong JSON type, int32/int64
 * overflow, null list items): a failure here ends the request (controller-runtime defaulter_custom.go answers
 * `Errored(400)`), hiding the schema stage and the validating webhook.
 */
export function goDecodeErrors(obj: unknown, version: GeneratedCrdVersion): ErrorList {
  return walkSchema(obj, resourceSchema(version), '', { reportUnknown: false, typesOnly: true }) as ErrorList;
}

/**
 * Stage 4, the API server's validation (pkg/registry/customresource/strategy.go `Validate`/`ValidateUpdate`):
 * ObjectMeta, the structural schema (validator.go `ValidateCustomResource`), list-type sets and maps
 * (listtype/validation.go; on UPDATE only when the old object has none), then the CEL rules unless a blocking error
 * was found (strategy.go `hasBlockingErr`, reported as the `<nil>` note). A failure hides the validating webhook.
 */
export function schemaStageErrors(obj: unknown, old: unknown, version: GeneratedCrdVersion, namespaced: boolean): ErrorList {
  const schema = resourceSchema(version);
  const metadata = objectField(obj, 'metadata');
  const meta = {
    name: stringField(metadata, 'name'),
    generateName: stringField(metadata, 'generateName'),
    namespace: stringField(metadata, 'namespace'),
    labels: stringMapField(metadata, 'labels'),
    annotations: stringMapField(metadata, 'annotations'),
  };
  const errs: ErrorList = [...validateObjectMeta(meta, namespaced, FieldPath.of('metadata'))];
  errs.push(...(walkSchema(obj, schema, '', { reportUnknown: false, skipKeys: META_KEYS }) as ErrorList));
  if (old === undefined || listTypeIssues(old, schema, '').length === 0) {
    errs.push(...(listTypeIssues(obj, schema, '') as ErrorList));
  }
  if (!hasCelRules(schema)) {
    return errs; // cel.NewValidator returns nil for a schema without rules: no note either
  }
  if (errs.some(e => BLOCKING_TYPES.has(e.type))) {
    errs.push(invalid('<nil>', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
  } else {
    errs.push(...(celIssues(obj, schema, old === undefined ? undefined : { value: old }, '') as ErrorList));
  }
  return errs;
}

const HAS_RULES = new WeakMap<object, boolean>();

function hasCelRules(schema: Record<string, unknown>): boolean {
  let has = HAS_RULES.get(schema);
  if (has === undefined) {
    has = JSON.stringify(schema).includes('"x-kubernetes-validations"');
    HAS_RULES.set(schema, has);
  }
  return has;
}

/** Checked by `ObjectMeta` validation instead of the schema walk. */
const META_KEYS: ReadonlySet<string> = new Set(['metadata']);

/**
 * `maxGeneratedNameLength` of k8s.io/apiserver pkg/storage/names/generate.go: the prefix is cut to 63 - 5
 * characters before the 5 random characters are appended.
 */
export const MAX_GENERATED_NAME_PREFIX = 58;
/** Placeholder for the random suffix (`utilrand.String(5)`). */
const GENERATED_NAME_SUFFIX = 'xxxxx';

/**
 * The object as validation sees it: on create with only `generateName`, the API server has already generated the
 * name (generate.go `SimpleNameGenerator.GenerateName`: the prefix cut to 58 characters, then a placeholder for the
 * random suffix). Returns `obj` itself when nothing changes.
 */
export function withGeneratedName<T>(obj: T): T {
  const metadata = objectField(obj, 'metadata');
  const generateName = stringField(metadata, 'generateName');
  if (!isObject(obj) || !metadata || stringField(metadata, 'name') !== '' || generateName === '') {
    return obj;
  }
  const copy = deepCopy(obj) as typeof obj & { metadata: Record<string, unknown> };
  copy.metadata.name = `${generateName.slice(0, MAX_GENERATED_NAME_PREFIX)}${GENERATED_NAME_SUFFIX}`;
  return copy;
}

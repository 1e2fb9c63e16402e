/**
 * A small structural-schema engine: the subset of OpenAPI v3 that Grove's CRDs use for the fields the API server
 * checks before any validating webhook (types, `required`, `enum`, `pattern`, lengths, `minItems`, int32 range,
 * `x-kubernetes-list-type: map` keys) plus CRD structural defaults. Error types and messages follow the API server
 * (kube-openapi): `spec.levels[0].domain in body should match '^[a-z][a-z0-9-]*$'`.
 *
 * Properties a schema does not list are left alone (the API server would prune them).
 */
import { ErrorList, duplicate, invalid, notSupported, required, tooLong, typeInvalid } from './errors';
import { FieldPath } from './field-path';
import { JsonObject, deepCopy, isInteger, isObject } from './json';

export type Schema = ObjectSchema | ArraySchema | MapSchema | StringSchema | IntegerSchema | BooleanSchema | AnySchema;

export interface ObjectSchema {
  readonly kind: 'object';
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly default?: unknown;
}

export interface ArraySchema {
  readonly kind: 'array';
  readonly items: Schema;
  readonly minItems?: number;
  /** `x-kubernetes-list-type: map` keys. */
  readonly mapKeys?: readonly string[];
}

/** An object with arbitrary keys (`additionalProperties`), e.g. labels. */
export interface MapSchema {
  readonly kind: 'map';
  readonly values: Schema;
}

export interface StringSchema {
  readonly kind: 'string';
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: string;
}

export interface IntegerSchema {
  readonly kind: 'integer';
  readonly format: 'int32' | 'int64';
  readonly default?: number;
}

export interface BooleanSchema {
  readonly kind: 'boolean';
  readonly default?: boolean;
}

/** Anything (not modelled). */
export interface AnySchema {
  readonly kind: 'any';
}

// ---------------------------------------------------------------- builders

export function object(properties: Record<string, Schema>, requiredKeys: readonly string[] = []): ObjectSchema {
  return { kind: 'object', properties, required: requiredKeys };
}

export function array(items: Schema, options: { minItems?: number; mapKeys?: readonly string[] } = {}): ArraySchema {
  return { kind: 'array', items, ...options };
}

export function map(values: Schema): MapSchema {
  return { kind: 'map', values };
}

export function string(options: Omit<StringSchema, 'kind'> = {}): StringSchema {
  return { kind: 'string', ...options };
}

export function int32(defaultValue?: number): IntegerSchema {
  return { kind: 'integer', format: 'int32', default: defaultValue };
}

export function int64(): IntegerSchema {
  return { kind: 'integer', format: 'int64' };
}

export function boolean(defaultValue?: boolean): BooleanSchema {
  return { kind: 'boolean', default: defaultValue };
}

export const ANY: AnySchema = { kind: 'any' };

/** An object schema with more properties (and required keys) than `base`. */
export function extend(base: ObjectSchema, properties: Record<string, Schema>, requiredKeys: readonly string[] = []): ObjectSchema {
  return object({ ...base.properties, ...properties }, [...(base.required ?? []), ...requiredKeys]);
}

// ---------------------------------------------------------------- walking

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `Object.entries(schema.properties)`, computed once per schema (schemas are constants). */
const PROPERTY_ENTRIES = new WeakMap<ObjectSchema, readonly [string, Schema][]>();

function propertyEntries(schema: ObjectSchema): readonly [string, Schema][] {
  let entries = PROPERTY_ENTRIES.get(schema);
  if (entries === undefined) {
    entries = Object.entries(schema.properties);
    PROPERTY_ENTRIES.set(schema, entries);
  }
  return entries;
}

/** Present (non-null) properties of `value` that `schema` describes. */
function knownProperties(schema: ObjectSchema, value: JsonObject): [string, Schema, unknown][] {
  const out: [string, Schema, unknown][] = [];
  for (const [key, child] of propertyEntries(schema)) {
    const v = value[key];
    if (v !== undefined && v !== null) {
      out.push([key, child, v]);
    }
  }
  return out;
}

function jsonTypeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function expectedTypeName(schema: Schema): string {
  return schema.kind === 'map' ? 'object' : schema.kind;
}

function typeMatches(schema: Schema, value: unknown): boolean {
  switch (schema.kind) {
    case 'object':
    case 'map':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'any':
      return true;
  }
}

/**
 * Type errors: values that do not decode into the Go types (wrong JSON type, int32 overflow, null list items).
 * These make Grove's mutating webhook fail to decode the object, so nothing else runs.
 */
export function checkTypes(schema: Schema, value: unknown, path: FieldPath): ErrorList {
  if (!typeMatches(schema, value)) {
    return [typeInvalid(path, `${path} in body must be of type ${expectedTypeName(schema)}: "${jsonTypeName(value)}"`)];
  }
  const errs: ErrorList = [];
  if (schema.kind === 'integer' && schema.format === 'int32' && ((value as number) < INT32_MIN || (value as number) > INT32_MAX)) {
    errs.push(typeInvalid(path, `${path} in body must be of type int32: "${String(value)}"`));
  } else if (schema.kind === 'object') {
    for (const [key, child, v] of knownProperties(schema, value as JsonObject)) {
      errs.push(...checkTypes(child, v, path.child(key)));
    }
  } else if (schema.kind === 'map') {
    for (const [key, v] of Object.entries(value as JsonObject)) {
      errs.push(...checkTypes(schema.values, v, path.key(key)));
    }
  } else if (schema.kind === 'array') {
    (value as unknown[]).forEach((item, i) => errs.push(...checkTypes(schema.items, item, path.index(i))));
  }
  return errs;
}

/**
 * Applies CRD structural defaults in place: a property with a `default` that is absent (or null) in a present object
 * gets the default; nulls of known properties are pruned. Mistyped values are left alone.
 */
export function applyDefaults(schema: Schema, value: unknown): void {
  if (schema.kind === 'object' && isObject(value)) {
    for (const [key, child] of propertyEntries(schema)) {
      if (value[key] === null) {
        delete value[key];
      }
      const def = 'default' in child ? child.default : undefined;
      if (value[key] === undefined && def !== undefined) {
        value[key] = deepCopy(def);
      }
      if (value[key] !== undefined) {
        applyDefaults(child, value[key]);
      }
    }
  } else if (schema.kind === 'array' && Array.isArray(value)) {
    value.forEach(item => applyDefaults(schema.items, item));
  } else if (schema.kind === 'map' && isObject(value)) {
    Object.values(value).forEach(v => applyDefaults(schema.values, v));
  }
}

/**
 * Value errors of an already type-correct object: required keys, enums, patterns, lengths, item counts and list-map
 * key uniqueness. Mistyped values are skipped (`checkTypes` reports them).
 */
export function validateValues(schema: Schema, value: unknown, path: FieldPath): ErrorList {
  if (!typeMatches(schema, value)) {
    return [];
  }
  switch (schema.kind) {
    case 'object':
      return validateObject(schema, value as JsonObject, path);
    case 'array':
      return validateArray(schema, value as unknown[], path);
    case 'map':
      return Object.entries(value as JsonObject).flatMap(([k, v]) => validateValues(schema.values, v, path.key(k)));
    case 'string':
      return validateString(schema, value as string, path);
    default:
      return [];
  }
}

function validateObject(schema: ObjectSchema, value: JsonObject, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const key of schema.required ?? []) {
    if (value[key] === undefined || value[key] === null) {
      errs.push(required(path.child(key)));
    }
  }
  for (const [key, child, v] of knownProperties(schema, value)) {
    errs.push(...validateValues(child, v, path.child(key)));
  }
  return errs;
}

function validateArray(schema: ArraySchema, value: unknown[], path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errs.push(invalid(path, `${path} in body should have at least ${schema.minItems} items`));
  }
  value.forEach((item, i) => errs.push(...validateValues(schema.items, item, path.index(i))));
  if (schema.mapKeys) {
    errs.push(...validateListMapKeys(schema.mapKeys, value, path));
  }
  return errs;
}

/**
 * `x-kubernetes-list-type: map`: the second item with the same key values is a `Duplicate` (later repeats of the
 * same key are not reported again); an absent key counts as its own value.
 */
function validateListMapKeys(keys: readonly string[], items: unknown[], path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (!isObject(item)) {
      return;
    }
    const keyValues: JsonObject = {};
    keys.filter(k => item[k] !== undefined).forEach(k => (keyValues[k] = item[k]));
    const id = JSON.stringify(keyValues);
    const times = seen.get(id) ?? 0;
    seen.set(id, times + 1);
    if (times === 1) {
      errs.push(duplicate(path.index(i), keyValues));
    }
  });
  return errs;
}

function validateString(schema: StringSchema, value: string, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (schema.enum && !schema.enum.includes(value)) {
    errs.push(notSupported(path, value, schema.enum));
  }
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errs.push(tooLong(path, schema.maxLength));
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    errs.push(invalid(path, `${path} in body should be at least ${schema.minLength} chars long`));
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    errs.push(invalid(path, `${path} in body should match '${schema.pattern}'`));
  }
  return errs;
}

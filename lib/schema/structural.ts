/**
 * The schema engine's validator: a value against a structural schema (a CRD version's `openAPIV3Schema`), with the
 * API server's checks and messages (k8s.io/apiextensions-apiserver pkg/apiserver/validation/validation.go
 * `ValidateCustomResource`, which runs k8s.io/kube-openapi pkg/validation/validate and turns its errors into
 * `field.Error`s: `spec.replicas in body must be of type integer: "string"`).
 *
 * Checked: `type`, `format` (int32, int64, date-time), `enum`, `pattern`, `minLength`/`maxLength` (runes),
 * `minimum`/`maximum` (exclusive too), `multipleOf`, `minItems`/`maxItems`, `minProperties`/`maxProperties`,
 * `required`, `nullable`, `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`,
 * `x-kubernetes-embedded-resource`, `allOf`/`anyOf`/`oneOf`/`not`. List types and map keys are in `list-type.ts`,
 * CEL rules in `cel.ts`, pruning and defaulting in `prune.ts`.
 *
 * The API server prunes unknown fields before it validates; for a generator an unknown field is a bug, so the
 * lint/test entry points report each one (`UnknownField`) where the API server would drop it. A `null` field value
 * that is not nullable is pruned like an unknown one (reported only when the field is required); `null` list items
 * and a `null` top-level value are type errors. A required field with a `default` is never missing: the server
 * defaults before it validates. Type-specific keywords apply to values of that type only (`pattern` to strings), which
 * is what makes int-or-string quantities with a string `pattern` work for integers.
 *
 * Never throws; recursion follows the schema, whose depth is fixed, never the value alone.
 */

import { validateObjectMeta } from './object-meta';
import { SchemaIssue } from './types';
import { listTypeIssues } from './list-type';
import { MAX_SCHEMA_DEPTH, canonicalJson, isPlainObject, join, show } from './util';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** 2^63: int64 holds [-2^63, 2^63). JavaScript numbers are exact at this power of two. */
const TWO_POW_63 = 2 ** 63;
/** RFC 3339 date-time, as strfmt's `IsDateTime` accepts it. */
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

type Schema = Record<string, unknown>;

/** How a walk reports. */
export interface WalkOptions {
  /** Report fields the schema does not declare (`UnknownField`) instead of passing over them (already pruned). */
  readonly reportUnknown: boolean;
  /**
   * Only decoding errors (JSON types, int32/int64 ranges): what stops Go's decoder.
   * @default false
   */
  readonly typesOnly?: boolean;
  /**
   * Keys to leave alone at the top level (validated elsewhere), e.g. `metadata` of a resource.
   * @default - none
   */
  readonly skipKeys?: ReadonlySet<string>;
}

const LINT: WalkOptions = { reportUnknown: true };

/**
 * Validates a value against a structural schema and returns every issue found (an empty list when the value is
 * valid). Never throws, whatever `value` and `schema` are.
 *
 * @param value the value to check, e.g. a parsed custom resource or a part of one
 * @param schema a structural schema, e.g. `crd.spec.versions[0].schema.openAPIV3Schema`
 * @param path the field path of `value`, used as a prefix of every reported field
 */
export function validateStructural(value: unknown, schema: object, path: string = ''): SchemaIssue[] {
  return [...walkSchema(value, schema, path, LINT), ...listTypeIssues(value, schema, path)];
}

/** The engine's entry point: every issue of `value` against `schema`, in the API server's order. */
export function walkSchema(value: unknown, schema: unknown, path: string, options: WalkOptions): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  try {
    walk(value, schema, path, issues, options, true, options.skipKeys, false, 0);
  } catch (e) {
    issues.push({ field: path, type: 'InternalError', detail: `validation stopped: ${e instanceof Error ? e.message : String(e)}` });
  }
  return issues;
}

/** kube-openapi's `<path> in body`. */
function inBody(path: string): string {
  return `${path === '' ? 'body' : path} in body`;
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

function typeError(path: string, expected: string, value: unknown): SchemaIssue {
  return { field: path, type: 'TypeInvalid', detail: `${inBody(path)} must be of type ${expected}: "${jsonTypeName(value)}"` };
}

function walk(value: unknown, schemaIn: unknown, path: string, issues: SchemaIssue[], options: WalkOptions, structural: boolean,
  skipKeys: ReadonlySet<string> | undefined, isField: boolean, depth: number): void {
  if (!isPlainObject(schemaIn)) {
    return;
  }
  const schema = schemaIn;
  if (depth > MAX_SCHEMA_DEPTH) {
    issues.push({ field: path, type: 'Invalid', detail: `schema nesting deeper than ${MAX_SCHEMA_DEPTH} levels is not followed` });
    return;
  }
  if (value === undefined) {
    // Only reachable for the top-level value or holes in lists: object keys holding `undefined` count as absent.
    issues.push({ field: path, type: 'Required', detail: 'Required value' });
    return;
  }
  const type = typeof schema.type === 'string' ? schema.type : undefined;
  const preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;

  if (value === null) {
    // Go's decoder takes null anywhere (zero value or nil), so a decode-only walk never reports it.
    if (schema.nullable === true || !structural || options.typesOnly || (type === undefined && preserveUnknown && !intOrString)) {
      return;
    }
    // A null field that is not nullable is pruned (then defaulted, or reported missing by the parent's `required`).
    if (!isField) {
      issues.push(typeError(path, type ?? 'object', value));
    }
    return;
  }

  if (intOrString) {
    if (!(typeof value === 'string' || isInteger(value))) {
      issues.push(typeError(path, 'integer-or-string', value));
      return;
    }
  } else if (type !== undefined && !hasType(value, type)) {
    issues.push(typeError(path, type, value));
    return;
  }

  if (typeof value === 'number') {
    checkNumber(value, schema, type, path, issues, options);
  } else if (typeof value === 'string') {
    checkString(value, schema, path, issues, options);
  }
  if (Array.isArray(value)) {
    checkArray(value, schema, path, issues, options, structural, depth);
  } else if (isPlainObject(value)) {
    checkObject(value, schema, path, issues, options, structural, preserveUnknown, skipKeys, depth);
  }
  if (options.typesOnly) {
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some(e => deepEqual(e, value))) {
    issues.push({
      field: path,
      type: 'NotSupported',
      detail: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(e => show(e)).join(', ')}`,
    });
  }
  checkJunctors(value, schema, path, issues, options, depth);
}

function checkNumber(value: number, schema: Schema, type: string | undefined, path: string, issues: SchemaIssue[], options: WalkOptions): void {
  if (!Number.isFinite(value)) {
    issues.push({ field: path, type: 'TypeInvalid', detail: `${inBody(path)} must be a finite number: "${String(value)}"` });
    return;
  }
  if (type === 'integer' || isInteger(value)) {
    if (schema.format === 'int32' && (value < INT32_MIN || value > INT32_MAX)) {
      issues.push({ field: path, type: 'TypeInvalid', detail: `${inBody(path)} must be of type int32: "${value}"` });
    } else if (schema.format === 'int64' && (value < -TWO_POW_63 || value >= TWO_POW_63)) {
      issues.push({ field: path, type: 'TypeInvalid', detail: `${inBody(path)} must be of type int64: "${value}"` });
    }
  }
  if (options.typesOnly) {
    return;
  }
  if (typeof schema.minimum === 'number') {
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= schema.minimum : value < schema.minimum) {
      issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should be greater than ${exclusive ? '' : 'or equal to '}${schema.minimum}` });
    }
  }
  if (typeof schema.maximum === 'number') {
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= schema.maximum : value > schema.maximum) {
      issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should be less than ${exclusive ? '' : 'or equal to '}${schema.maximum}` });
    }
  }
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should be a multiple of ${schema.multipleOf}` });
    }
  }
}

function checkString(value: string, schema: Schema, path: string, issues: SchemaIssue[], options: WalkOptions): void {
  if (schema.format === 'date-time' && !DATE_TIME_RE.test(value)) {
    issues.push({ field: path, type: 'TypeInvalid', detail: `${inBody(path)} must be of type date-time: ${show(value)}` });
  }
  if (options.typesOnly) {
    return;
  }
  // Lengths count runes, as the API server does.
  const length = typeof schema.maxLength === 'number' || typeof schema.minLength === 'number' ? [...value].length : 0;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    issues.push({ field: path, type: 'TooLong', detail: `Too long: may not be more than ${schema.maxLength} bytes` });
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should be at least ${schema.minLength} chars long` });
  }
  if (typeof schema.pattern === 'string') {
    const re = compilePattern(schema.pattern);
    if (re === undefined) {
      issues.push({ field: path, type: 'InternalError', detail: `schema pattern ${show(schema.pattern)} could not be compiled, value not checked` });
    } else if (!re.test(value)) {
      issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should match '${schema.pattern}'` });
    }
  }
}

function checkArray(value: unknown[], schema: Schema, path: string, issues: SchemaIssue[], options: WalkOptions, structural: boolean, depth: number): void {
  if (!options.typesOnly) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should have at least ${schema.minItems} items` });
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      issues.push({ field: path, type: 'TooMany', detail: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
  }
  const items = isPlainObject(schema.items) ? schema.items : undefined;
  if (items !== undefined) {
    for (let i = 0; i < value.length; i++) {
      walk(value[i], items, `${path}[${i}]`, issues, options, structural, undefined, false, depth + 1);
    }
  }
}

function checkObject(value: Record<string, unknown>, schema: Schema, path: string, issues: SchemaIssue[], options: WalkOptions,
  structural: boolean, preserveUnknown: boolean, skipKeys: ReadonlySet<string> | undefined, depth: number): void {
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const keys = Object.keys(value);

  if (!options.typesOnly) {
    if (typeof schema.minProperties === 'number' || typeof schema.maxProperties === 'number') {
      const count = keys.filter(k => value[k] !== undefined).length;
      if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
        issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} should have at least ${schema.minProperties} properties` });
      }
      if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
        issues.push({ field: path, type: 'TooMany', detail: `Too many: ${count}: must have at most ${schema.maxProperties} items` });
      }
    }
    if (Array.isArray(schema.required)) {
      checkRequired(value, schema.required, properties, path, issues, structural, skipKeys);
    }
    if (embedded && structural) {
      checkEmbeddedResource(value, path, issues);
    }
  }

  for (const key of keys) {
    if (value[key] === undefined || skipKeys?.has(key)) {
      continue;
    }
    if (embedded && structural && (key === 'apiVersion' || key === 'kind' || key === 'metadata')
      && (properties === undefined || !Object.prototype.hasOwnProperty.call(properties, key))) {
      continue; // implicitly part of an embedded resource, checked above
    }
    const propSchema = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (propSchema !== undefined) {
      walk(value[key], propSchema, join(path, key), issues, options, structural, undefined, true, depth + 1);
    } else if (isPlainObject(additional)) {
      walk(value[key], additional, `${path}[${key}]`, issues, options, structural, undefined, true, depth + 1);
    } else if (additional === true || preserveUnknown || !structural || !options.reportUnknown) {
      continue;
    } else {
      issues.push({ field: join(path, key), type: 'UnknownField', detail: 'field not declared in schema; the API server would drop it' });
    }
  }
}

function checkRequired(value: Record<string, unknown>, requiredKeys: unknown[], properties: Schema | undefined, path: string,
  issues: SchemaIssue[], structural: boolean, skipKeys?: ReadonlySet<string>): void {
  for (const req of requiredKeys) {
    if (typeof req !== 'string' || skipKeys?.has(req)) {
      continue;
    }
    const propSchema = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, req) ? properties[req] : undefined;
    const v = Object.prototype.hasOwnProperty.call(value, req) ? value[req] : undefined;
    const pruned = v === null && !(isPlainObject(propSchema) && propSchema.nullable === true);
    if (v === undefined || (pruned && structural)) {
      if (structural && isPlainObject(propSchema) && propSchema.default !== undefined) {
        continue; // defaulted by the API server before validation
      }
      issues.push({ field: join(path, req), type: 'Required', detail: 'Required value' });
    }
  }
}

function checkEmbeddedResource(value: Record<string, unknown>, path: string, issues: SchemaIssue[]): void {
  for (const key of ['apiVersion', 'kind']) {
    const v = value[key];
    if (v === undefined || v === '') {
      issues.push({ field: join(path, key), type: 'Required', detail: 'Required value' });
    } else if (typeof v !== 'string') {
      issues.push(typeError(join(path, key), 'string', v));
    }
  }
  if (value.metadata !== undefined) {
    validateObjectMeta(value.metadata, join(path, 'metadata'), issues, { requireName: false });
  }
}

function checkJunctors(value: unknown, schema: Schema, path: string, issues: SchemaIssue[], options: WalkOptions, depth: number): void {
  if (schema.allOf === undefined && schema.anyOf === undefined && schema.oneOf === undefined && schema.not === undefined) {
    return;
  }
  const branch = (sub: unknown): SchemaIssue[] => {
    const out: SchemaIssue[] = [];
    walk(value, sub, path, out, options, false, undefined, false, depth + 1);
    return out;
  };
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) {
      issues.push(...branch(sub));
    }
  }
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0 && !schema.anyOf.some(sub => branch(sub).length === 0)) {
    issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} must validate at least one schema (anyOf)` });
  }
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0 && schema.oneOf.filter(sub => branch(sub).length === 0).length !== 1) {
    issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} must validate one and only one schema (oneOf)` });
  }
  if (isPlainObject(schema.not) && branch(schema.not).length === 0) {
    issues.push({ field: path, type: 'Invalid', detail: `${inBody(path)} must not validate the schema (not)` });
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isPlainObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'integer': return isInteger(value);
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    default: return true; // an unknown type keyword is a schema problem, not a value problem
  }
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

const patternCache = new Map<string, RegExp | undefined>();

function compilePattern(pattern: string): RegExp | undefined {
  if (patternCache.has(pattern)) {
    return patternCache.get(pattern);
  }
  let re: RegExp | undefined;
  try {
    // Go's RE2 syntax (used by the API server) and JavaScript's agree on the patterns CRDs use in practice.
    re = new RegExp(pattern);
  } catch {
    re = undefined;
  }
  patternCache.set(pattern, re);
  return re;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A small, dependency-free validator for Kubernetes structural schemas (the `openAPIV3Schema` of a CRD version),
 * applied the way the API server applies it to a custom resource.
 *
 * Differences from the API server, on purpose:
 * - Unknown fields are reported (`UnknownField`). The API server prunes them silently, which loses data without a
 *   word; for a generator that is always a bug.
 * - CEL rules (`x-kubernetes-validations`) are not evaluated. cdk8s-grove's admission port implements the rules the
 *   Grove CRDs carry; a general CEL interpreter is out of scope here.
 * - String `format`s are not checked, only the `int32`/`int64` ranges (the Grove CRDs use `date-time` in status
 *   only).
 *
 * Like the API server:
 * - A `null` field value whose schema is not `nullable` counts as absent (the server prunes it): it is only reported
 *   when the field is required. A removed `null` loses no information, unlike a removed unknown field. `null` list
 *   items and a `null` top-level value are type errors.
 * - A required field that is missing but has a `default` is not reported: the server defaults it before validating.
 * - Type-specific keywords apply only to values of that type: `pattern` is checked on strings only, `minimum` on
 *   numbers only, and so on. That is what makes `x-kubernetes-int-or-string` quantities with a string `pattern` work
 *   for integer values.
 */

import { validateObjectMeta } from './object-meta';
import { SchemaIssue } from './types';
import { describeType, isPlainObject, join, show } from './util';

/** Deeper nesting than this is reported instead of followed (guards against cyclic or absurd input). */
const MAX_DEPTH = 256;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** 2^63: int64 holds [-2^63, 2^63). JavaScript numbers are exact at this power of two. */
const TWO_POW_63 = 2 ** 63;

type Schema = Record<string, unknown>;

/** Options of the internal walker. */
interface WalkMode {
  /**
   * False inside `allOf`/`anyOf`/`oneOf`/`not`: those branches only add value validations in a structural schema,
   * so they neither declare fields nor require a type.
   */
  readonly structural: boolean;
}

const STRUCTURAL: WalkMode = { structural: true };
const VALUE_ONLY: WalkMode = { structural: false };

/**
 * Validates a value against a structural schema and returns every issue found (an empty list when the value is
 * valid). Never throws, whatever `value` and `schema` are.
 *
 * @param value the value to check, e.g. a parsed custom resource or a part of one
 * @param schema a structural schema, e.g. `crd.spec.versions[0].schema.openAPIV3Schema`
 * @param path the field path of `value`, used as a prefix of every reported field
 */
export function validateStructural(value: unknown, schema: object, path: string = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  try {
    walk(value, schema, path, issues, STRUCTURAL, 0);
  } catch (e) {
    issues.push({ field: path, type: 'InternalError', detail: `validation stopped: ${describeError(e)}` });
  }
  return issues;
}

/**
 * Validates one value; used by `validateStructural` and by the CRD-level entry point.
 * @internal
 */
export function walkSchema(value: unknown, schema: unknown, path: string, issues: SchemaIssue[], depth: number, options: {
  /** Keys to leave alone at this level (validated elsewhere), e.g. `metadata` of a resource. */
  readonly skipKeys?: ReadonlySet<string>;
} = {}): void {
  walk(value, schema, path, issues, STRUCTURAL, depth, options.skipKeys);
}

function walk(value: unknown, schemaIn: unknown, path: string, issues: SchemaIssue[], mode: WalkMode, depth: number,
  skipKeys?: ReadonlySet<string>, isField: boolean = false): void {
  if (!isPlainObject(schemaIn)) {
    return;
  }
  const schema = schemaIn;
  if (depth > MAX_DEPTH) {
    issues.push({ field: path, type: 'Invalid', detail: `nesting deeper than ${MAX_DEPTH} levels is not followed` });
    return;
  }

  if (value === undefined) {
    // Only reachable for the top-level value or sparse arrays: object keys holding `undefined` are treated as absent.
    issues.push({ field: path, type: 'Required', detail: 'required value' });
    return;
  }

  const type = typeof schema.type === 'string' ? schema.type : undefined;
  const preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;

  if (value === null) {
    if (schema.nullable === true || !mode.structural || (type === undefined && preserveUnknown && !intOrString)) {
      return;
    }
    // Like the API server: a null field value that is not nullable is pruned (then defaulted, or reported as missing
    // by the parent's `required` check). Nulls elsewhere (list items, the value itself) are type errors.
    if (!isField) {
      issues.push({ field: path, type: 'TypeInvalid', detail: `must be of type ${type ?? 'non-null'}, got null` });
    }
    return;
  }

  // Type checks.
  if (intOrString) {
    if (!(typeof value === 'string' || isInteger(value))) {
      issues.push({ field: path, type: 'TypeInvalid', detail: `must be an integer or a string, got ${describeType(value)}` });
      return;
    }
  } else if (type !== undefined) {
    if (!hasType(value, type)) {
      issues.push({ field: path, type: 'TypeInvalid', detail: `must be of type ${type}, got ${describeType(value)}` });
      return;
    }
  }

  if (typeof value === 'number') {
    checkNumber(value, schema, type, path, issues);
  }
  if (typeof value === 'string') {
    checkString(value, schema, path, issues);
  }
  if (Array.isArray(value)) {
    checkArray(value, schema, path, issues, mode, depth);
  } else if (isPlainObject(value)) {
    checkObject(value, schema, path, issues, mode, depth, preserveUnknown, skipKeys);
  }

  if (Array.isArray(schema.enum)) {
    if (!schema.enum.some(e => deepEqual(e, value))) {
      issues.push({
        field: path,
        type: 'NotSupported',
        detail: `unsupported value ${show(value)}, supported values: ${schema.enum.map(e => show(e)).join(', ')}`,
      });
    }
  }

  checkJunctors(value, schema, path, issues, depth);
  // `x-kubernetes-validations` (CEL) is deliberately not evaluated; see the module comment.
}

function checkNumber(value: number, schema: Schema, type: string | undefined, path: string, issues: SchemaIssue[]): void {
  if (!Number.isFinite(value)) {
    issues.push({ field: path, type: 'Invalid', detail: `must be a finite number, got ${String(value)}` });
    return;
  }
  if (type === 'integer' || isInteger(value)) {
    if (schema.format === 'int32' && (value < INT32_MIN || value > INT32_MAX)) {
      issues.push({ field: path, type: 'Invalid', detail: `must fit in a 32-bit signed integer (${INT32_MIN}..${INT32_MAX}), got ${value}` });
    } else if (schema.format === 'int64' && (value < -TWO_POW_63 || value >= TWO_POW_63)) {
      issues.push({ field: path, type: 'Invalid', detail: `must fit in a 64-bit signed integer, got ${value}` });
    }
  }
  if (typeof schema.minimum === 'number') {
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= schema.minimum : value < schema.minimum) {
      issues.push({ field: path, type: 'Invalid', detail: `should be greater than ${exclusive ? '' : 'or equal to '}${schema.minimum}, got ${value}` });
    }
  }
  if (typeof schema.maximum === 'number') {
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= schema.maximum : value > schema.maximum) {
      issues.push({ field: path, type: 'Invalid', detail: `should be less than ${exclusive ? '' : 'or equal to '}${schema.maximum}, got ${value}` });
    }
  }
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      issues.push({ field: path, type: 'Invalid', detail: `should be a multiple of ${schema.multipleOf}, got ${value}` });
    }
  }
}

function checkString(value: string, schema: Schema, path: string, issues: SchemaIssue[]): void {
  // Lengths count Unicode code points, as the API server counts runes.
  const length = typeof schema.maxLength === 'number' || typeof schema.minLength === 'number' ? [...value].length : 0;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    issues.push({ field: path, type: 'TooLong', detail: `may not be more than ${schema.maxLength} characters, got ${length}` });
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    issues.push({ field: path, type: 'Invalid', detail: `should be at least ${schema.minLength} characters long, got ${length}` });
  }
  if (typeof schema.pattern === 'string') {
    const re = compilePattern(schema.pattern);
    if (re === undefined) {
      issues.push({ field: path, type: 'InternalError', detail: `schema pattern ${show(schema.pattern)} could not be compiled, value not checked` });
    } else if (!re.test(value)) {
      issues.push({ field: path, type: 'Invalid', detail: `${show(value)} should match '${schema.pattern}'` });
    }
  }
}

function checkArray(value: unknown[], schema: Schema, path: string, issues: SchemaIssue[], mode: WalkMode, depth: number): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    issues.push({ field: path, type: 'Invalid', detail: `should have at least ${schema.minItems} items, got ${value.length}` });
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    issues.push({ field: path, type: 'TooMany', detail: `must have at most ${schema.maxItems} items, got ${value.length}` });
  }
  const items = isPlainObject(schema.items) ? schema.items : undefined;
  if (items !== undefined) {
    for (let i = 0; i < value.length; i++) {
      walk(value[i], items, `${path}[${i}]`, issues, mode, depth + 1);
    }
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    checkSet(value, path, issues);
  } else if (listType === 'map') {
    checkListMap(value, schema, items, path, issues);
  }
}

function checkSet(value: unknown[], path: string, issues: SchemaIssue[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const key = stableKey(value[i]);
    if (seen.has(key)) {
      issues.push({ field: `${path}[${i}]`, type: 'Duplicate', detail: `duplicate value ${show(value[i])} in a set list` });
    }
    seen.add(key);
  }
}

function checkListMap(value: unknown[], schema: Schema, items: Schema | undefined, path: string, issues: SchemaIssue[]): void {
  const keyNames = Array.isArray(schema['x-kubernetes-list-map-keys'])
    ? (schema['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string')
    : [];
  if (keyNames.length === 0) {
    return;
  }
  const itemProps = items !== undefined && isPlainObject(items.properties) ? items.properties : {};
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const entry = value[i];
    if (!isPlainObject(entry)) {
      continue; // already reported by the items schema
    }
    // The API server defaults before it checks keys, so a missing key with a default takes the default.
    const keyValues = keyNames.map(k => {
      const v = entry[k];
      if (v === undefined) {
        const propSchema = itemProps[k];
        return isPlainObject(propSchema) ? propSchema.default : undefined;
      }
      return v;
    });
    const key = stableKey(keyValues);
    if (seen.has(key)) {
      const shown = keyNames.map((k, n) => `${k}=${show(keyValues[n])}`).join(', ');
      issues.push({ field: `${path}[${i}]`, type: 'Duplicate', detail: `duplicate entry with ${shown} in a map list (keys: ${keyNames.join(', ')})` });
    }
    seen.add(key);
  }
}

function checkObject(value: Record<string, unknown>, schema: Schema, path: string, issues: SchemaIssue[], mode: WalkMode, depth: number,
  preserveUnknown: boolean, skipKeys?: ReadonlySet<string>): void {
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const presentKeys = Object.keys(value).filter(k => value[k] !== undefined);

  if (typeof schema.minProperties === 'number' && presentKeys.length < schema.minProperties) {
    issues.push({ field: path, type: 'Invalid', detail: `should have at least ${schema.minProperties} properties, got ${presentKeys.length}` });
  }
  if (typeof schema.maxProperties === 'number' && presentKeys.length > schema.maxProperties) {
    issues.push({ field: path, type: 'TooMany', detail: `must have at most ${schema.maxProperties} properties, got ${presentKeys.length}` });
  }

  if (Array.isArray(schema.required)) {
    for (const req of schema.required) {
      if (typeof req !== 'string' || skipKeys?.has(req)) {
        continue;
      }
      const propSchema = properties?.[req];
      const v = value[req];
      const pruned = v === null && !(isPlainObject(propSchema) && propSchema.nullable === true);
      if (v === undefined || (pruned && mode.structural)) {
        // A missing field with a default is filled in by the API server before validation.
        if (mode.structural && isPlainObject(propSchema) && propSchema.default !== undefined) {
          continue;
        }
        issues.push({ field: join(path, req), type: 'Required', detail: v === null ? 'required value, got null (the field is not nullable)' : 'required value' });
      }
    }
  }

  if (embedded && mode.structural) {
    checkEmbeddedResource(value, path, issues);
  }

  for (const key of presentKeys) {
    if (skipKeys?.has(key)) {
      continue;
    }
    if (embedded && mode.structural && (key === 'apiVersion' || key === 'kind' || key === 'metadata')
      && (properties === undefined || !(key in properties))) {
      continue; // implicitly part of an embedded resource, checked above
    }
    const propSchema = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (propSchema !== undefined) {
      walk(value[key], propSchema, join(path, key), issues, mode, depth + 1, undefined, true);
    } else if (isPlainObject(additional)) {
      walk(value[key], additional, `${path}[${key}]`, issues, mode, depth + 1, undefined, true);
    } else if (additional === true || preserveUnknown || !mode.structural) {
      continue;
    } else {
      issues.push({ field: join(path, key), type: 'UnknownField', detail: 'field not declared in schema; the API server would drop it' });
    }
  }
}

function checkEmbeddedResource(value: Record<string, unknown>, path: string, issues: SchemaIssue[]): void {
  for (const key of ['apiVersion', 'kind']) {
    const v = value[key];
    if (v === undefined || v === '') {
      issues.push({ field: join(path, key), type: 'Required', detail: 'required value' });
    } else if (typeof v !== 'string') {
      issues.push({ field: join(path, key), type: 'TypeInvalid', detail: `must be of type string, got ${describeType(v)}` });
    }
  }
  if (value.metadata !== undefined) {
    validateObjectMeta(value.metadata, join(path, 'metadata'), issues, { requireName: false });
  }
}

function checkJunctors(value: unknown, schema: Schema, path: string, issues: SchemaIssue[], depth: number): void {
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) {
      walk(value, sub, path, issues, VALUE_ONLY, depth + 1);
    }
  }
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) {
    const passing = schema.anyOf.filter(sub => branchIssues(value, sub, path, depth).length === 0).length;
    if (passing === 0) {
      issues.push({ field: path, type: 'Invalid', detail: `must validate at least one schema (anyOf), got ${show(value)}` });
    }
  }
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) {
    const passing = schema.oneOf.filter(sub => branchIssues(value, sub, path, depth).length === 0).length;
    if (passing !== 1) {
      issues.push({ field: path, type: 'Invalid', detail: `must validate one and only one schema (oneOf), ${passing} match` });
    }
  }
  if (isPlainObject(schema.not)) {
    if (branchIssues(value, schema.not, path, depth).length === 0) {
      issues.push({ field: path, type: 'Invalid', detail: 'must not validate the schema (not)' });
    }
  }
}

function branchIssues(value: unknown, sub: unknown, path: string, depth: number): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  walk(value, sub, path, out, VALUE_ONLY, depth + 1);
  return out;
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

function stableKey(value: unknown): string {
  try {
    return JSON.stringify(canonical(value, 0)) ?? 'undefined';
  } catch {
    return String(value);
  }
}

function canonical(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) {
    return null;
  }
  if (Array.isArray(value)) {
    return value.map(v => canonical(v, depth + 1));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      out[k] = canonical(value[k], depth + 1);
    }
    return out;
  }
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  return stableKey(a) === stableKey(b);
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

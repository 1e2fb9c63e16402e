/**
 * `x-kubernetes-list-type` `set` and `map` invariants, as the API server checks them after the schema
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go `ValidateListSetsAndMaps`): the second
 * occurrence of a value (set) or of a key tuple (map) is a `Duplicate` at its index, later repeats are not reported
 * again; a key a list-map item lacks counts as "unspecified" (and two such items collide); a non-object item of a
 * list-map is `Invalid` and ends the check of that list. Keys are compared after defaulting (the server defaults first).
 */
import { SchemaIssue } from './types';
import { MAX_SCHEMA_DEPTH, canonicalJson, isPlainObject, join, subtreeHasAny } from './util';

const hasListTypes = subtreeHasAny(['x-kubernetes-list-type']);

type Schema = Record<string, unknown>;

/** Every list-type violation in `value`, walking the schema. Never throws. */
export function listTypeIssues(value: unknown, schema: unknown, path: string): SchemaIssue[] {
  const errs: SchemaIssue[] = [];
  visit(value, schema, path, errs, 0);
  return errs;
}

function visit(value: unknown, schema: unknown, path: string, errs: SchemaIssue[], depth: number): void {
  if (!isPlainObject(schema) || depth > MAX_SCHEMA_DEPTH || !hasListTypes(schema)) {
    return;
  }
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
      for (const i of nonUnique(value)) {
        errs.push({ field: `${path}[${i}]`, type: 'Duplicate', detail: `Duplicate value: ${canonicalJson(value[i])}` });
      }
    } else if (listType === 'map') {
      errs.push(...listMapIssues(value, schema, path));
    }
    for (let i = 0; i < value.length; i++) {
      visit(value[i], schema.items, `${path}[${i}]`, errs, depth + 1);
    }
  } else if (isPlainObject(value)) {
    const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
    const additional = isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    for (const key of Object.keys(value)) {
      if (properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key)) {
        visit(value[key], properties[key], join(path, key), errs, depth + 1);
      } else if (additional !== undefined) {
        visit(value[key], additional, `${path}[${key}]`, errs, depth + 1);
      }
    }
  }
}

/** Indices of second occurrences (`validateListSet`). */
function nonUnique(items: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  items.forEach((item, i) => {
    const id = item === UNSPECIFIED ? '\u0000unspecified' : canonicalJson(item);
    const times = seen.get(id) ?? 0;
    seen.set(id, times + 1);
    if (times === 1) {
      out.push(i);
    }
  });
  return out;
}

const UNSPECIFIED = Symbol('unspecified key');

function listMapIssues(items: unknown[], schema: Schema, path: string): SchemaIssue[] {
  for (let i = 0; i < items.length; i++) {
    if (items[i] !== null && items[i] !== undefined && !isPlainObject(items[i])) {
      return [{ field: `${path}[${i}]`, type: 'Invalid', detail: 'must be an object for an array of list-type map' }];
    }
  }
  const keyNames = Array.isArray(schema['x-kubernetes-list-map-keys'])
    ? (schema['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string')
    : [];
  if (items.length <= 1 || keyNames.length === 0) {
    return [];
  }
  // The API server defaults before this check; a key the item lacks takes its schema default (already applied by
  // admission, not by the lint entry points, which validate the object as written).
  const itemProps = isPlainObject(schema.items) && isPlainObject(schema.items.properties) ? schema.items.properties : {};
  const defaultOf = (k: string): unknown => (isPlainObject(itemProps[k]) ? (itemProps[k] as Schema).default : undefined);
  const has = (item: unknown, k: string): item is Record<string, unknown> =>
    isPlainObject(item) && ((Object.prototype.hasOwnProperty.call(item, k) && item[k] !== undefined) || defaultOf(k) !== undefined);
  const get = (item: Record<string, unknown>, k: string): unknown =>
    (Object.prototype.hasOwnProperty.call(item, k) && item[k] !== undefined ? item[k] : defaultOf(k));
  if (keyNames.length === 1) {
    const k = keyNames[0];
    const keys = items.map(item => (has(item, k) ? get(item, k) : UNSPECIFIED));
    return nonUnique(keys).map(i => ({
      field: `${path}[${i}]`,
      type: 'Duplicate' as const,
      detail: `Duplicate value: ${keys[i] === UNSPECIFIED ? '{}' : canonicalJson({ [k]: keys[i] })}`,
    }));
  }
  const keys = items.map(item => {
    const key: Record<string, unknown> = {};
    for (const k of keyNames) {
      if (has(item, k)) {
        key[k] = get(item, k);
      }
    }
    return key;
  });
  return nonUnique(keys).map(i => ({ field: `${path}[${i}]`, type: 'Duplicate' as const, detail: `Duplicate value: ${canonicalJson(keys[i])}` }));
}

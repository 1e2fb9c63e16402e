/**
 * What the API server does to a custom resource before validating it: prune unknown fields
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go `PruneWithOptions`, `isResourceRoot`:
 * `apiVersion`, `kind` and `metadata` stay at the root and in `x-kubernetes-embedded-resource` objects), drop `null`s of
 * non-nullable fields without a default (pkg/apiserver/schema/defaulting/prunenulls.go
 * `PruneNonNullableNullsWithoutDefaults`), and apply schema defaults (pkg/apiserver/schema/defaulting/algorithm.go
 * `Default`: an absent property, or a non-nullable null, of a present object takes a copy of its `default`).
 * Called in customresource_handler.go `unstructuredSchemaCoercer.apply` on decode and again after each mutating
 * webhook's patch.
 *
 * Mutates `value` in place and returns the paths of what it pruned. Recursion follows the schema (fixed depth).
 */
import { canonicalJson, isPlainObject } from './util';

const RESOURCE_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes, drops non-nullable nulls and defaults `value` (a resource root when `isResourceRoot`). */
export function pruneAndDefault(value: unknown, schema: unknown, isResourceRoot: boolean): string[] {
  const pruned: string[] = [];
  prune(value, schema, [], isResourceRoot, pruned);
  applyDefaults(value, schema);
  return pruned;
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets an own property, also for `__proto__` (an ordinary key in JSON). */
export function setOwn(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = v;
  }
}

/** A field path from its steps (built only for what is pruned); a map key step is stored as `[key]`. */
function spell(steps: readonly (string | number)[], last: string): string {
  let path = '';
  for (const step of [...steps, last]) {
    path = typeof step === 'number' ? `${path}[${step}]` : step.startsWith('[') || path === '' ? `${path}${step}` : `${path}.${step}`;
  }
  return path;
}

function prune(value: unknown, schemaIn: unknown, steps: (string | number)[], isResourceRoot: boolean, pruned: string[]): void {
  if (!isPlainObject(schemaIn)) {
    return;
  }
  const schema = schemaIn;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      steps.push(i);
      prune(value[i], schema.items, steps, false, pruned);
      steps.pop();
    }
    return;
  }
  if (!isPlainObject(value)) {
    return;
  }
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const keepMeta = isResourceRoot || schema['x-kubernetes-embedded-resource'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    if (keepMeta && RESOURCE_KEYS.has(key) && (properties === undefined || !hasOwn(properties, key))) {
      continue;
    }
    const sub = properties !== undefined && hasOwn(properties, key) ? properties[key] : isPlainObject(additional) ? additional : undefined;
    if (sub !== undefined) {
      // prunenulls.go: a null without a default, where the schema does not allow null, goes too
      if (value[key] === null && isPlainObject(sub) && sub.default === undefined && sub.nullable !== true) {
        delete value[key];
      } else {
        steps.push(sub === additional ? `[${key}]` : key);
        prune(value[key], sub, steps, false, pruned);
        steps.pop();
      }
    } else if (!preserve && additional !== true) {
      pruned.push(spell(steps, key));
      delete value[key];
    }
  }
}

const DEFAULTED = new WeakMap<object, readonly [string, Record<string, unknown>][]>();

/** The properties of a schema that carry a `default` (computed once per schema node). */
function defaultedProperties(schema: Record<string, unknown>): readonly [string, Record<string, unknown>][] {
  let found = DEFAULTED.get(schema);
  if (found === undefined) {
    const properties = isPlainObject(schema.properties) ? schema.properties : {};
    found = Object.keys(properties)
      .filter(k => isPlainObject(properties[k]) && (properties[k] as Record<string, unknown>).default !== undefined)
      .map(k => [k, properties[k] as Record<string, unknown>] as [string, Record<string, unknown>]);
    DEFAULTED.set(schema, found);
  }
  return found;
}

/** A fresh copy of a schema default (defaults are small JSON literals). */
function copyDefault(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? JSON.parse(canonicalJson(v)) : v;
}

function applyDefaults(value: unknown, schemaIn: unknown): void {
  if (!isPlainObject(schemaIn)) {
    return;
  }
  const schema = schemaIn;
  if (Array.isArray(value)) {
    value.forEach(v => applyDefaults(v, schema.items));
    return;
  }
  if (!isPlainObject(value)) {
    return;
  }
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  for (const [key, prop] of defaultedProperties(schema)) {
    const v = hasOwn(value, key) ? value[key] : undefined;
    if (v === undefined || (v === null && prop.nullable !== true)) {
      setOwn(value, key, copyDefault(prop.default));
    }
  }
  const additional = isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    if (properties !== undefined && hasOwn(properties, key)) {
      applyDefaults(value[key], properties[key]);
    } else if (additional !== undefined) {
      applyDefaults(value[key], additional);
    }
  }
}

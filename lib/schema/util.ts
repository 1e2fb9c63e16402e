/**
 * Small helpers shared by the schema validator modules.
 */

/**
 * Deeper schema nesting than this is reported instead of followed. Generated CRD schemas are about 25 levels deep; only
 * a cyclic schema object (possible from JavaScript) gets here.
 */
export const MAX_SCHEMA_DEPTH = 256;

/** True for objects that are not arrays (JSON objects). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a property name onto a Kubernetes field path (`spec` + `replicas` -> `spec.replicas`). */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Short, safe rendering of a value for messages; never throws. */
export function show(value: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    s = undefined;
  }
  if (s === undefined) {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The JSON type of a value, with the value for scalars (`integer 3`, `string "a"`, `array`). */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  }
  if (typeof value === 'string') {
    return `string ${show(value)}`;
  }
  if (typeof value === 'boolean') {
    return `boolean ${value}`;
  }
  return typeof value;
}

/**
 * A JSON text with object keys sorted (Go's `json.Marshal` of a map), built without recursion so any nesting depth
 * works. Values JSON cannot hold print as `null`, as `JSON.stringify` prints them in lists.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const ancestors = new Set<unknown>();
  // Work items: a value to print, a literal piece of text, or the end of a container (leaves the ancestor set).
  type Item = { v: unknown } | { exit: unknown } | string;
  const stack: Item[] = [{ v: value }];
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if ('exit' in item) {
      ancestors.delete(item.exit);
      continue;
    }
    const v = item.v;
    if ((Array.isArray(v) || isPlainObject(v)) && ancestors.has(v)) {
      out.push('"<cycle>"'); // a reference back to an enclosing value: JSON cannot hold it
    } else if (Array.isArray(v)) {
      ancestors.add(v);
      stack.push({ exit: v }, ']');
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i] });
        if (i > 0) {
          stack.push(',');
        }
      }
      out.push('[');
    } else if (isPlainObject(v)) {
      ancestors.add(v);
      const keys = Object.keys(v).filter(k => v[k] !== undefined).sort();
      stack.push({ exit: v }, '}');
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ v: v[keys[i]] });
        stack.push(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`);
      }
      out.push('{');
    } else if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      out.push(JSON.stringify(v));
    } else {
      out.push('null');
    }
  }
  return out.join('');
}

/**
 * A memoized test "does the schema node or any schema below it (properties, additionalProperties, items) carry one of
 * `keys`", so walks can pass over subtrees with nothing to check.
 */
export function subtreeHasAny(keys: readonly string[]): (schema: unknown) => boolean {
  const memo = new WeakMap<object, boolean>();
  const has = (schema: unknown): boolean => {
    if (!isPlainObject(schema)) {
      return false;
    }
    const known = memo.get(schema);
    if (known !== undefined) {
      return known;
    }
    memo.set(schema, false); // a cyclic schema (possible from JavaScript) ends here
    let found = keys.some(k => schema[k] !== undefined);
    if (!found) {
      const properties = isPlainObject(schema.properties) ? Object.values(schema.properties) : [];
      found = [...properties, schema.additionalProperties, schema.items].some(has);
    }
    memo.set(schema, found);
    return found;
  };
  return has;
}

/**
 * Small helpers shared by the schema validator modules.
 */

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

/**
 * Defensive access to plain JSON values. Admission input is `unknown`: every read goes through these helpers so a
 * missing or mistyped field yields `undefined` (or an empty value) instead of a thrown `TypeError`.
 *
 * `null` is treated like an absent field, as the Kubernetes API server prunes nulls of non-nullable fields and Go's
 * JSON decoder leaves the zero value in place.
 */

/** A JSON object (never an array, never null). */
export type JsonObject = { [key: string]: unknown };

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a finite number without a fractional part. */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** The field `key` of `obj` when `obj` is an object, `undefined` for absent and null fields. */
export function field(obj: unknown, key: string): unknown {
  if (!isObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) {
    return undefined;
  }
  const value = obj[key];
  return value === null ? undefined : value;
}

/** True when `obj` is an object carrying a non-null `key`. */
export function hasField(obj: unknown, key: string): boolean {
  return field(obj, key) !== undefined;
}

/** The field as an object, else `undefined`. */
export function objectField(obj: unknown, key: string): JsonObject | undefined {
  const value = field(obj, key);
  return isObject(value) ? value : undefined;
}

/** The field as an array, else `[]`. */
export function arrayField(obj: unknown, key: string): unknown[] {
  const value = field(obj, key);
  return Array.isArray(value) ? value : [];
}

/** The field as a string, else `''` (Go's zero value). */
export function stringField(obj: unknown, key: string): string {
  const value = field(obj, key);
  return typeof value === 'string' ? value : '';
}

/** The field as an integer, else `undefined` (a nil pointer). */
export function optionalIntField(obj: unknown, key: string): number | undefined {
  const value = field(obj, key);
  return isInteger(value) ? value : undefined;
}

/** The field as an integer, else `0` (Go's zero value). */
export function intField(obj: unknown, key: string): number {
  return optionalIntField(obj, key) ?? 0;
}

/** The field as a list of strings (non-strings become `''`, as they could never decode anyway). */
export function stringListField(obj: unknown, key: string): string[] {
  return arrayField(obj, key).map(v => (typeof v === 'string' ? v : ''));
}

/** The field as a `map[string]string`; non-string values are dropped. */
export function stringMapField(obj: unknown, key: string): Record<string, string> {
  const value = objectField(obj, key);
  const out: Record<string, string> = {};
  if (value) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        // defineProperty keeps a `__proto__` key an ordinary entry (plain assignment would set the prototype)
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return out;
}

/** True when `key` is an own key of `map`. */
export function hasKey(map: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/**
 * A deep copy of a JSON value. Non-JSON parts are dropped: `undefined` and function values, and references back to
 * an enclosing object or array (cycles). `__proto__` keys stay ordinary keys. No nesting depth makes it throw: the
 * native JSON round trip (fast) is used where it can, an iterative copy otherwise.
 */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  try {
    return JSON.parse(JSON.stringify(value)) as T;
  } catch {
    return iterativeCopy(value) as T;
  }
}

function defineOwn(obj: JsonObject, key: string, v: unknown): void {
  if (key === '__proto__') {
    // defineProperty keeps a `__proto__` key an ordinary property
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = v;
  }
}

function iterativeCopy(root: unknown): unknown {
  const ancestors = new Set<unknown>();
  type Frame = { src: unknown; put: (v: unknown) => void } | { exit: unknown };
  let result: unknown;
  const stack: Frame[] = [{ src: root, put: v => (result = v) }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if ('exit' in frame) {
      ancestors.delete(frame.exit);
      continue;
    }
    const v = frame.src;
    if (!Array.isArray(v) && !isObject(v)) {
      frame.put(v);
      continue;
    }
    ancestors.add(v);
    stack.push({ exit: v });
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      frame.put(copy);
      // holes and cycles are left out, as filter() leaves out holes
      const kept = v.filter(item => !ancestors.has(item));
      kept.forEach(() => copy.push(undefined));
      kept.forEach((item, i) => stack.push({ src: item, put: c => (copy[i] = c) }));
    } else {
      const copy: JsonObject = {};
      frame.put(copy);
      for (const k of Object.keys(v)) {
        const item = v[k];
        if (item !== undefined && typeof item !== 'function' && !ancestors.has(item)) {
          defineOwn(copy, k, null); // keeps the key order; filled in when the item is copied
          stack.push({ src: item, put: c => (copy[k] = c) });
        }
      }
    }
  }
  return result;
}

/**
 * Deep equality with apimachinery's `Semantic.DeepEqual` flavour: an absent value, `null`, `[]` and `{}` are equal
 * (Go does not tell a nil slice or map from an empty one).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  // Iterative, so values nested as deep as the API server accepts (10,000 levels) compare without overflowing.
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown];
    if (isEmptyCollection(x) && isEmptyCollection(y)) {
      continue;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) {
        return false;
      }
      x.forEach((v, i) => stack.push([v, y[i]]));
    } else if (isObject(x) && isObject(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
        stack.push([x[k], y[k]]);
      }
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

function isEmptyCollection(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** Go's `strings.TrimSpace(s) == ""` (Grove's `IsEmptyStringType`). */
export function isBlank(s: string): boolean {
  return s.trim() === '';
}

/** Values that occur more than once, each reported once, in order of first repetition (`lo.FindDuplicates`). */
export function findDuplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (seen.has(v) && !reported.has(v)) {
      reported.add(v);
      out.push(v);
    }
    seen.add(v);
  }
  return out;
}

/** `values` without repeats, first occurrence kept (`lo.Uniq`). */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Length of a string in UTF-8 bytes (Go's `len(string)`). */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Go's `%q` for a string: double-quoted with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const named = GO_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

const GO_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

/** Go's `%v` for a string slice: `[a b c]`. */
export function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/**
 * Class 7 of the admission port: any JavaScript value gets a verdict. The API server only ever sees JSON that Go's
 * decoder accepted (encoding/json refuses nesting deeper than 10,000 levels: "exceeded max depth"); a JavaScript
 * caller can hand over more: cycles, holes in lists, `undefined` list items, functions, symbols, bigints, NaN. Each is
 * reported at its field path instead of being dropped silently (which would judge another object than the one given)
 * or crashing. The walk is iterative, so no depth makes it throw.
 */
import { ErrorList, invalid } from './errors';
import { isObject } from './json';

/** encoding/json's `maxNestingDepth`. */
export const MAX_JSON_DEPTH = 10000;

/** At most this many problems are listed (the request is refused either way). */
const MAX_REPORTED = 20;

interface Frame {
  readonly value: unknown;
  /** The enclosing container's frame (paths are only spelled out for a problem). */
  readonly parent: Frame | undefined;
  /** Key in the parent object, or index in the parent list. */
  readonly step: string | number;
  readonly depth: number;
  /** Set on the exit marker of a container: it leaves the ancestor set. */
  readonly exit?: boolean;
}

/** The field path of a frame: `a.b[2].c`. */
function pathOf(frame: Frame, root: string): string {
  const steps: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f !== undefined && f.parent !== undefined; f = f.parent) {
    steps.push(f.step);
  }
  let path = root;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    path = typeof step === 'number' ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`;
  }
  return path;
}

/** Every way `value` (at `root`) is not a JSON document Go's decoder would accept. */
export function inputShapeErrors(value: unknown, root: string): ErrorList {
  const errs: ErrorList = [];
  const ancestors = new Set<object>();
  const stack: Frame[] = [{ value, parent: undefined, step: '', depth: 0 }];
  while (stack.length > 0 && errs.length < MAX_REPORTED) {
    const frame = stack.pop() as Frame;
    const v = frame.value;
    if (frame.exit) {
      ancestors.delete(v as object);
      continue;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') {
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        errs.push(invalid(pathOf(frame, root), `${String(v)} is not a JSON number`));
      }
      continue;
    }
    if (typeof v !== 'object') {
      errs.push(invalid(pathOf(frame, root), `a ${typeof v} is not a JSON value`));
      continue;
    }
    if (ancestors.has(v)) {
      errs.push(invalid(pathOf(frame, root), 'the value refers back to an enclosing object or list (a cycle); JSON cannot hold it'));
      continue;
    }
    if (frame.depth >= MAX_JSON_DEPTH) {
      errs.push(invalid(pathOf(frame, root), `nested deeper than ${MAX_JSON_DEPTH} levels: the API server's JSON decoder refuses it (exceeded max depth)`));
      continue;
    }
    if (!Array.isArray(v) && !isObject(v)) {
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      errs.push(invalid(pathOf(frame, root), `an instance of ${(v as object).constructor?.name ?? 'a class'} is not a JSON object`));
      continue;
    }
    ancestors.add(v);
    stack.push({ value: v, parent: frame.parent, step: frame.step, depth: frame.depth, exit: true });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        if (!(i in v)) {
          errs.push(invalid(pathOf({ value: undefined, parent: frame, step: i, depth: 0 }, root), 'a hole in the list (no item at this index); JSON has no such value'));
        } else if (v[i] === undefined) {
          errs.push(invalid(pathOf({ value: undefined, parent: frame, step: i, depth: 0 }, root), 'undefined is not a JSON value (the list item would be written as null)'));
        } else {
          stack.push({ value: v[i], parent: frame, step: i, depth: frame.depth + 1 });
        }
      }
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const item = (v as Record<string, unknown>)[keys[i]];
        if (item !== undefined) {
          stack.push({ value: item, parent: frame, step: keys[i], depth: frame.depth + 1 });
        }
      }
    }
  }
  return errs;
}

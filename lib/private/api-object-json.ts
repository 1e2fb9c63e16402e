import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * `ApiObject.toJson()` in one walk instead of two, for the objects this library creates.
 *
 * Why: cdk8s renders an object as `sanitizeValue(resolve([], data, obj))` (cdk8s lib/api-object.ts, resolve.ts,
 * _util.ts): `resolve` copies the whole tree, creates a resolution context for every value and looks the app up
 * again (`App.of`, a walk to the root) for each of them; `sanitizeValue` copies it again to sort keys and drop
 * nulls. At a fleet's size that is a tenth of synthesis. With cdk8s' three built-in resolvers, the same result comes
 * from one walk that applies those resolvers' rules to each value and sanitizes it on the way back:
 *
 * - `LazyResolver`: a `Lazy` is replaced by what it produces, which is resolved in turn;
 * - `ImplicitTokenResolver`: a value with a `resolve()` method is replaced by what it returns, resolved in turn;
 * - `NumberStringUnionResolver`: a value whose constructor is not `Object` and whose `value` is a number or a string
 *   (the generated `Quantity`, `IntOrString`, ...) is replaced by `{ value }`;
 * - then arrays map element by element, objects whose constructor is `Object` key by key (in `Object.entries` order,
 *   so producers run in the order cdk8s runs them), anything else stays as it is;
 * - sanitizing: `null` and `undefined` become `undefined` (dropped from objects, kept as holes' values in arrays),
 *   keys are sorted unless `CDK8S_DISABLE_SORT` is set.
 *
 * Whenever cdk8s would do anything else, `undefined` is returned and the caller takes cdk8s' own path, which then
 * answers exactly as it always did: another resolver in the app, a JSON patch on the object, a value sanitizing
 * refuses (a class instance, an object without prototype), a `__proto__` key, or anything thrown on the way (cdk8s
 * wraps it with the object's path). test/property/api-object-json.test.ts compares both paths on generated values.
 */
export function fastApiObjectJson(obj: ApiObject): Record<string, unknown> | undefined {
  if (!renderedByDefault(obj)) {
    return undefined;
  }
  const props = (obj as unknown as { props: Record<string, unknown> }).props;
  const sortKeys = !process.env.CDK8S_DISABLE_SORT;
  let json: unknown;
  try {
    json = render({ ...props, metadata: obj.metadata.toJson() }, sortKeys);
  } catch {
    return undefined; // REFUSED, or a failure cdk8s' path reports again, with the object's path
  }
  const rendered = json as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(rendered)]) {
    if (k in rendered) {
      result[k] = rendered[k];
    }
  }
  return result;
}

/** cdk8s renders `obj` with its three built-in resolvers only, in their default order, and no JSON patch. */
export function renderedByDefault(obj: ApiObject): boolean {
  const resolvers = App.of(obj).resolvers;
  const patches = (obj as unknown as { patches?: unknown }).patches;
  return resolvers.length === 3
    && resolvers[0] instanceof LazyResolver && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver
    && Array.isArray(patches) && patches.length === 0;
}

/** Thrown inside the walk when cdk8s' own path has to decide. */
const REFUSED = Symbol('refused');

/** `sanitizeValue(resolve(value))` under the built-in resolvers. */
function render(value: unknown, sortKeys: boolean): unknown {
  let v = value;
  for (;;) {
    if (v === null || v === undefined) {
      return undefined;
    }
    if (v instanceof Lazy) {
      v = v.produce();
    } else if (typeof (v as { resolve?: unknown }).resolve === 'function') {
      v = (v as { resolve(): unknown }).resolve();
    } else if ((v as object).constructor !== Object && isUnionValue((v as { value?: unknown }).value)) {
      v = { value: (v as { value: unknown }).value };
    } else {
      break;
    }
  }
  if (typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map(x => render(x, sortKeys));
  }
  if (v.constructor !== Object) {
    throw REFUSED; // resolve keeps it, sanitizeValue refuses it (or fails on a missing constructor)
  }
  const rendered: [string, unknown][] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__') {
      throw REFUSED;
    }
    rendered.push([k, render(x, sortKeys)]);
  }
  if (sortKeys) {
    rendered.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of rendered) {
    if (x !== undefined) { // render() turns null into undefined
      out[k] = x;
    }
  }
  return out;
}

function isUnionValue(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'string';
}

/** A plain `ApiObject` that renders through `fastApiObjectJson` when it can. */
export class PlainApiObject extends ApiObject {
  public override toJson(): any {
    return fastApiObjectJson(this) ?? super.toJson();
  }
}

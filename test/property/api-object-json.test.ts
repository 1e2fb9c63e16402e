/**
 * `fastApiObjectJson` (lib/private/api-object-json.ts) renders an ApiObject in one walk. Property: for any props
 * (plain data, Lazies, implicit tokens, number-or-string unions, class instances, objects without prototype, null,
 * undefined, array holes, `__proto__` and integer-like keys) it either declines (undefined) or returns exactly what
 * cdk8s' own `ApiObject.toJson()` returns, key order and `undefined` array entries included; and it declines
 * wherever cdk8s would throw.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import * as fc from 'fast-check';
import { fastApiObjectJson, PlainApiObject } from '../../lib/private/api-object-json';
import { params, runs, TIMEOUT } from './support';

class Quantity {
  constructor(public readonly value: string | number) {}
}
class Token {
  constructor(private readonly inner: unknown) {}
  public resolve(): unknown {
    return this.inner;
  }
}
class Opaque {
  public readonly x = 1;
}

/** A value as cdk8s' path would see it, built fresh for each path (producers must not be shared between runs). */
type Spec =
  | { t: 'prim'; v: string | number | boolean | null | undefined }
  | { t: 'arr'; items: Spec[]; hole: boolean }
  | { t: 'obj'; entries: [string, Spec][] }
  | { t: 'lazy'; inner: Spec }
  | { t: 'token'; inner: Spec }
  | { t: 'union'; v: string | number }
  | { t: 'opaque' }
  | { t: 'nullProto' };

const key = fc.oneof(fc.constantFrom('a', 'b', 'B', '10', '2', 'value', 'resolve', '__proto__', 'constructor', 'é'), fc.string({ maxLength: 3 }));
const spec: fc.Arbitrary<Spec> = fc.letrec<{ s: Spec }>(tie => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: fc.record({ t: fc.constant('prim' as const), v: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('arr' as const), items: fc.array(tie('s'), { maxLength: 3 }), hole: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('obj' as const), entries: fc.array(fc.tuple(key, tie('s')), { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('lazy' as const), inner: tie('s') }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('token' as const), inner: tie('s') }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('union' as const), v: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()) }) },
    { weight: 1, arbitrary: fc.constant({ t: 'opaque' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'nullProto' as const }) },
  ),
})).s;

function build(s: Spec): unknown {
  switch (s.t) {
    case 'prim': return s.v;
    case 'arr': {
      const a = s.items.map(build);
      if (s.hole) a.length += 1;
      return a;
    }
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of s.entries) Object.defineProperty(o, k, { value: build(v), enumerable: true, configurable: true, writable: true });
      return o;
    }
    case 'lazy': return Lazy.any({ produce: () => build(s.inner) });
    case 'token': return new Token(build(s.inner));
    case 'union': return new Quantity(s.v);
    case 'opaque': return new Opaque();
    case 'nullProto': return Object.assign(Object.create(null), { a: 1 });
  }
}

/** Key order, `undefined` and holes made visible. */
function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v !== 'object' || v === null) return `${typeof v}:${String(v)}`;
  if (Array.isArray(v)) return `[${Array.from({ length: v.length }, (_, i) => (i in v ? show(v[i]) : 'hole')).join(',')}]`;
  return `{${Object.keys(v).map(k => `${JSON.stringify(k)}:${show((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

function objectWith(body: Spec, label: Spec): ApiObject {
  const chart = new Chart(new App(), 'c');
  return new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { l: build(label) as string } }, data: build(body) });
}

test('one walk renders what cdk8s renders, or declines where cdk8s would throw or decide otherwise', () => {
  let rendered = 0;
  fc.assert(fc.property(spec, spec, fc.boolean(), (body, label, unsorted) => {
    const before = process.env.CDK8S_DISABLE_SORT;
    if (unsorted) process.env.CDK8S_DISABLE_SORT = '1'; else delete process.env.CDK8S_DISABLE_SORT;
    try {
      const fast = fastApiObjectJson(objectWith(body, label));
      let slow: unknown;
      let threw = false;
      try {
        slow = objectWith(body, label).toJson();
      } catch {
        threw = true;
      }
      if (fast !== undefined) {
        rendered++;
        expect(threw).toBe(false);
        expect(show(fast)).toBe(show(slow));
      }
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT; else process.env.CDK8S_DISABLE_SORT = before;
    }
  }), params(400));
  expect(rendered).toBeGreaterThan(runs(400) * 0.4); // the fast path is taken, not only declined
}, TIMEOUT);

test('declines for a JSON patch or another resolver, and PlainApiObject then renders through cdk8s', () => {
  const upperCase = { resolve: (c: ResolutionContext) => (typeof c.value === 'string' && c.value !== c.value.toUpperCase() ? c.replaceValue(c.value.toUpperCase()) : undefined) };
  const app = new App({ resolvers: [upperCase] }); // before cdk8s' own three
  const withOwnResolvers = new PlainApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: Lazy.any({ produce: () => 'x' }) } });
  expect(fastApiObjectJson(withOwnResolvers)).toBeUndefined();
  expect(withOwnResolvers.toJson().data).toEqual({ a: 'X' });

  const patched = new PlainApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x' } });
  patched.addJsonPatch(JsonPatch.add('/data/b', 'y'));
  expect(fastApiObjectJson(patched)).toBeUndefined();
  expect(patched.toJson().data).toEqual({ a: 'x', b: 'y' });
});

test('PlainApiObject renders apiVersion, kind and metadata first, the rest sorted', () => {
  const o = new PlainApiObject(new Chart(new App(), 'c'), 'o', { kind: 'ConfigMap', data: { z: 1, a: new Quantity('1Gi') }, apiVersion: 'v1', binaryData: undefined });
  expect(Object.keys(o.toJson())).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  expect(o.toJson().data).toEqual({ a: { value: '1Gi' }, z: 1 });
  expect(Object.keys(o.toJson().data)).toEqual(['a', 'z']);
});

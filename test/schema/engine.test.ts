/**
 * The schema engine's parts the API server runs besides the validator: pruning, null pruning and defaulting
 * (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go, defaulting/prunenulls.go, defaulting/algorithm.go),
 * list types (listtype/validation.go) and CEL rules (cel/validation.go), and the generated CRD modules.
 */
import * as fs from 'fs';
import { celIssues, compileCelRule, groveCrdVersion, groveCrds, listTypeIssues, pruneAndDefault } from '../../lib/schema';
import { generateModule, modulePath } from '../../scripts/gen-crd-schemas';
import { describeWithReference } from '../support/reference';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('pruning/algorithm.go and defaulting: pruneAndDefault', () => {
  test('unknown fields go (their paths are returned); apiVersion, kind and metadata stay at a resource root', () => {
    const value: any = { apiVersion: 'v', kind: 'K', metadata: { name: 'n' }, spec: { a: 1, b: 2 } };
    const pruned = pruneAndDefault(value, obj({ spec: obj({ a: { type: 'integer' } }) }), true);
    expect(pruned).toEqual(['spec.b']);
    expect(value).toEqual({ apiVersion: 'v', kind: 'K', metadata: { name: 'n' }, spec: { a: 1 } });
  });

  test('x-kubernetes-preserve-unknown-fields keeps unknown fields; embedded resources keep apiVersion/kind/metadata', () => {
    const value: any = { p: { any: 1 }, e: { apiVersion: 'v1', kind: 'Pod', metadata: {}, junk: 1 } };
    pruneAndDefault(value, obj({ p: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, e: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: {} } }), false);
    expect(value).toEqual({ p: { any: 1 }, e: { apiVersion: 'v1', kind: 'Pod', metadata: {} } });
  });

  test('prunenulls.go: a null without a default goes unless nullable; defaulting/algorithm.go: a null with a default takes it', () => {
    const value: any = { a: null, n: null, d: null };
    pruneAndDefault(value, obj({ a: { type: 'string' }, n: { type: 'string', nullable: true }, d: { type: 'string', default: 'x' } }), false);
    expect(value).toEqual({ n: null, d: 'x' });
  });

  test('defaults apply inside list items and map values, to present objects only; each default is a fresh copy', () => {
    const item = obj({ protocol: { type: 'string', default: 'TCP' }, o: { type: 'object', default: { k: 1 } } });
    const value: any = { ports: [{}, {}] };
    pruneAndDefault(value, obj({ ports: { type: 'array', items: item }, absent: item }), false);
    expect(value.ports).toEqual([{ protocol: 'TCP', o: { k: 1 } }, { protocol: 'TCP', o: { k: 1 } }]);
    expect(value.ports[0].o).not.toBe(value.ports[1].o);
    expect(value.absent).toBeUndefined();
  });
});

describe('listtype/validation.go: listTypeIssues', () => {
  const mapList = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: obj({ name: { type: 'string' } }) };

  test('the second occurrence is Duplicate, later repeats are not reported again; items without the key collide as {}', () => {
    expect(listTypeIssues([{ name: 'a' }, { name: 'a' }, { name: 'a' }, {}, {}], mapList, 'l')).toEqual([
      { field: 'l[1]', type: 'Duplicate', detail: 'Duplicate value: {"name":"a"}' },
      { field: 'l[4]', type: 'Duplicate', detail: 'Duplicate value: {}' },
    ]);
  });

  test('a non-object item of a list-map is Invalid and ends the check of that list', () => {
    expect(listTypeIssues([{ name: 'a' }, 'x', { name: 'a' }], mapList, 'l')).toEqual([
      { field: 'l[1]', type: 'Invalid', detail: 'must be an object for an array of list-type map' },
    ]);
  });
});

describe('cel/validation.go: x-kubernetes-validations', () => {
  test('the supported subset compiles; anything else is refused with a reason', () => {
    expect(compileCelRule('has(self.a) || !has(self.b.c) && self.l.all(x, has(x.k))').ok).toBe(true);
    expect(compileCelRule('oldSelf.hasValue() || true').ok).toBe(true);
    expect(compileCelRule('self.a > 1').ok).toBe(false);
    expect(compileCelRule('size(self.l) == 1').ok).toBe(false);
  });

  test('reason picks the error type, fieldPath extends the path, message is the detail', () => {
    const schema = obj({ tc: obj({}, { 'x-kubernetes-validations': [
      { rule: 'has(self.pack)', message: 'needs pack', reason: 'FieldValueRequired', fieldPath: '.pack' },
      { rule: '!has(self.x)', message: 'no x' },
    ] }) });
    expect(celIssues({ tc: { x: 1 } }, schema, undefined, 'spec')).toEqual([
      { field: 'spec.tc.pack', type: 'Required', detail: 'needs pack' },
      { field: 'spec.tc', type: 'Invalid', detail: 'no x' },
    ]);
  });

  test('|| and && absorb an evaluation error when the other side decides, as CEL does', () => {
    const schema = obj({}, { 'x-kubernetes-validations': [{ rule: 'self.missing.deep || true', message: 'm' }, { rule: 'self.missing.deep && false', message: 'n' }] });
    expect(celIssues({}, schema, undefined, '')).toEqual([{ field: '', type: 'Invalid', detail: 'n' }]);
  });

  test('optionalOldSelf: oldSelf.hasValue() is false on CREATE and true on UPDATE; rules using oldSelf without it skip CREATE', () => {
    const schema = obj({}, { 'x-kubernetes-validations': [
      { rule: 'oldSelf.hasValue() || !has(self.a)', message: 'new only', optionalOldSelf: true, reason: 'FieldValueForbidden', fieldPath: '.a' },
      { rule: '!has(oldSelf.a) || has(self.a)', message: 'a may not be removed' },
    ] });
    expect(celIssues({ a: 1 }, schema, undefined, '')).toEqual([{ field: 'a', type: 'Forbidden', detail: 'new only' }]);
    expect(celIssues({}, schema, { value: { a: 1 } }, '')).toEqual([{ field: '', type: 'Invalid', detail: 'a may not be removed' }]);
  });

  test('all() ranges over lists; the pinned PodCliqueSet CRD carries 6 distinct rule texts (3 nested topology-constraint shapes, 3 transition rules at the root)', () => {
    const pcs = groveCrdVersion('pinned', 'grove.io/v1alpha1', 'PodCliqueSet');
    const rules = new Set<string>();
    const visit = (s: any): void => {
      if (Array.isArray(s)) s.forEach(visit);
      else if (s && typeof s === 'object') {
        (s['x-kubernetes-validations'] ?? []).forEach((r: any) => rules.add(r.rule));
        Object.values(s).forEach(visit);
      }
    };
    visit(pcs?.version.schema);
    expect(rules.size).toBe(6);
    expect([...rules].every(r => compileCelRule(r).ok)).toBe(true);
    const schema = pcs!.version.schema;
    const template = { cliques: [{ name: 'a', topologyConstraint: { packDomain: 'zone' } }] };
    expect(celIssues({ spec: { template } }, schema, undefined, '').map(e => `${e.type} @ ${e.field}`)).toEqual(['Forbidden @ spec.template.cliques']);
    expect(celIssues({ spec: { template } }, schema, { value: { spec: { template } } }, '')).toEqual([]);
  });
});

describe('generated CRD modules (scripts/gen-crd-schemas.ts)', () => {
  test('both API levels are compiled in, each with the PodCliqueSet CRD and its scale subresource', () => {
    for (const level of ['pinned', 'next'] as const) {
      const pcs = groveCrdVersion(level, 'grove.io/v1alpha1', 'PodCliqueSet');
      expect(pcs?.version.subresources.scale?.specReplicasPath).toBe('.spec.replicas');
    }
    expect(groveCrds('next').map(c => c.kind)).toContain('PodGangMap');
    expect(groveCrds('pinned').map(c => c.kind)).not.toContain('PodGangMap');
  });

  describeWithReference('regenerable from the CRD files', () => {
    test.each(['pinned', 'next'] as const)('%s: the committed module is what the generator writes', level => {
      expect(fs.readFileSync(modulePath(level), 'utf8')).toBe(generateModule(level));
    });
  });
});

import { GroveValidationError } from '../../lib/errors';
import { findCrdVersion, formatSchemaIssue, schemaIssuesToProblems, SchemaIssue, validateAgainstCrd, validateObjectMeta } from '../../lib/schema';

function pairs(issues: readonly SchemaIssue[]): [string, string][] {
  return issues.map(i => [i.type, i.field]);
}

/** A tiny CRD in the shape controller-gen emits. */
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.io' },
  spec: {
    group: 'example.io',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', format: 'int32', minimum: 0 } },
                required: ['size'],
              },
            },
            required: ['spec'],
          },
        },
      },
      {
        name: 'v0',
        served: false,
        storage: false,
        schema: { openAPIV3Schema: { type: 'object' } },
      },
    ],
  },
};

function widget(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 1 }, ...overrides };
}

describe('validateAgainstCrd', () => {
  test('a valid object has no issues; metadata is not subject to the schema\'s {type: object}', () => {
    // GIVEN metadata fields that the schema does not declare
    const obj = widget({ metadata: { name: 'w1', labels: { app: 'x' }, annotations: { 'example.io/note': 'hi' } } });
    // THEN
    expect(validateAgainstCrd(obj, WIDGET_CRD)).toEqual([]);
  });

  test('schema violations carry resource-relative paths', () => {
    expect(pairs(validateAgainstCrd(widget({ spec: { size: -1, colour: 'red' } }), WIDGET_CRD))).toEqual([
      ['Invalid', 'spec.size'],
      ['UnknownField', 'spec.colour'],
    ]);
    expect(pairs(validateAgainstCrd(widget({ spec: undefined }), WIDGET_CRD))).toEqual([['Required', 'spec']]);
  });

  test('fails when apiVersion names another group or an unserved version', () => {
    expect(pairs(validateAgainstCrd(widget({ apiVersion: 'other.io/v1' }), WIDGET_CRD))).toEqual([['NotSupported', 'apiVersion']]);
    const issues = validateAgainstCrd(widget({ apiVersion: 'example.io/v0' }), WIDGET_CRD);
    expect(pairs(issues)).toEqual([['NotSupported', 'apiVersion']]);
    expect(issues[0].detail).toContain('"example.io/v1"');
    expect(pairs(validateAgainstCrd(widget({ apiVersion: undefined }), WIDGET_CRD))).toEqual([['Required', 'apiVersion']]);
    expect(pairs(validateAgainstCrd(widget({ apiVersion: 1 }), WIDGET_CRD))).toEqual([['TypeInvalid', 'apiVersion']]);
  });

  test('fails when kind does not match', () => {
    expect(pairs(validateAgainstCrd(widget({ kind: 'Gadget' }), WIDGET_CRD))).toEqual([['Invalid', 'kind']]);
    expect(pairs(validateAgainstCrd(widget({ kind: undefined }), WIDGET_CRD))).toEqual([['Required', 'kind']]);
  });

  test('fails when metadata has no name, a bad name or an unknown field', () => {
    expect(pairs(validateAgainstCrd(widget({ metadata: {} }), WIDGET_CRD))).toEqual([['Required', 'metadata.name']]);
    expect(pairs(validateAgainstCrd(widget({ metadata: undefined }), WIDGET_CRD))).toEqual([['Required', 'metadata.name']]);
    expect(pairs(validateAgainstCrd(widget({ metadata: { generateName: 'w-' } }), WIDGET_CRD))).toEqual([]);
    expect(pairs(validateAgainstCrd(widget({ metadata: { name: 'W_1' } }), WIDGET_CRD))).toEqual([['Invalid', 'metadata.name']]);
    expect(pairs(validateAgainstCrd(widget({ metadata: { name: 'w', lables: {} } }), WIDGET_CRD))).toEqual([['UnknownField', 'metadata.lables']]);
  });

  test('garbage objects and garbage CRDs produce issues, never exceptions', () => {
    expect(pairs(validateAgainstCrd(null, WIDGET_CRD))).toEqual([['TypeInvalid', '']]);
    expect(pairs(validateAgainstCrd('Widget', WIDGET_CRD))).toEqual([['TypeInvalid', '']]);
    expect(pairs(validateAgainstCrd(widget(), undefined))).toEqual([['InternalError', '']]);
    expect(pairs(validateAgainstCrd(widget(), { spec: { group: 'example.io', versions: 'v1' } }))).toEqual([['InternalError', '']]);
    // a CRD version without a schema: only the resource envelope is checked
    const noSchema = { spec: { group: 'example.io', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true }] } };
    expect(validateAgainstCrd(widget({ spec: 'anything' }), noSchema)).toEqual([]);
  });
});

describe('findCrdVersion', () => {
  test('returns the served version and its schema', () => {
    const v = findCrdVersion(WIDGET_CRD, 'example.io/v1');
    expect(v).toMatchObject({ group: 'example.io', version: 'v1', kind: 'Widget', scope: 'Namespaced' });
    expect(v?.schema?.type).toBe('object');
  });

  test('returns undefined for unserved versions, other groups, malformed apiVersions and CRDs', () => {
    expect(findCrdVersion(WIDGET_CRD, 'example.io/v0')).toBeUndefined();
    expect(findCrdVersion(WIDGET_CRD, 'other.io/v1')).toBeUndefined();
    expect(findCrdVersion(WIDGET_CRD, 'v1')).toBeUndefined();
    expect(findCrdVersion(42, 'example.io/v1')).toBeUndefined();
  });
});

describe('validateObjectMeta', () => {
  function meta(value: unknown, requireName = true): [string, string][] {
    const issues: SchemaIssue[] = [];
    validateObjectMeta(value, 'metadata', issues, { requireName });
    return pairs(issues);
  }

  test('checks field types', () => {
    expect(meta({ name: 'a', generation: 'one', labels: { a: 1 }, finalizers: 'x' })).toEqual([
      ['TypeInvalid', 'metadata.generation'],
      ['TypeInvalid', 'metadata.labels[a]'],
      ['TypeInvalid', 'metadata.finalizers'],
    ]);
    expect(meta('name')).toEqual([['TypeInvalid', 'metadata']]);
  });

  test('accepts creationTimestamp: null as client tools print it', () => {
    expect(meta({ name: 'a', creationTimestamp: null })).toEqual([]);
  });

  test('checks label keys and values and annotation keys', () => {
    expect(meta({ name: 'a', labels: { 'kai.scheduler/queue': 'q', 'app.kubernetes.io/name': '' } })).toEqual([]);
    expect(meta({ name: 'a', labels: { 'a/b/c': 'x' } })).toEqual([['Invalid', 'metadata.labels[a/b/c]']]);
    expect(meta({ name: 'a', labels: { ok: 'has space' } })).toEqual([['Invalid', 'metadata.labels[ok]']]);
    expect(meta({ name: 'a', labels: { ok: 'x'.repeat(64) } })).toEqual([['Invalid', 'metadata.labels[ok]']]);
    expect(meta({ name: 'a', annotations: { 'Grove.IO/Mixed-Case': 'fine', '-bad': 'x' } })).toEqual([['Invalid', 'metadata.annotations[-bad]']]);
  });

  test('checks the total annotation size', () => {
    expect(meta({ name: 'a', annotations: { big: 'x'.repeat(256 * 1024) } })).toEqual([['TooLong', 'metadata.annotations']]);
  });

  test('checks name and namespace syntax; name is optional for embedded resources', () => {
    expect(meta({ name: 'a'.repeat(254) })).toEqual([['Invalid', 'metadata.name']]);
    expect(meta({ name: 'a', namespace: 'Bad.NS' })).toEqual([['Invalid', 'metadata.namespace']]);
    expect(meta({}, false)).toEqual([]);
    expect(meta({}, true)).toEqual([['Required', 'metadata.name']]);
  });
});

describe('formatting', () => {
  const issues: SchemaIssue[] = [
    { field: 'spec.size', type: 'Invalid', detail: 'should be greater than or equal to 0, got -1' },
    { field: 'spec.colour', type: 'UnknownField', detail: 'field not declared in schema; the API server would drop it' },
    { field: '', type: 'TypeInvalid', detail: 'a resource must be of type object, got null' },
  ];

  test('formatSchemaIssue uses the reference notation', () => {
    expect(issues.map(formatSchemaIssue)).toEqual([
      'Invalid @ spec.size: should be greater than or equal to 0, got -1',
      'UnknownField @ spec.colour: field not declared in schema; the API server would drop it',
      'TypeInvalid @ <root>: a resource must be of type object, got null',
    ]);
  });

  test('schemaIssuesToProblems feeds GroveValidationError', () => {
    const problems = schemaIssuesToProblems(issues, 'app/llm');
    expect(problems[0]).toEqual({ constructPath: 'app/llm', field: 'spec.size', message: 'should be greater than or equal to 0, got -1 (Invalid)' });
    expect(problems[1].fix).toMatch(/remove the field/);
    expect(new GroveValidationError(problems).message).toContain('[app/llm] spec.colour: field not declared in schema');
  });
});

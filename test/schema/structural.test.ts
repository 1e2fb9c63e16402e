import { SchemaIssue, validateStructural } from '../../lib/schema';

/** `[type, field]` pairs, for compact assertions. */
function pairs(issues: readonly SchemaIssue[]): [string, string][] {
  return issues.map(i => [i.type, i.field]);
}

function obj(properties: Record<string, object>, extra: Record<string, unknown> = {}): object {
  return { type: 'object', properties, ...extra };
}

describe('type', () => {
  test.each([
    ['object', {}, []],
    ['object', [], ['TypeInvalid']],
    ['array', [1], []],
    ['array', {}, ['TypeInvalid']],
    ['string', 'a', []],
    ['string', 1, ['TypeInvalid']],
    ['integer', 3, []],
    ['integer', 1.5, ['TypeInvalid']],
    ['integer', '3', ['TypeInvalid']],
    ['number', 1.5, []],
    ['number', '1.5', ['TypeInvalid']],
    ['boolean', false, []],
    ['boolean', 'false', ['TypeInvalid']],
  ] as [string, unknown, string[]][])('%s accepts/rejects %j', (type, value, expected) => {
    // WHEN
    const issues = validateStructural(value, { type });
    // THEN
    expect(issues.map(i => i.type)).toEqual(expected);
  });

  test('the detail is the API server\'s (kube-openapi pkg/validation/errors): path, expected and actual type', () => {
    expect(validateStructural('3', { type: 'integer' })[0].detail).toBe('body in body must be of type integer: "string"');
    expect(validateStructural({ a: '3' }, obj({ a: { type: 'integer' } }))[0].detail).toBe('a in body must be of type integer: "string"');
  });

  test('non-finite numbers are invalid', () => {
    expect(pairs(validateStructural(Number.NaN, { type: 'number' }))).toEqual([['TypeInvalid', '']]);
    expect(pairs(validateStructural(Infinity, { type: 'number' }))).toEqual([['TypeInvalid', '']]);
  });

  test('a wrong type stops the walk below it', () => {
    const schema = obj({ a: obj({ b: { type: 'string' } }, { required: ['b'] }) });
    expect(pairs(validateStructural({ a: 'x' }, schema))).toEqual([['TypeInvalid', 'a']]);
  });
});

// kube-openapi (pkg/validation/validate) reports a value outside format int32/int64 as a type error.
describe('format', () => {
  test('int32 range', () => {
    const schema = { type: 'integer', format: 'int32' };
    expect(validateStructural(2147483647, schema)).toEqual([]);
    expect(validateStructural(-2147483648, schema)).toEqual([]);
    expect(pairs(validateStructural(2147483648, schema))).toEqual([['TypeInvalid', '']]);
    expect(pairs(validateStructural(-2147483649, schema))).toEqual([['TypeInvalid', '']]);
  });

  test('int64 range', () => {
    const schema = { type: 'integer', format: 'int64' };
    expect(validateStructural(2 ** 62, schema)).toEqual([]);
    expect(pairs(validateStructural(2 ** 63, schema))).toEqual([['TypeInvalid', '']]);
    expect(pairs(validateStructural(-(2 ** 64), schema))).toEqual([['TypeInvalid', '']]);
  });
});

describe('nullable', () => {
  const schema = obj({
    n: { type: 'string', nullable: true },
    s: { type: 'string' },
    r: { type: 'string' },
    d: { type: 'string', default: 'x' },
    list: { type: 'array', items: { type: 'string' } },
  }, { required: ['r', 'd'] });

  test('null is accepted for a nullable field', () => {
    expect(validateStructural({ n: null, r: 'x' }, schema)).toEqual([]);
  });

  test('null in an optional non-nullable field is pruned, not reported', () => {
    expect(validateStructural({ s: null, r: 'x' }, schema)).toEqual([]);
  });

  test('null in a required non-nullable field is reported as missing', () => {
    expect(pairs(validateStructural({ r: null }, schema))).toEqual([['Required', 'r']]);
  });

  test('null in a required field with a default is defaulted', () => {
    expect(validateStructural({ r: 'x', d: null }, schema)).toEqual([]);
  });

  test('null list items and a null root are type errors', () => {
    expect(pairs(validateStructural({ r: 'x', list: ['a', null] }, schema))).toEqual([['TypeInvalid', 'list[1]']]);
    expect(pairs(validateStructural(null, schema))).toEqual([['TypeInvalid', '']]);
  });
});

describe('required', () => {
  const schema = obj({ spec: obj({ a: { type: 'string' }, b: { type: 'string', default: 'x' } }, { required: ['a', 'b'] }) }, { required: ['spec'] });

  test('missing keys are reported with their full path', () => {
    expect(pairs(validateStructural({}, schema))).toEqual([['Required', 'spec']]);
    expect(pairs(validateStructural({ spec: {} }, schema))).toEqual([['Required', 'spec.a']]);
  });

  test('a key holding undefined counts as missing', () => {
    expect(pairs(validateStructural({ spec: { a: undefined } }, schema))).toEqual([['Required', 'spec.a']]);
  });

  test('a missing key with a default is not reported (the API server defaults it)', () => {
    expect(validateStructural({ spec: { a: 'x' } }, schema)).toEqual([]);
  });

  test('an empty string satisfies required', () => {
    expect(validateStructural({ spec: { a: '' } }, schema)).toEqual([]);
  });
});

describe('properties and unknown fields', () => {
  const schema = obj({ spec: obj({ replicas: { type: 'integer' } }) });

  test('nested values are validated with dotted paths', () => {
    expect(pairs(validateStructural({ spec: { replicas: 'x' } }, schema))).toEqual([['TypeInvalid', 'spec.replicas']]);
  });

  test('an undeclared field is an UnknownField issue', () => {
    const issues = validateStructural({ spec: { replicas: 1, replicaz: 2 } }, schema);
    expect(pairs(issues)).toEqual([['UnknownField', 'spec.replicaz']]);
    expect(issues[0].detail).toMatch(/would drop it/);
  });

  test('x-kubernetes-preserve-unknown-fields allows undeclared fields but still checks declared ones', () => {
    const open = obj({ a: { type: 'integer' } }, { 'x-kubernetes-preserve-unknown-fields': true });
    expect(validateStructural({ a: 1, whatever: { deep: true } }, open)).toEqual([]);
    expect(pairs(validateStructural({ a: 'x' }, open))).toEqual([['TypeInvalid', 'a']]);
  });

  test('additionalProperties: true allows any key', () => {
    expect(validateStructural({ x: 1, y: 'z' }, { type: 'object', additionalProperties: true })).toEqual([]);
  });

  test('keys of the object prototype are not mistaken for declared properties', () => {
    expect(pairs(validateStructural({ constructor: 1 }, schema))).toEqual([['UnknownField', 'constructor']]);
  });
});

describe('additionalProperties schema (maps)', () => {
  const schema = obj({ limits: { type: 'object', additionalProperties: { type: 'string', pattern: '^[0-9]+$' } } });

  test('values are validated and paths use bracketed keys', () => {
    expect(validateStructural({ limits: { 'nvidia.com/gpu': '8' } }, schema)).toEqual([]);
    expect(pairs(validateStructural({ limits: { 'nvidia.com/gpu': 8 } }, schema))).toEqual([['TypeInvalid', 'limits[nvidia.com/gpu]']]);
    expect(pairs(validateStructural({ limits: { cpu: 'x' } }, schema))).toEqual([['Invalid', 'limits[cpu]']]);
  });
});

describe('items', () => {
  test('each item is validated with an indexed path', () => {
    const schema = { type: 'array', items: obj({ name: { type: 'string' } }, { required: ['name'] }) };
    expect(pairs(validateStructural([{ name: 'a' }, {}, { name: 3 }], schema))).toEqual([
      ['Required', '[1].name'],
      ['TypeInvalid', '[2].name'],
    ]);
  });
});

describe('enum', () => {
  test('a value outside the enum is NotSupported and the detail lists the allowed values', () => {
    const schema = { type: 'string', enum: ['RollingRecreate', 'OnDelete'] };
    expect(validateStructural('OnDelete', schema)).toEqual([]);
    const issues = validateStructural('Recreate', schema);
    expect(pairs(issues)).toEqual([['NotSupported', '']]);
    expect(issues[0].detail).toBe('Unsupported value: "Recreate": supported values: "RollingRecreate", "OnDelete"');
  });
});

describe('string keywords', () => {
  test('pattern', () => {
    const schema = { type: 'string', pattern: '^[a-z][a-z0-9-]*$' };
    expect(validateStructural('rack', schema)).toEqual([]);
    expect(pairs(validateStructural('Rack', schema))).toEqual([['Invalid', '']]);
  });

  test('minLength and maxLength count characters, not UTF-16 units', () => {
    const schema = { type: 'string', minLength: 2, maxLength: 3 };
    expect(validateStructural('ab', schema)).toEqual([]);
    expect(validateStructural('😀😀😀', schema)).toEqual([]);
    expect(pairs(validateStructural('a', schema))).toEqual([['Invalid', '']]);
    expect(pairs(validateStructural('abcd', schema))).toEqual([['TooLong', '']]);
  });

  test('string keywords do not apply to other types', () => {
    expect(validateStructural(5, { pattern: '^x$', minLength: 3, 'x-kubernetes-int-or-string': true })).toEqual([]);
  });

  test('an uncompilable pattern is reported, not thrown', () => {
    expect(pairs(validateStructural('a', { type: 'string', pattern: '(' }))).toEqual([['InternalError', '']]);
  });
});

describe('number keywords', () => {
  test('minimum and maximum', () => {
    const schema = { type: 'integer', minimum: 0, maximum: 10 };
    expect(validateStructural(0, schema)).toEqual([]);
    expect(validateStructural(10, schema)).toEqual([]);
    expect(pairs(validateStructural(-1, schema))).toEqual([['Invalid', '']]);
    expect(pairs(validateStructural(11, schema))).toEqual([['Invalid', '']]);
  });

  test('exclusive bounds', () => {
    const schema = { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true };
    expect(validateStructural(0.5, schema)).toEqual([]);
    expect(pairs(validateStructural(0, schema))).toEqual([['Invalid', '']]);
    expect(pairs(validateStructural(1, schema))).toEqual([['Invalid', '']]);
  });

  test('multipleOf', () => {
    expect(validateStructural(6, { type: 'integer', multipleOf: 3 })).toEqual([]);
    expect(pairs(validateStructural(7, { type: 'integer', multipleOf: 3 }))).toEqual([['Invalid', '']]);
  });
});

describe('array keywords', () => {
  test('minItems and maxItems', () => {
    const schema = { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 };
    expect(validateStructural(['a'], schema)).toEqual([]);
    expect(pairs(validateStructural([], schema))).toEqual([['Invalid', '']]);
    expect(pairs(validateStructural(['a', 'b', 'c'], schema))).toEqual([['TooMany', '']]);
  });
});

describe('object size keywords', () => {
  test('minProperties and maxProperties', () => {
    const schema = { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1, maxProperties: 1 };
    expect(validateStructural({ a: 'x' }, schema)).toEqual([]);
    expect(pairs(validateStructural({}, schema))).toEqual([['Invalid', '']]);
    expect(pairs(validateStructural({ a: 'x', b: 'y' }, schema))).toEqual([['TooMany', '']]);
  });
});

describe('x-kubernetes-int-or-string', () => {
  const quantity = {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: '^[0-9]+(m|Ki|Mi|Gi)?$',
    'x-kubernetes-int-or-string': true,
  };

  test.each([
    [8, []],
    ['8', []],
    ['500m', []],
    ['lots', ['Invalid']],
    [1.5, ['TypeInvalid']],
    [true, ['TypeInvalid']],
    [{}, ['TypeInvalid']],
  ] as [unknown, string[]][])('%j -> %j', (value, expected) => {
    expect(validateStructural(value, quantity).map(i => i.type)).toEqual(expected);
  });
});

describe('x-kubernetes-embedded-resource', () => {
  const schema = obj({
    template: {
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      properties: { spec: obj({ x: { type: 'string' } }) },
    },
  });

  test('apiVersion, kind and metadata are implicit, and apiVersion/kind are required', () => {
    expect(validateStructural({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { x: 'y' } } }, schema)).toEqual([]);
    expect(pairs(validateStructural({ template: { spec: {} } }, schema))).toEqual([
      ['Required', 'template.apiVersion'],
      ['Required', 'template.kind'],
    ]);
  });

  test('the embedded metadata is checked as ObjectMeta, without requiring a name', () => {
    const issues = validateStructural({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { 'bad key!': 'v' }, nope: 1 } } }, schema);
    expect(pairs(issues)).toEqual([
      ['UnknownField', 'template.metadata.nope'],
      ['Invalid', 'template.metadata.labels[bad key!]'],
    ]);
  });
});

describe('x-kubernetes-list-type', () => {
  const mapList = {
    type: 'array',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    items: obj({ name: { type: 'string' }, value: { type: 'string' } }, { required: ['name'] }),
  };

  test('map: duplicate keys are Duplicate at the later index', () => {
    expect(validateStructural([{ name: 'a' }, { name: 'b' }], mapList)).toEqual([]);
    const issues = validateStructural([{ name: 'a' }, { name: 'b', value: '1' }, { name: 'a', value: '2' }], mapList);
    expect(pairs(issues)).toEqual([['Duplicate', '[2]']]);
    // listtype/validation.go: field.Duplicate(path[i], {keyField: value})
    expect(issues[0].detail).toBe('Duplicate value: {"name":"a"}');
  });

  test('map: several keys form one composite key, and missing keys take their default', () => {
    const ports = {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      items: obj({ containerPort: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } }, { required: ['containerPort'] }),
    };
    expect(validateStructural([{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }], ports)).toEqual([]);
    expect(pairs(validateStructural([{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }], ports))).toEqual([['Duplicate', '[1]']]);
  });

  test('set: duplicate items are Duplicate', () => {
    const set = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
    expect(validateStructural(['a', 'b'], set)).toEqual([]);
    expect(pairs(validateStructural(['a', 'b', 'a'], set))).toEqual([['Duplicate', '[2]']]);
  });

  test('atomic lists may repeat items', () => {
    expect(validateStructural(['a', 'a'], { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } })).toEqual([]);
  });
});

describe('junctors', () => {
  test('allOf: every branch applies, and branches do not declare fields', () => {
    const schema = { type: 'object', additionalProperties: true, allOf: [{ required: ['a'] }, { properties: { a: { maxLength: 2 } } }] };
    expect(validateStructural({ a: 'xy', b: 1 }, schema)).toEqual([]);
    expect(pairs(validateStructural({ a: 'xyz' }, schema))).toEqual([['TooLong', 'a']]);
    expect(pairs(validateStructural({}, schema))).toEqual([['Required', 'a']]);
  });

  test('anyOf: at least one branch must pass', () => {
    const schema = { type: 'integer', anyOf: [{ minimum: 10 }, { maximum: 0 }] };
    expect(validateStructural(11, schema)).toEqual([]);
    expect(pairs(validateStructural(5, schema))).toEqual([['Invalid', '']]);
  });

  test('oneOf: exactly one branch must pass', () => {
    const schema = { type: 'integer', oneOf: [{ minimum: 5 }, { maximum: 10 }] };
    expect(validateStructural(11, schema)).toEqual([]);
    expect(pairs(validateStructural(7, schema))).toEqual([['Invalid', '']]);
  });

  test('not: the branch must fail', () => {
    const schema = { type: 'string', not: { enum: ['forbidden'] } };
    expect(validateStructural('ok', schema)).toEqual([]);
    expect(pairs(validateStructural('forbidden', schema))).toEqual([['Invalid', '']]);
  });
});

describe('CEL', () => {
  test('x-kubernetes-validations are not evaluated (the admission port covers them)', () => {
    const schema = obj({ a: { type: 'string' } }, { 'x-kubernetes-validations': [{ rule: 'has(self.a)', message: 'a is required' }] });
    expect(validateStructural({}, schema)).toEqual([]);
  });
});

describe('path prefix', () => {
  test('the optional path prefixes every field', () => {
    expect(pairs(validateStructural({ x: 1 }, obj({}), 'spec.template'))).toEqual([['UnknownField', 'spec.template.x']]);
    expect(pairs(validateStructural('x', { type: 'integer' }, 'spec.replicas'))).toEqual([['TypeInvalid', 'spec.replicas']]);
  });
});

describe('garbage input', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const cyclicSchema: Record<string, unknown> = { type: 'object' };
  cyclicSchema.additionalProperties = cyclicSchema;

  test.each([
    ['undefined value', undefined, { type: 'object' }],
    ['symbol', Symbol('x'), { type: 'string' }],
    ['function', () => 1, { type: 'object' }],
    ['bigint', BigInt(1), { type: 'integer' }],
    ['cyclic value', cyclic, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} }],
    ['cyclic value against cyclic schema', cyclic, cyclicSchema],
    ['cyclic set items', [cyclic, cyclic], { type: 'array', 'x-kubernetes-list-type': 'set' }],
    ['garbage schema', { a: 1 }, { type: 5, properties: 'x', items: 3, required: 'a', enum: 'b', pattern: 7, anyOf: {}, 'x-kubernetes-list-map-keys': 9 }],
    ['garbage nested schemas', [1, { b: 2 }], { type: 'array', items: { properties: { b: null }, required: [null, 3] }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['b'] }],
    ['null schema', 1, null as unknown as object],
    ['array schema', 1, [] as unknown as object],
  ] as [string, unknown, object][])('%s does not throw', (_name, value, schema) => {
    expect(() => validateStructural(value, schema)).not.toThrow();
    expect(Array.isArray(validateStructural(value, schema))).toBe(true);
  });

  test('very deep nesting of a cyclic schema is cut off with an issue', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) {
      deep = { a: deep };
    }
    const schema: Record<string, unknown> = { type: 'object' };
    schema.properties = { a: schema };
    const issues = validateStructural(deep, schema);
    expect(issues.some(i => i.detail.includes('nesting deeper'))).toBe(true);
  });

  test('a value 10,000 levels deep under preserve-unknown-fields is accepted without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10000; i++) {
      deep = { a: [deep] };
    }
    expect(validateStructural({ x: deep }, obj({ x: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }))).toEqual([]);
  });

  test('a throwing getter becomes an InternalError issue', () => {
    const evil = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(pairs(validateStructural(evil, { type: 'object', additionalProperties: true }))).toEqual([['InternalError', '']]);
  });
});

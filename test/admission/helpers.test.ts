/**
 * The Go and Kubernetes helpers the port relies on: durations, name/label validation messages, field paths,
 * semantic equality.
 */
import { formatGoDuration, parseGoDuration } from '../../lib/admission/duration';
import { FieldPath } from '../../lib/admission/field-path';
import { goQuote, semanticEqual } from '../../lib/admission/json';
import { isDNS1123Label, isEnvVarName, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from '../../lib/admission/k8s-validation';

describe('Go durations', () => {
  test.each([
    ['4h', '4h0m0s'], ['90m', '1h30m0s'], ['1.5h', '1h30m0s'], ['30s', '30s'], ['1m0.5s', '1m0.5s'], ['300ms', '300ms'],
    ['1500us', '1.5ms'], ['1\u00b5s', '1\u00b5s'], ['42ns', '42ns'], ['0', '0s'], ['-2h', '-2h0m0s'], ['+5m', '5m0s'], ['1h1m1s1ms', '1h1m1.001s'],
    ['.5s', '500ms'], ['1.s', '1s'],
  ])('%s is stored as %s', (input, stored) => {
    const parsed = parseGoDuration(input);
    expect(parsed.ok && formatGoDuration(parsed.nanos)).toBe(stored);
  });

  test.each([
    ['', 'time: invalid duration ""'],
    ['4', 'time: missing unit in duration "4"'],
    ['4d', 'time: unknown unit "d" in duration "4d"'],
    ['h', 'time: invalid duration "h"'],
    ['.s', 'time: invalid duration ".s"'],
    ['9999999999999h', 'time: invalid duration "9999999999999h"'],
  ])('%j does not parse: %s', (input, error) => {
    expect(parseGoDuration(input)).toEqual({ ok: false, error });
  });
});

describe('Kubernetes name validation messages', () => {
  test('DNS-1123 label', () => {
    expect(isDNS1123Label('my-name')).toEqual([]);
    expect(isDNS1123Label('-x')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });

  test('DNS-1123 subdomain, with a trailing dash allowed for generateName', () => {
    expect(nameIsDNSSubdomain('a.b-c', false)).toEqual([]);
    expect(nameIsDNSSubdomain('abc-', false)).toHaveLength(1);
    expect(nameIsDNSSubdomain('abc-', true)).toEqual([]);
  });

  test('qualified names and label values', () => {
    expect(isQualifiedName('example.com/name')).toEqual([]);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('Bad_Prefix/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('x/')).toEqual(['name part must be non-empty', expect.stringMatching(/^name part must consist of/)]);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('-x')[0]).toMatch(/^a valid label must be an empty string or consist of/);
  });

  test('environment variable names', () => {
    expect(isEnvVarName('MY.VAR-1')).toEqual([]);
    expect(isEnvVarName('.')).toEqual(["must not be '.'"]);
    expect(isEnvVarName('')).toHaveLength(1);
  });
});

describe('small helpers', () => {
  test('field paths render as Kubernetes does', () => {
    expect(FieldPath.of('spec', 'template').child('cliques').index(0).child('annotations', 'grove.io/mnnvl-group').toString())
      .toBe('spec.template.cliques[0].annotations.grove.io/mnnvl-group');
    expect(FieldPath.of('metadata', 'annotations').key('a/b').toString()).toBe('metadata.annotations[a/b]');
  });

  test('Go %q quoting', () => {
    expect(goQuote('a"b\n')).toBe('"a\\"b\\n"');
  });

  test('semantic equality: nil and empty collections are equal, pointers and zero values are not', () => {
    expect(semanticEqual(undefined, [])).toBe(true);
    expect(semanticEqual({ a: [] }, {})).toBe(true);
    expect(semanticEqual(undefined, 0)).toBe(false);
    expect(semanticEqual([1, 2], [2, 1])).toBe(false);
  });
});

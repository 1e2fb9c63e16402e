import { OptionSpec, UsageError, formatHelp, parseArgs } from '../../lib/cli/args';

const SPECS: OptionSpec[] = [
  { name: 'format', short: 'f', kind: 'value', choices: ['text', 'json'], description: 'format' },
  { name: 'strict', kind: 'flag', description: 'strict' },
  { name: 'pool', kind: 'list', valueName: 'SKU=N', description: 'a pool' },
];

test('values, flags, lists and positionals, in any order', () => {
  const a = parseArgs(['dist', '--pool', 'a=1', '-f', 'json', '--strict', '--pool=b=2', '-', 'x.yaml'], SPECS);
  expect(a.positionals).toEqual(['dist', '-', 'x.yaml']);
  expect(a.values.get('format')).toBe('json');
  expect(a.flags.has('strict')).toBe(true);
  expect(a.lists.get('pool')).toEqual(['a=1', 'b=2']);
});

test('-- ends the options', () => {
  expect(parseArgs(['--', '--strict'], SPECS).positionals).toEqual(['--strict']);
});

test.each([
  [['--nope'], 'unknown option --nope'],
  [['--strictt'], 'unknown option --strictt, did you mean --strict?'],
  [['-x'], 'unknown option -x'],
  [['--format'], 'option --format needs a value (VALUE)'],
  [['--pool', '--strict'], 'option --pool needs a value (SKU=N)'],
  [['--format', 'xml'], 'option --format must be one of text, json, got "xml"'],
  [['--format', 'json', '-f', 'text'], 'option -f given twice'],
  [['--strict=yes'], 'option --strict takes no value, got "yes"'],
])('fails on %j', (argv, message) => {
  expect(() => parseArgs(argv, SPECS)).toThrow(UsageError);
  expect(() => parseArgs(argv, SPECS)).toThrow(message);
});

test('help text aligns the options, marks repeatable ones and lists --grove-api, which every command accepts', () => {
  expect(formatHelp('tool x [options]', 'Does x.', SPECS)).toBe([
    'Usage: tool x [options]',
    '',
    'Does x.',
    '',
    'Options:',
    '  -f, --format VALUE     format',
    '      --strict           strict',
    '      --pool SKU=N       a pool (repeatable)',
    '      --grove-api LEVEL  Grove API level the cluster runs: pinned, or next (Coherent updates, rollingUpdate; default: pinned)',
    '',
  ].join('\n'));
  expect(parseArgs(['--grove-api', 'next'], SPECS).values.get('grove-api')).toBe('next');
});

/**
 * A tiny command-line parser: long options (`--name value`, `--name=value`), a few short aliases, boolean flags,
 * repeatable options and positionals. Anything it cannot make sense of is a `UsageError` (exit status 2).
 */
import type { GroveApiLevel } from '../schema/api-level';

/** Bad usage: unknown option, missing value, wrong number of arguments. The command exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How an option takes values. */
export type OptionKind = 'flag' | 'value' | 'list';

/** One option a subcommand accepts. */
export interface OptionSpec {
  /** Long name without the dashes, e.g. `format`. */
  readonly name: string;
  readonly kind: OptionKind;
  /**
   * One-letter alias, e.g. `o` for `-o`.
   * @default - no alias
   */
  readonly short?: string;
  /**
   * Name of the value in the help text, e.g. `DIR`.
   * @default 'VALUE'
   */
  readonly valueName?: string;
  /**
   * Allowed values, checked while parsing.
   * @default - any value
   */
  readonly choices?: readonly string[];
  /** One-line description for the help text. */
  readonly description: string;
}

/** What `parseArgs` found. */
export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
}

/** The options every subcommand accepts. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', kind: 'flag', description: 'show this help and exit' };

/** The Grove API levels: the pinned commit's, or the next one (GREP-393 Coherent updates, the CRDs of PR #649). */
export const GROVE_API_LEVELS = ['pinned', 'next'] as const;

/** `--grove-api`, which every subcommand accepts (added by `parseArgs` and `formatHelp`). */
export const GROVE_API_OPTION: OptionSpec = {
  name: 'grove-api',
  kind: 'value',
  valueName: 'LEVEL',
  choices: GROVE_API_LEVELS,
  description: 'Grove API level the cluster runs: pinned, or next (Coherent updates, rollingUpdate; default: pinned)',
};

/** The `--grove-api` value (`pinned` unless given). */
export function groveApiOf(args: ParsedArgs): GroveApiLevel {
  return args.values.get(GROVE_API_OPTION.name) === 'next' ? 'next' : 'pinned';
}

function withGroveApi(specs: readonly OptionSpec[]): readonly OptionSpec[] {
  return specs.some(s => s.name === GROVE_API_OPTION.name) ? specs : [...specs, GROVE_API_OPTION];
}

/**
 * Parses `argv` against `specs`. `-` is a positional (stdin); `--` ends the options.
 *
 * @throws UsageError for unknown options, missing values and values outside `choices`
 */
export function parseArgs(argv: readonly string[], commandSpecs: readonly OptionSpec[]): ParsedArgs {
  const specs = withGroveApi(commandSpecs);
  const byName = new Map(specs.map(s => [s.name, s]));
  const byShort = new Map(specs.filter(s => s.short !== undefined).map(s => [s.short as string, s]));
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];

  let i = 0;
  const take = (spec: OptionSpec, inline: string | undefined, shown: string): string => {
    if (inline !== undefined) {
      return inline;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw new UsageError(`option ${shown} needs a value (${spec.valueName ?? 'VALUE'})`);
    }
    i++;
    return next;
  };

  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let shown = arg;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      shown = `--${name}`;
      spec = byName.get(name);
      if (spec === undefined) {
        throw new UsageError(`unknown option ${shown}${suggest(name, [...byName.keys()])}`);
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      spec = byShort.get(arg.slice(1));
      if (spec === undefined) {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else {
      positionals.push(arg);
      continue;
    }

    if (spec.kind === 'flag') {
      if (inline !== undefined) {
        throw new UsageError(`option ${shown} takes no value, got "${inline}"`);
      }
      flags.add(spec.name);
      continue;
    }
    const value = take(spec, inline, shown);
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      throw new UsageError(`option ${shown} must be one of ${spec.choices.join(', ')}, got "${value}"`);
    }
    if (spec.kind === 'value') {
      if (values.has(spec.name)) {
        throw new UsageError(`option ${shown} given twice`);
      }
      values.set(spec.name, value);
    } else {
      lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
    }
  }
  return { flags, values, lists, positionals };
}

/** `, did you mean --x?` when one option name is close to the unknown one. */
function suggest(name: string, known: readonly string[]): string {
  const close = known.filter(k => distance(k, name) <= 2);
  return close.length === 1 ? `, did you mean --${close[0]}?` : '';
}

/** Levenshtein distance (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The help text of a subcommand: usage line, description, options. */
export function formatHelp(usage: string, description: string, commandSpecs: readonly OptionSpec[]): string {
  const rows = withGroveApi(commandSpecs).map(s => {
    const names = `${s.short === undefined ? '    ' : `-${s.short}, `}--${s.name}`;
    const value = s.kind === 'flag' ? '' : ` ${s.valueName ?? 'VALUE'}`;
    const repeat = s.kind === 'list' ? ' (repeatable)' : '';
    return [`${names}${value}`, `${s.description}${repeat}`];
  });
  const width = Math.max(...rows.map(r => r[0].length));
  const options = rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`).join('\n');
  return `Usage: ${usage}\n\n${description.trim()}\n\nOptions:\n${options}\n`;
}

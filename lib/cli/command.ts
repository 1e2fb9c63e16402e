/**
 * What a subcommand is: its name, help and options, and the function that runs it.
 */
import { OptionSpec, ParsedArgs } from './args';
import { Io } from './output';

/** Exit status: nothing wrong. */
export const EXIT_OK = 0;
/** Exit status: the check found something wrong. */
export const EXIT_PROBLEMS = 1;
/** Exit status: bad usage, or the command could not run. */
export const EXIT_USAGE = 2;

/** One subcommand. */
export interface CommandSpec {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage line after `cdk8s-grove`, e.g. `lint [options] PATH...`. */
  readonly usage: string;
  /** Longer help text. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Runs the command; returns the exit status. Throws `UsageError` for bad usage. */
  run(args: ParsedArgs, io: Io): number;
}

/** The `--format` option with the formats a command offers (the first is the default). */
export function formatOption(formats: readonly string[]): OptionSpec {
  return {
    name: 'format',
    short: 'f',
    kind: 'value',
    valueName: 'FORMAT',
    choices: formats,
    description: `output format: ${formats.join(', ')} (default: ${formats[0]})`,
  };
}

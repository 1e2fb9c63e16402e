/**
 * The `cdk8s-grove` command: dispatches to `lint`, `plan`, `graph`, `diff` and `rollout`.
 *
 * Start-up stays fast because nothing here loads cdk8s or the generated `imports/`: only the admission port, the
 * schema validator, the catalog and `yaml` (plus zod when `--config` is given).
 */
import * as fs from 'fs';
import * as path from 'path';
import { HELP_OPTION, UsageError, formatHelp, parseArgs } from './args';
import { CommandSpec, EXIT_OK, EXIT_USAGE } from './command';
import { LINT_COMMAND } from './lint';
import { PLAN_COMMAND } from './plan';
import { DIFF_COMMAND } from './diff';
import { GRAPH_COMMAND } from './graph';
import { ROLLOUT_COMMAND } from './rollout';
import { Io } from './output';
import { packageVersion } from '../private/package-version';

/** Every subcommand, in help order. */
export const COMMANDS: readonly CommandSpec[] = [LINT_COMMAND, PLAN_COMMAND, GRAPH_COMMAND, DIFF_COMMAND, ROLLOUT_COMMAND];

const PROGRAM = 'cdk8s-grove';

/**
 * Ends the process quietly when a reader closes its output (`cdk8s-grove lint dist | head -n 1`): the write
 * fails with EPIPE, reported as an 'error' event that would otherwise end the process with a stack trace. The exit
 * status stays the command's (a closed pipe is the reader's choice, not a failure of the command). Other write
 * errors are reported in one line.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) {
    return;
  }
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      try {
        process.stderr.write(`${PROGRAM}: cannot write the output: ${e.message}\n`);
      } catch {
        // stderr is gone as well
      }
      process.exitCode = EXIT_USAGE;
    }
    process.exit();
  });
}

/** The process as the commands see it. */
export function processIo(): Io {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  return {
    cwd: process.cwd(),
    env: process.env,
    readStdin: () => fs.readFileSync(0, 'utf8'),
    stdout: text => { process.stdout.write(text); },
    stderr: text => { process.stderr.write(text); },
    writeFile: (file, text) => fs.writeFileSync(path.resolve(process.cwd(), file), text),
  };
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length));
  const commands = COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: ${PROGRAM} COMMAND [options] ...

Offline checks for NVIDIA Grove manifests (PodCliqueSet, ClusterTopologyBinding).

Commands:
${commands}

Run "${PROGRAM} COMMAND --help" for the options of a command.
Exit status: 0 clean, 1 something is wrong, 2 bad usage.
`;
}

function version(): string {
  return packageVersion() ?? 'unknown';
}

/**
 * Runs the command line `argv` (without the program name) and returns the exit status: 0 clean, 1 problems found,
 * 2 bad usage or the command could not run.
 */
export function main(argv: readonly string[], io: Io = processIo()): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find(c => c.name === rest[0]) : undefined;
    io.stdout(topic === undefined ? mainHelp() : commandHelp(topic));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${PROGRAM} ${version()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find(c => c.name === name);
  if (command === undefined) {
    io.stderr(`${PROGRAM}: unknown command "${name}"; commands: ${COMMANDS.map(c => c.name).join(', ')}\n`);
    return EXIT_USAGE;
  }
  try {
    const args = parseArgs(rest, command.options);
    if (args.flags.has(HELP_OPTION.name)) {
      io.stdout(commandHelp(command));
      return EXIT_OK;
    }
    return command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM} ${command.name}: ${e.message}\nRun "${PROGRAM} ${command.name} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`${PROGRAM} ${command.name}: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}

function commandHelp(command: CommandSpec): string {
  const summary = `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`;
  return formatHelp(command.usage, `${summary}\n${command.description}`, command.options);
}

/**
 * Runs the `cdk8s-grove` command from the repository root: `cliProcess()` as the real child process
 * (`node bin/cdk8s-grove.js ...`), `cli()` in this process through the same `main()` with the same inputs and
 * environment (fast: most tests use it; every command also has tests through `cliProcess()`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { HAS_REFERENCE, referencePath } from '../support/reference';

export const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-grove.js');

/** Fixture paths relative to the repository root, as a user would type them. */
export const FIXTURES = 'test/cli/fixtures';

/** The pinned Grove CRDs (reference data), or undefined when absent. */
export const CRDS_DIR: string | undefined = HAS_REFERENCE ? referencePath('grove', 'crds') : undefined;

/** Generous: each run starts a Node process that compiles the CLI, and test files run in parallel. */
export const CLI_TIMEOUT_MS = 120_000;

/** What a run printed and returned. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout split into lines, without the trailing empty one. */
  readonly lines: string[];
}

/** Options of a run: what stdin holds and extra environment variables. */
export interface CliOptions {
  readonly input?: string;
  readonly env?: Record<string, string>;
}

/** Runs `cdk8s-grove ...args` in this process, through `main()`; `input` is what stdin holds. */
export function cli(args: readonly string[], options: CliOptions = {}): CliResult {
  let stdout = '';
  let stderr = '';
  const status = main(args, {
    cwd: ROOT,
    env: { ...process.env, GROVE_CRDS_DIR: '', ...options.env },
    readStdin: () => options.input ?? '',
    stdout: text => { stdout += text; },
    stderr: text => { stderr += text; },
    writeFile: (file, text) => fs.writeFileSync(path.resolve(ROOT, file), text),
  });
  return result(status, stdout, stderr);
}

/** Runs the real command, `node bin/cdk8s-grove.js ...args`, as a child process; `input` is written to its stdin. */
export function cliProcess(args: readonly string[], options: CliOptions = {}): CliResult {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, GROVE_CRDS_DIR: '', ...options.env },
    timeout: CLI_TIMEOUT_MS,
  });
  if (run.error !== undefined) {
    throw run.error;
  }
  return result(run.status, run.stdout, run.stderr);
}

function result(status: number | null, stdout: string, stderr: string): CliResult {
  return { status, stdout, stderr, lines: stdout.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '')) };
}

/** `test` when the reference CRDs are present; otherwise a skipped test and a visible message. */
export function testWithCrds(name: string, fn: (crds: string) => void): void {
  if (CRDS_DIR !== undefined) {
    test(name, () => fn(CRDS_DIR as string), CLI_TIMEOUT_MS);
  } else {
    // eslint-disable-next-line no-console
    console.warn(`[skipped] "${name}": the pinned Grove CRDs (reference data) are not present`);
    test.skip(name, () => undefined);
  }
}

/**
 * Runs the real `cdk8s-grove` command (`node bin/cdk8s-grove.js ...`) as a child process, from the repository root.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
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

/** Runs `cdk8s-grove ...args`; `input` is written to its stdin. */
export function cli(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, GROVE_CRDS_DIR: '', ...options.env },
    timeout: CLI_TIMEOUT_MS,
  });
  if (result.error !== undefined) {
    throw result.error;
  }
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    lines: result.stdout.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '')),
  };
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

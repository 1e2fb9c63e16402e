/**
 * The `cdk8s-grove` entry point: help, version, unknown commands, --help on every subcommand, and a clean end when
 * the reader of the output goes away.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMANDS } from '../../lib/cli/main';
import { CLI_TIMEOUT_MS, ROOT, cliProcess as cli } from './support';

jest.setTimeout(CLI_TIMEOUT_MS);

test('--help lists every command and the exit statuses', () => {
  const r = cli(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: cdk8s-grove COMMAND \[options\] \.\.\./);
  for (const name of ['lint', 'plan', 'graph', 'diff']) {
    expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  }
  expect(r.stdout).toContain('Exit status: 0 clean, 1 something is wrong, 2 bad usage.');
});

test('no command is bad usage and prints the help', () => {
  const r = cli([]);
  expect(r.status).toBe(2);
  expect(r.stdout).toMatch(/^Usage: cdk8s-grove COMMAND/);
});

test('an unknown command is bad usage', () => {
  const r = cli(['lnit', 'dist']);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('cdk8s-grove: unknown command "lnit"; commands: lint, plan, graph, diff, rollout\n');
});

test('--version', () => {
  const r = cli(['--version']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^cdk8s-grove \d+\.\d+\.\d+/);
});

test.each(COMMANDS.map(c => c.name))('%s --help, and help %s', name => {
  const r = cli([name, '--help']);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(new RegExp(`^Usage: cdk8s-grove ${name} `));
  expect(r.stdout).toContain('--format FORMAT');
  expect(r.stdout).toContain('-h, --help');
  expect(r.stdout).toMatch(/Exit status: 0 .*, 1 .*, 2 bad usage/);
  expect(cli(['help', name]).stdout).toBe(r.stdout);
});

describe('a closed output pipe', () => {
  const BIN = path.join(ROOT, 'bin', 'cdk8s-grove.js');
  let big: string;

  /** Eight copies of the example apps' manifests: every command below prints tens of kilobytes or more for them. */
  beforeAll(() => {
    big = fs.mkdtempSync(path.join(os.tmpdir(), 'grove-pipe-'));
    const dist = path.join(ROOT, 'dist');
    for (let i = 0; i < 8; i++) {
      for (const f of fs.readdirSync(dist)) {
        fs.copyFileSync(path.join(dist, f), path.join(big, `copy${i}-${f}`));
      }
    }
  });
  afterAll(() => fs.rmSync(big, { recursive: true, force: true }));

  test.each([
    ['lint', []],
    ['lint', ['--format', 'json']],
    ['graph', []],
    ['plan', ['--pool', 'Standard_ND96isr_H100_v5=64']],
  ])('`cdk8s-grove %s DIR %s | head -n 1` prints one line and no stack trace, with the exit status of the command', (command, extra) => {
    const args = [command, big, ...extra];
    const full = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    expect(full.stdout.length).toBeGreaterThan(32 * 1024); // more than `head` reads before it closes the pipe
    const r = spawnSync('bash', ['-c', 'node "$@" | head -n 1; echo "exited ${PIPESTATUS[0]}" >&2', 'bash', BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toBe(`${full.stdout.split('\n')[0]}\n`);
    expect(r.stderr).toBe(`exited ${full.status}\n`);
  });
});

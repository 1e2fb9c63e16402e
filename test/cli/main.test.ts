/**
 * The `cdk8s-grove` entry point: help, version, unknown commands, --help on every subcommand.
 */
import { COMMANDS } from '../../lib/cli/main';
import { CLI_TIMEOUT_MS, cliProcess as cli } from './support';

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

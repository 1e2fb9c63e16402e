import { spawnSync } from 'child_process';
import * as path from 'path';
import { inspect } from 'util';
import { GroveValidationError } from '../lib';

const ROOT = path.join(__dirname, '..');

/** Loads this package's TypeScript sources in a child Node.js through swc, as jest does in this process. */
const SWC_HOOK = `
const swc = require('@swc/core'); const fs = require('fs');
require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
  { filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);
`;

/** Runs a cdk8s app (JavaScript, as a user without TypeScript writes it) that fails, as its own process. */
function runFailingApp(app: string, env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, ['-e', `${SWC_HOOK}\n${app}`], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_GROVE_DEBUG: '', ...env },
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

/** A synth that fails twice, in two constructs (checks that run on the whole tree, at synth). */
const SYNTH_FAILURE = `
const { App, Chart } = require('cdk8s');
const { PodCliqueSet } = require('./lib');
const app = new App();
const pcs = new PodCliqueSet(new Chart(app, 'serving'), 'Service', { metadata: { name: 'llm' } });
pcs.addClique('encoder', {});
pcs.addClique('decoder', {});
app.synth();
`;

describe('GroveValidationError where users see it', () => {
  test('a failed synth prints the problem list once: no stack frames, no dump of problems', () => {
    const run = runFailingApp(SYNTH_FAILURE);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('2 problems found:');
    expect(run.stderr.split('[serving/Service/encoder] containers: a clique needs at least one container').length).toBe(2);
    expect(run.stderr.split('[serving/Service/decoder] containers: ').length).toBe(2);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('problems:');
    expect(run.stderr).not.toContain('constructPath');
  });

  test('a required prop left out by a JavaScript caller names the prop, not a TypeError', () => {
    const run = runFailingApp(`
const { App, Chart } = require('cdk8s');
const { AggregatedLlm } = require('./lib');
new AggregatedLlm(new Chart(new App(), 'c'), 'llm', { model: 'Qwen/Qwen3-0.6B' });
`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[c/llm] worker: AggregatedLlm needs `worker`, which is missing');
    expect(run.stderr).not.toContain('TypeError');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('CDK8S_GROVE_DEBUG=1 brings the stack back', () => {
    const run = runFailingApp(SYNTH_FAILURE, { CDK8S_GROVE_DEBUG: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^\s+at .*validation/m);
    expect(run.stderr).toContain('2 problems found:');
  });

  test('problems stay readable in code, but are not enumerable (util.inspect does not repeat them)', () => {
    const e = new GroveValidationError([{ constructPath: 'a/b', field: 'replicas', message: 'must be positive', value: -1 }]);
    expect(e.problems).toEqual([{ constructPath: 'a/b', field: 'replicas', message: 'must be positive', value: -1 }]);
    expect(Object.keys(e)).not.toContain('problems');
    expect(inspect(e)).not.toContain('constructPath');
    expect(e.message).toBe('[a/b] replicas: must be positive, got -1');
    expect(e).toBeInstanceOf(Error);
  });
});

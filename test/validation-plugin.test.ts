import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GroveLintValidation, ValidationContextLike, ValidationViolation } from '../lib';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'cli', 'fixtures');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

/** A report like cdk8s-cli's, recording what the plugin says. */
function fakeContext(manifests: string[]) {
  const violations: ValidationViolation[] = [];
  const submitted: { status?: string; metadata?: { readonly [key: string]: string } } = {};
  const context: ValidationContextLike = {
    manifests,
    report: {
      addViolation: v => { violations.push(v); },
      submit: (status, metadata) => { submitted.status = status; submitted.metadata = metadata; },
    },
    logger: { log: () => undefined },
  };
  return { context, violations, submitted };
}

describe('GroveLintValidation (in this process)', () => {
  test('a broken manifest: failure, one violation per finding, named after the check', async () => {
    const { context, violations, submitted } = fakeContext([path.join(FIXTURES, 'broken', 'startsafter-cycle.yaml')]);
    await new GroveLintValidation().validate(context);
    expect(submitted.status).toBe('failure');
    expect(Number(submitted.metadata?.errors)).toBeGreaterThan(0);
    const cycle = violations.find(v => v.recommendation.includes('circular'));
    expect(cycle).toMatchObject({ ruleName: 'admission (error)' });
    expect(cycle?.violatingResources[0].manifestPath).toBe(path.join(FIXTURES, 'broken', 'startsafter-cycle.yaml'));
  });

  test('warnings pass, and fail with args: [--strict]', async () => {
    const file = path.join(FIXTURES, 'broken', 'image-latest.yaml');
    const lenient = fakeContext([file]);
    await new GroveLintValidation().validate(lenient.context);
    expect(lenient.submitted.status).toBe('success');
    expect(lenient.violations.map(v => v.ruleName)).toContain('image-tag (warning)');
    const strict = fakeContext([file]);
    await new GroveLintValidation({ args: ['--strict'] }).validate(strict.context);
    expect(strict.submitted.status).toBe('failure');
  });

  test('bad args from cdk8s.yaml: a failed report saying so, or a GroveValidationError for a non-list', async () => {
    const { context, violations, submitted } = fakeContext([path.join(FIXTURES, 'clean', 'topology.yaml')]);
    await new GroveLintValidation({ args: ['--no-such-option'] }).validate(context);
    expect(submitted.status).toBe('failure');
    expect(violations[0].recommendation).toContain('--no-such-option');
    expect(() => new GroveLintValidation({ args: '--strict' as any })).toThrow(/properties\.args: must be a list of strings/);
  });
});

/**
 * Through the real cdk8s CLI (cdk8s-cli's plugin loader, as `cdk8s synth` in a user's app runs it). The app writes
 * a fixture into the output directory, as a synth would; the plugin is a local module that loads this package's
 * sources (the installed package is tested in test/package/consumer.test.ts).
 */
describe('GroveLintValidation under cdk8s synth', () => {
  const CLI_TIMEOUT_MS = 120_000;

  function synth(fixture: string, properties: object = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-validation-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.js'), `const fs = require('fs'); const path = require('path');
fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });
fs.copyFileSync(${JSON.stringify(fixture)}, path.join(process.env.CDK8S_OUTDIR, 'app.k8s.yaml'));\n`);
      fs.writeFileSync(path.join(dir, 'plugin.js'), `const swc = require(${JSON.stringify(require.resolve('@swc/core'))}); const fs = require('fs');
require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
  { filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);
module.exports = require(${JSON.stringify(path.join(ROOT, 'lib', 'validation-plugin.ts'))});\n`);
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
        'language: typescript',
        `app: ${JSON.stringify(`"${process.execPath}" app.js`)}`,
        'output: dist',
        'validations:',
        '  - package: ./plugin.js',
        '    version: 0.1.0',
        '    class: GroveLintValidation',
        `    properties: ${JSON.stringify(properties)}`,
        '',
      ].join('\n'));
      const run = spawnSync(CDK8S, ['synth', '--check-upgrade', 'false'], { cwd: dir, encoding: 'utf8', timeout: CLI_TIMEOUT_MS, env: { ...process.env, GROVE_CRDS_DIR: '' } });
      return { status: run.status, out: `${run.stdout}${run.stderr}` };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('fails the synth on a broken manifest, naming the finding', () => {
    const run = synth(path.join(FIXTURES, 'broken', 'startsafter-cycle.yaml'));
    expect(run.out).toContain('Validation failed');
    expect(run.out).toContain('admission (error)');
    expect(run.out).toContain('circular');
    expect(run.status).toBe(2);
  }, CLI_TIMEOUT_MS);

  test('passes a clean one', () => {
    const run = synth(path.join(FIXTURES, 'clean', 'topology.yaml'), { args: ['--tas', '--kai-queue', 'inference'] });
    expect(run.out).toContain('Validations ended succesfully');
    expect(run.status).toBe(0);
  }, CLI_TIMEOUT_MS);
});

/**
 * The package as a user gets it: `npm pack` (its `prepack` build), the tarball installed from the npm registry into a
 * fresh app laid out like `cdk8s init typescript-app` (the template's own tsconfig, ts-node, the newest cdk8s 2.x and
 * constructs 10.x), and then what a user does with it: synthesize the README's DisaggregatedLlm and AggregatedLlm
 * examples with `cdk8s synth`, type-check the app with its own tsconfig (and with node16 modules), run the installed
 * `cdk8s-grove` command without a TypeScript toolchain, `require` and `import` the package, type-check
 * `cdk8s-grove/infra`, fail and pass a synth with the validation plugin; then, in a second app, the same with the
 * lowest cdk8s and constructs the peer ranges allow.
 *
 * Needs the npm registry, so it runs only with CDK8S_GROVE_PACKAGE_TEST=1 (`npm run test:package`, which `.ci/run`
 * runs after `npm test`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ENABLED = process.env.CDK8S_GROVE_PACKAGE_TEST === '1';
/** The repository's cdk8s CLI runs `cdk8s synth` in the app: a tool, not part of the app's dependency tree. */
const CDK8S_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
/** `cdk8s init typescript-app`'s tsconfig, as cdk8s-cli ships it. */
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');
const TEMPLATE_TSCONFIG = path.join(TEMPLATE, 'tsconfig.json');
/** The template's devDependencies a TypeScript app runs and type-checks with. */
const TEMPLATE_DEV: { [name: string]: string } = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8')).devDependencies;
const STEP_TIMEOUT_MS = 300_000;

/** `1.2.3` -> [1, 2, 3], for ordering release versions. */
const versionKey = (v: string): number[] => v.split(/[.-]/).slice(0, 3).map(Number);
const byVersion = (a: string, b: string): number => {
  const [x, y] = [versionKey(a), versionKey(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const TS_BLOCKS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
function readmeExample(marker: string): string {
  const code = TS_BLOCKS.find(c => c.includes(marker));
  if (code === undefined) throw new Error(`README.md has no TypeScript example with ${marker}`);
  return code;
}

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

function run(cwd: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: STEP_TIMEOUT_MS, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

const npm = (cwd: string, ...args: string[]) => ok(run(cwd, 'npm', [...args, '--no-audit', '--no-fund']), `npm ${args.join(' ')}`);

/** Every installed copy of a package in the app's tree (its package.json directories, relative). */
function copiesOf(appDir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map(e => path.join(entry, e)) : [entry];
      for (const d of dirs) {
        const full = path.join(modules, d);
        if (d === name) found.push(path.relative(appDir, full));
        walk(path.join(full, 'node_modules'));
      }
    }
  };
  walk(path.join(appDir, 'node_modules'));
  return found;
}

function podCliqueSets(dir: string): any[] {
  return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()))
    .filter(o => o?.kind === 'PodCliqueSet');
}

/** A preload that makes loading a TypeScript toolchain fail, to show the bin needs none. */
const NO_TOOLCHAIN = `const Module = require('module'); const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^(typescript|ts-node|@swc\\/core)(\\/|$)/.test(request)) throw new Error('loaded a TypeScript toolchain: ' + request);
  return load.call(this, request, ...rest);
};\n`;

const describeIfEnabled = ENABLED ? describe : describe.skip;
if (!ENABLED) {
  // eslint-disable-next-line no-console
  console.warn('[skipped] the packed-package test needs the npm registry: run it with `npm run test:package`');
}

describeIfEnabled('the npm package in a fresh cdk8s app', () => {
  let work: string;
  let app: string;
  let packed: { files: { path: string }[]; filename: string };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-package-'));
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    // `--ignore-scripts=false`: this repository's .npmrc turns scripts off, which would skip the prepack build.
    const pack = npm(ROOT, 'pack', '--ignore-scripts=false', '--json', '--pack-destination', work);
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];

    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'grove-app', version: '1.0.0', private: true, main: 'main.js' }, null, 2)}\n`);
    fs.copyFileSync(TEMPLATE_TSCONFIG, path.join(app, 'tsconfig.json'));
    fs.writeFileSync(path.join(app, 'tsconfig.node16.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'node16', moduleResolution: 'node16' } }));
    fs.writeFileSync(path.join(app, 'qwen3.ts'), readmeExample('new DisaggregatedLlm(new Chart('));
    fs.writeFileSync(path.join(app, 'llama.ts'), readmeExample('new AggregatedLlm(new Chart('));
    fs.writeFileSync(path.join(app, 'main.ts'), "import './qwen3';\nimport './llama';\n");
    fs.writeFileSync(path.join(app, 'infra.ts'), [
      "import { AksCluster, GpuNodePool, GroveOperator, GroveWorkloads } from 'cdk8s-grove/infra';",
      'export type Components = [AksCluster, GpuNodePool, GroveOperator, GroveWorkloads];',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'no-toolchain.js'), NO_TOOLCHAIN);
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), [
      'language: typescript',
      'app: npx ts-node main.ts',
      'output: dist',
      'validations:',
      '  - package: ./node_modules/cdk8s-grove',
      `    version: ${PKG.version}`,
      '    class: GroveLintValidation',
      '    properties:',
      '      args: [--kai-queue, inference]',
      '',
    ].join('\n'));
    // As `cdk8s init typescript-app` would, with the newest cdk8s 2.x and constructs 10.x; the Pulumi packages are
    // the optional peers `cdk8s-grove/infra` needs.
    npm(app, 'install', path.join(work, packed.filename), 'cdk8s@2', 'constructs@10',
      ...['ts-node', 'typescript', '@types/node'].map(name => `${name}@${TEMPLATE_DEV[name]}`),
      `@pulumi/pulumi@${PKG.devDependencies['@pulumi/pulumi']}`, `@pulumi/kubernetes@${PKG.devDependencies['@pulumi/kubernetes']}`,
      `@pulumi/azure-native@${PKG.devDependencies['@pulumi/azure-native']}`);
  }, 2 * STEP_TIMEOUT_MS);

  afterAll(() => {
    if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the compiled package and nothing of tests, fixtures, benchmarks or CI', () => {
    const files = packed.files.map(f => f.path).sort();
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'bin/cdk8s-grove.js', 'out/lib/index.js', 'out/lib/index.d.ts', 'out/lib/cli/main.js',
      'out/infra/index-lib.js', 'out/infra/index-lib.d.ts', 'schemas/stack-config.schema.json', 'schemas/lint-config.schema.json',
    ]));
    expect(files.filter(f => !/^(package\.json|README\.md|bin\/cdk8s-grove\.js|out\/.*\.(js|d\.ts)|schemas\/.*\.schema\.json)$/.test(f))).toEqual([]);
    expect(files.filter(f => /(^|\/)(test|tests|bench|fixtures|\.ci|dist|__snapshots__)\//.test(f) || /\.test\./.test(f))).toEqual([]);
    expect(files.filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // the Pulumi program (which runs on import) is not shipped, only the components
    expect(files).not.toContain('out/infra/index.js');
  });

  test('one copy of cdk8s and of constructs in the app, the newest 2.x and 10.x', () => {
    expect(copiesOf(app, 'cdk8s')).toEqual([path.join('node_modules', 'cdk8s')]);
    expect(copiesOf(app, 'constructs')).toEqual([path.join('node_modules', 'constructs')]);
    const version = (name: string) => JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect(version('cdk8s')).toMatch(/^2\./);
    expect(version('constructs')).toMatch(/^10\./);
  });

  test("the app type-checks with the template's tsconfig (target ES2017, lib es2016, strict, no skipLibCheck), infra included", () => {
    ok(run(app, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']), 'tsc -p tsconfig.json');
  }, STEP_TIMEOUT_MS);

  test('and with module and moduleResolution node16 (the exports map)', () => {
    ok(run(app, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node16.json']), 'tsc -p tsconfig.node16.json');
  }, STEP_TIMEOUT_MS);

  test('cdk8s synth writes both README examples, and the validation plugin lints them (clean)', () => {
    const r = ok(run(app, CDK8S_CLI, ['synth', '--check-upgrade', 'false']), 'cdk8s synth');
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('Validations ended succesfully');
    expect(out).toContain(`cdk8s-grove`);
    const sets = podCliqueSets(path.join(app, 'dist'));
    expect(sets.map(s => s.metadata.name).sort()).toEqual(['llama-70b', 'qwen3']);
    const llama = sets.find(s => s.metadata.name === 'llama-70b');
    expect(llama.spec.template.podCliqueScalingGroups).toEqual([expect.objectContaining({ name: 'worker', replicas: 2 })]);
  }, STEP_TIMEOUT_MS);

  test('the installed cdk8s-grove command lints the output with no TypeScript toolchain loaded', () => {
    const bin = path.join(app, 'node_modules', '.bin', 'cdk8s-grove');
    expect(fs.existsSync(bin)).toBe(true);
    const r = run(app, process.execPath, ['--require', './no-toolchain.js', bin, 'lint', 'dist', '--kai-queue', 'inference']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^lint: 0 errors, 0 warnings(, \d+ infos)? in 2 objects \(PodCliqueSet 2\) from 2 files/m);
    expect(r.status).toBe(0);
    const sarif = JSON.parse(ok(run(app, bin, ['lint', '--format', 'sarif', 'dist']), 'lint --format sarif').stdout);
    expect(sarif.runs[0].tool.driver).toMatchObject({ name: 'cdk8s-grove', version: PKG.version });
    expect(ok(run(app, bin, ['--version']), '--version').stdout).toBe(`cdk8s-grove ${PKG.version}\n`);
  }, STEP_TIMEOUT_MS);

  test('require() and import: named exports from CommonJS and from an ES module', () => {
    const names = ['DisaggregatedLlm', 'AggregatedLlm', 'PodCliqueSet', 'GroveValidationError', 'admit', 'Scheduler', 'GroveLintValidation', 'catalog', 'imports'];
    const cjs = ok(run(app, process.execPath, ['-e', `const m = require('cdk8s-grove'); console.log(JSON.stringify(${JSON.stringify(names)}.map(n => typeof m[n])))`]), 'require');
    fs.writeFileSync(path.join(app, 'esm.mjs'), `import { ${names.join(', ')} } from 'cdk8s-grove';\nconsole.log(JSON.stringify([${names.join(', ')}].map(v => typeof v)));\n`);
    const esm = ok(run(app, process.execPath, ['esm.mjs']), 'import');
    const expected = ['function', 'function', 'function', 'function', 'function', 'function', 'function', 'object', 'object'];
    expect(JSON.parse(cjs.stdout)).toEqual(expected);
    expect(JSON.parse(esm.stdout)).toEqual(expected);
  }, STEP_TIMEOUT_MS);

  test('the validation plugin fails the synth of a broken manifest', () => {
    // A PodCliqueSet written as a raw ApiObject: the constructs' own checks never see it, the plugin does.
    fs.writeFileSync(path.join(app, 'broken.js'), `const { App, Chart, ApiObject } = require('cdk8s');
const app = new App();
new ApiObject(new Chart(app, 'raw'), 'pcs', { apiVersion: 'grove.io/v1alpha1', kind: 'PodCliqueSet', metadata: { name: 'raw' },
  spec: { replicas: 1, template: { cliques: [{ name: 'worker', spec: { roleName: 'worker', replicas: 1, minAvailable: 2,
    podSpec: { containers: [{ name: 'main', image: 'engine:1.0' }] } } }] } } });
app.synth();\n`);
    const r = run(app, CDK8S_CLI, ['synth', '--check-upgrade', 'false', '--app', `"${process.execPath}" broken.js`, '--output', 'dist-broken']);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('Validation failed');
    expect(out).toContain('admission (error)');
    expect(out).toContain('minAvailable must not be greater than replicas');
    expect(r.status).toBe(2);
  }, STEP_TIMEOUT_MS);

  test('a failed synth (a required prop left out in JavaScript) shows the problem once, with no stack from the app', () => {
    fs.writeFileSync(path.join(app, 'missing.js'), `const { App, Chart } = require('cdk8s');
const { AggregatedLlm } = require('cdk8s-grove');
const app = new App();
new AggregatedLlm(new Chart(app, 'llama'), 'llama-70b', { model: 'RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8' });
app.synth();\n`);
    const r = run(app, CDK8S_CLI, ['synth', '--check-upgrade', 'false', '--app', `"${process.execPath}" missing.js`, '--output', 'dist-missing'], { CDK8S_GROVE_DEBUG: '' });
    expect(r.status).not.toBe(0);
    // what the app printed; cdk8s-cli then adds its own line "Error: command ... returned a non-zero exit code 1" and stack
    const fromApp = r.stderr.slice(0, r.stderr.indexOf('Error: command'));
    expect(fromApp.split('[llama/llama-70b] worker: AggregatedLlm needs `worker`, which is missing').length).toBe(2);
    expect(fromApp).not.toContain('TypeError');
    expect(fromApp).not.toMatch(/^\s+at /m);
    expect(fromApp).not.toContain('problems:');
  }, STEP_TIMEOUT_MS);

  test('the lowest published cdk8s and constructs of the peer ranges, in a fresh app: type-check and the same synth', () => {
    // The peer ranges' floors come from cdk8s-plus-28, a dependency (cdk8s ^2.68.11, constructs ^10.3.0).
    const lowest = (name: string): string => {
      const found = JSON.parse(npm(ROOT, 'view', `${name}@${PKG.peerDependencies[name]}`, 'version', '--json').stdout);
      return (Array.isArray(found) ? found : [found]).filter((v: string) => !v.includes('-')).sort(byVersion)[0];
    };
    const versions = { cdk8s: lowest('cdk8s'), constructs: lowest('constructs') };
    const low = path.join(work, 'app-lowest');
    fs.mkdirSync(low);
    for (const f of ['package.json', 'tsconfig.json', 'main.ts', 'qwen3.ts', 'llama.ts']) fs.copyFileSync(path.join(app, f), path.join(low, f));
    fs.writeFileSync(path.join(low, 'package.json'), `${JSON.stringify({ name: 'grove-app-lowest', version: '1.0.0', private: true }, null, 2)}\n`);
    fs.writeFileSync(path.join(low, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\noutput: dist\n');
    npm(low, 'install', path.join(work, packed.filename), `cdk8s@${versions.cdk8s}`, `constructs@${versions.constructs}`,
      ...['ts-node', 'typescript', '@types/node'].map(name => `${name}@${TEMPLATE_DEV[name]}`));
    const installed = (name: string) => JSON.parse(fs.readFileSync(path.join(low, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect({ cdk8s: installed('cdk8s'), constructs: installed('constructs') }).toEqual(versions);
    expect(copiesOf(low, 'cdk8s')).toEqual([path.join('node_modules', 'cdk8s')]);
    expect(copiesOf(low, 'constructs')).toEqual([path.join('node_modules', 'constructs')]);
    ok(run(low, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']), 'tsc at the lowest versions');
    ok(run(low, CDK8S_CLI, ['synth', '--check-upgrade', 'false']), 'cdk8s synth at the lowest versions');
    expect(podCliqueSets(path.join(low, 'dist'))).toEqual(podCliqueSets(path.join(app, 'dist')));
  }, 2 * STEP_TIMEOUT_MS);
});

/**
 * bin/ts-require.js, the require hook of `npm run synth` and `npm run bench`: it runs the example apps to the
 * committed dist/, and a cached transpilation never outlives a change of its file.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const HOOK = path.join(ROOT, 'bin', 'ts-require.js');

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['-r', HOOK, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

test('the example apps synthesize through the hook to exactly the committed dist/', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grove-hook-'));
  try {
    run(['apps/main.ts'], { CDK8S_OUTDIR: out });
    const files = fs.readdirSync(path.join(ROOT, 'dist')).sort();
    expect(fs.readdirSync(out).sort()).toEqual(files);
    for (const f of files) {
      expect(fs.readFileSync(path.join(out, f), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8'));
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 60_000);

test('a file changed since its last run is transpiled again, and its old transpilation is not used', () => {
  // a TypeScript file inside the repository (only those go through the hook), removed afterwards
  const file = path.join(ROOT, 'test', 'bin', `.hook-probe-${process.pid}.ts`);
  try {
    // values of one length: the file's size alone does not tell the versions apart
    for (const value of ['first', 'other', 'first']) {
      fs.writeFileSync(file, `const value: string = '${value}';\nprocess.stdout.write(value);\n`);
      expect(run([file])).toBe(value);
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}, 60_000);

test('V8 code caches are kept beside the transpilations and a cache V8 rejects is replaced, output unchanged', () => {
  const file = path.join(ROOT, 'test', 'bin', `.hook-cache-probe-${process.pid}.ts`);
  const cacheDir = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-grove-ts');
  const probeCaches = () => fs.readdirSync(cacheDir, { recursive: true }).map(String)
    .filter(f => f.includes(`.hook-cache-probe-${process.pid}.ts`) && f.endsWith('.v8')).map(f => path.join(cacheDir, f));
  try {
    fs.writeFileSync(file, 'export function twice(n: number): number { return 2 * n; }\nprocess.stdout.write(String(twice(21)));\n');
    expect(run([file])).toBe('42'); // transpiles, then writes the code cache at exit
    const [cache] = probeCaches();
    expect(cache).toBeDefined();
    expect(fs.statSync(cache).size).toBeGreaterThan(0);
    fs.writeFileSync(cache, 'not a code cache');
    expect(run([file])).toBe('42'); // V8 rejects it: compiled from source, the cache written again
    expect(fs.readFileSync(cache, 'utf8')).not.toBe('not a code cache');
    expect(run([file])).toBe('42');
  } finally {
    fs.rmSync(file, { force: true });
    for (const f of probeCaches()) fs.rmSync(f, { force: true });
  }
}, 60_000);

test('a hooked file sees require.resolve and require.main, and its errors name the TypeScript file', () => {
  const file = path.join(ROOT, 'test', 'bin', `.hook-require-probe-${process.pid}.ts`);
  try {
    fs.writeFileSync(file, [
      "const yaml = require.resolve('yaml');",
      'process.stdout.write(`${require.main === module} ${yaml.includes("node_modules")} ${typeof require.cache}`);',
      "if (process.argv[2] === 'throw') throw new Error('probe');",
    ].join('\n'));
    expect(run([file])).toBe('true true object');
    const r = spawnSync(process.execPath, ['-r', HOOK, file, 'throw'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${path.basename(file)}:`);
    expect(r.stderr).toContain("Error: probe");
  } finally {
    fs.rmSync(file, { force: true });
  }
}, 60_000);

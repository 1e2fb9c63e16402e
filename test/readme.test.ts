/**
 * The TypeScript examples of README.md run as written (with `cdk8s-grove` resolved to this checkout and the
 * output directory moved to a temporary one), so the documentation cannot drift from the API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const EXAMPLES = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]).filter(code => code.includes("from 'cdk8s-grove'"));

function run(code: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-readme-'));
  const js = ts.transpileModule(code.replace(/new App\(\)/g, `new App({ outdir: ${JSON.stringify(outdir)} })`), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const localRequire = (id: string) => require(id === 'cdk8s-grove' ? '../lib' : id);
  const logs: unknown[] = [];
  new Function('require', 'exports', 'console', js)(localRequire, {}, { log: (...a: unknown[]) => logs.push(a) });
  if (!code.includes('app.synth()')) {
    return;
  }
  const files = fs.readdirSync(outdir);
  expect(files.length).toBeGreaterThan(0);
  const manifests = files.map(f => fs.readFileSync(path.join(outdir, f), 'utf8')).join('\n');
  expect(manifests).toContain('kind: PodCliqueSet');
}

describe('README examples', () => {
  test('there are examples to run', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
  });

  test.each(EXAMPLES.map((code, i) => [i + 1, code]))('example %i synthesizes', (_i, code) => {
    run(code as string);
  });
});

/**
 * Synthesis is deterministic: the example apps synthesize to the same bytes every time, those bytes are the
 * committed dist/ (a stale dist/ fails here), and nothing machine- or time-specific leaks into the output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { addGroveSamples } from '../apps/grove-samples';
import { addLlmApps } from '../apps/llm';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** The example apps exactly as apps/main.ts builds them (`npm run synth`). */
function exampleApp(outdir?: string): App {
  const app = new App({ outdir });
  addLlmApps(app);
  addGroveSamples(app);
  return app;
}

/** Each chart's YAML, keyed by the file `cdk8s synth` writes it to. */
function chartYaml(app: App): Map<string, string> {
  return new Map(app.charts.map(chart => [`${chart.node.id}.k8s.yaml`, Yaml.stringify(...chart.toJson())]));
}

/** Where two texts first differ, as `line N: expected ... / actual ...`. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const i = e.findIndex((line, n) => line !== a[n]);
  const n = i === -1 ? e.length : i;
  return `line ${n + 1}: expected ${JSON.stringify(e[n] ?? '<end of file>')}, got ${JSON.stringify(a[n] ?? '<end of file>')}`;
}

describe('determinism', () => {
  test('two synths of the example apps are byte-identical, chart by chart and as one document stream', () => {
    const first = exampleApp();
    const second = exampleApp();
    expect([...chartYaml(second)]).toEqual([...chartYaml(first)]);
    expect(second.synthYaml()).toBe(first.synthYaml());
    // synthesizing again does not change anything either
    expect(first.synthYaml()).toBe(second.synthYaml());
  });

  test('the synthesized output equals the committed dist/ byte for byte (otherwise run npm run synth)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-determinism-'));
    try {
      exampleApp(outdir).synth(); // what `cdk8s synth` writes
      const synthesized = fs.readdirSync(outdir).sort();
      const committed = fs.readdirSync(DIST).filter(f => f.endsWith('.k8s.yaml')).sort();
      const stale: string[] = [];
      for (const file of new Set([...synthesized, ...committed])) {
        if (!committed.includes(file)) {
          stale.push(`dist/${file} is missing`);
        } else if (!synthesized.includes(file)) {
          stale.push(`dist/${file} is no longer synthesized`);
        } else {
          const expected = fs.readFileSync(path.join(outdir, file), 'utf8');
          const actual = fs.readFileSync(path.join(DIST, file), 'utf8');
          if (expected !== actual) {
            stale.push(`dist/${file} differs from the synthesized output at ${firstDifference(expected, actual)}`);
          }
        }
      }
      // also check the chart-by-chart serialization the first test compares
      for (const [file, yaml] of chartYaml(exampleApp())) {
        if (synthesized.includes(file) && fs.readFileSync(path.join(outdir, file), 'utf8') !== yaml) {
          stale.push(`${file}: app.synth() and Yaml.stringify(...chart.toJson()) disagree`);
        }
      }
      if (stale.length > 0) {
        throw new Error(`dist/ is stale: run npm run synth and commit dist/\n  ${stale.join('\n  ')}`);
      }
      expect(synthesized.length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('no absolute paths, temp directories, host names or timestamps in the output', () => {
    const yaml = exampleApp().synthYaml();
    const forbidden: [string, RegExp][] = [
      ['the repository path', new RegExp(escape(ROOT))],
      ['the working directory', new RegExp(escape(process.cwd()))],
      ['the home directory', new RegExp(`${escape(os.homedir())}/`)],
      ['the temp directory', new RegExp(`${escape(os.tmpdir())}(/|\\b)`)],
      ['/tmp', /(^|[\s"'=:])\/tmp\b/m],
      ['/var/folders (macOS temp)', /\/var\/folders\//],
      ['a Windows path', /[A-Za-z]:\\\\/],
      // short host names (`ci`, `box`) are ordinary words; longer ones are specific enough to look for
      ...(os.hostname().length >= 8 ? [['the host name', new RegExp(`\\b${escape(os.hostname())}\\b`)] as [string, RegExp]] : []),
      ['an ISO date or timestamp', /\b\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}|\b)/],
      ['a Unix timestamp in milliseconds', /\b1[6-9]\d{11}\b/],
      ['the current year next to a month', new RegExp(`\\b${new Date().getFullYear()}[-/.](0[1-9]|1[0-2])\\b`)],
      ['a UUID', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
    ];
    const found = forbidden
      .map(([what, re]) => [what, yaml.match(re)] as const)
      .filter(([, m]) => m !== null)
      .map(([what, m]) => `${what}: ${JSON.stringify(m![0])} in ${JSON.stringify(context(yaml, m!.index!))}`);
    expect(found).toEqual([]);
  });

  test('generated names carry only the stable hash of the construct path, no random suffix', () => {
    // Names cdk8s generates end in an 8-hex-digit hash of the construct path; the same path always gives the same
    // hash, so every such suffix in the output must be one that a second, separate synth reproduces.
    const suffixes = (yaml: string) => [...yaml.matchAll(/name: (\S+-[0-9a-f]{8})$/gm)].map(m => m[1]).sort();
    const a = suffixes(exampleApp().synthYaml());
    const b = suffixes(exampleApp().synthYaml());
    expect(b).toEqual(a);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function context(text: string, index: number): string {
  return text.slice(Math.max(0, index - 40), index + 40);
}

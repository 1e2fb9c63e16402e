/**
 * `npm run bench`: how long construct + synth (with synth-time admission) of a fleet of 10, 100 and 1000 LLM services
 * takes, against the floor of serializing the same objects with the `yaml` library alone, and admit() throughput.
 * Every number is the median of several fresh child processes. Writes bench/results.json and prints a table.
 * A benchmark, never a test: it does not fail on slow results.
 *
 *   npm run bench                  the measurements above, written to bench/results.json
 *   npm run bench -- --profile     one 1000-service synth under `node --cpu-prof`, summarized (bench/.profile/)
 *   npm run bench -- --charts      1000 services split over 1, 5, 25 and 100 charts (cdk8s re-validates the whole
 *                                  app for every chart)
 *   npm run bench -- --breakdown   wall time of the main phases of one 1000-service synth (instrumented)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProfile, summarizeProfile } from './profile';

const ROOT = path.resolve(__dirname, '..');
const SIZES: [services: number, runs: number][] = [[10, 5], [100, 5], [1000, 3]];
const ADMIT_RUNS = 3;
const ADMIT_FLEET = 100;

/** Runs bench/child.ts in a fresh node process (TypeScript through ts-node with swc) and parses its JSON line. */
function child(args: string[], nodeFlags: string[] = []): any {
  const register = `require('ts-node').register({ swc: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });`
    + `require(${JSON.stringify(path.join(ROOT, 'bench', 'child.ts'))});`;
  const out = execFileSync(process.execPath, [...nodeFlags, '-e', register, 'bench/child.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function loadAverage(): string {
  return os.loadavg().map(l => l.toFixed(2)).join(' ');
}

/** Synth of `services` services `runs` times, and the yaml floor of its objects as often, each in a fresh process. */
function measureSynth(services: number, runs: number, tmp: string, charts?: number) {
  const synths: any[] = [];
  const floors: any[] = [];
  for (let r = 0; r < runs; r++) {
    const dump = path.join(tmp, `objects-${services}-${r}.json`);
    const s = child(['synth', String(services), dump, ...(charts === undefined ? [] : [String(charts)])]);
    const f = child(['floor', dump]);
    if (f.yamlSha256 !== s.yamlSha256) {
      throw new Error(`the floor serialized different YAML than synth for ${services} services`);
    }
    fs.rmSync(dump);
    synths.push(s);
    floors.push(f);
    process.stderr.write(`  ${services} services, run ${r + 1}/${runs}: ${s.ms.toFixed(0)} ms (floor ${f.floorMs.toFixed(0)} ms)\n`);
  }
  const ms = median(synths.map(s => s.ms));
  const floorMs = median(floors.map(f => f.floorMs));
  return {
    services,
    objects: synths[0].objects as number,
    ms: round(ms),
    floorMs: round(floorMs),
    ratio: round(ms / floorMs, 2),
    peakRssMB: round(median(synths.map(s => s.peakRssMB))),
    constructMs: round(median(synths.map(s => s.constructMs))),
    synthMs: round(median(synths.map(s => s.synthMs))),
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map(r => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map(r => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-bench-'));
  try {
    if (process.argv.includes('--profile')) {
      const dir = path.join(ROOT, 'bench', '.profile');
      fs.rmSync(dir, { recursive: true, force: true });
      const s = child(['synth', '1000', path.join(tmp, 'objects.json')], ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const file = path.join(dir, fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'))!);
      console.log(`1000 services, ${s.objects} objects: ${s.ms.toFixed(0)} ms under the profiler (construct ${s.constructMs.toFixed(0)} ms, synth ${s.synthMs.toFixed(0)} ms)`);
      console.log(formatProfile(summarizeProfile(file)));
      console.log(`\nprofile: ${path.relative(ROOT, file)} (open in Chrome DevTools > Performance)`);
      return;
    }
    if (process.argv.includes('--breakdown')) {
      const b = child(['breakdown', '1000']);
      console.log(`1000 services: construct ${b.constructMs} ms, synth ${b.synthMs} ms (instrumented), of which:`);
      console.log(table(['function', 'ms', 'calls'], Object.entries(b.functions).map(([name, f]: [string, any]) => [name, f.ms, f.calls])));
      return;
    }
    if (process.argv.includes('--charts')) {
      const rows = [1, 5, 25, 100].map(charts => ({ charts, ...measureSynth(1000, 1, tmp, charts) }));
      console.log(table(['charts', 'services', 'objects', 'ms', 'construct ms', 'synth ms', 'floor ms', 'ratio'],
        rows.map(r => [r.charts, r.services, r.objects, r.ms, r.constructMs, r.synthMs, r.floorMs, r.ratio])));
      return;
    }
    const loadBefore = loadAverage();
    const synth = SIZES.map(([services, runs]) => measureSynth(services, runs, tmp));
    const admits = Array.from({ length: ADMIT_RUNS }, () => child(['admit', String(ADMIT_FLEET)]).admitPerSecond as number);
    const results = {
      machine: machine(),
      synth: synth.map(({ services, objects, ms, floorMs, ratio, peakRssMB }) => ({ services, objects, ms, floorMs, ratio, peakRssMB })),
      admitPerSecond: Math.round(median(admits)),
    };
    fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const m = results.machine;
    console.log(`\n${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, node ${m.node}, ${m.platform}; load average ${loadBefore} before, ${loadAverage()} after`);
    console.log(table(
      ['services', 'objects', 'construct+synth ms', 'construct ms', 'synth ms', 'yaml floor ms', 'ratio', 'peak RSS MB', 'ms/service'],
      synth.map(r => [r.services, r.objects, r.ms, r.constructMs, r.synthMs, r.floorMs, r.ratio, r.peakRssMB, round(r.ms / r.services, 2)]),
    ));
    console.log(`admit(): ${results.admitPerSecond} PodCliqueSets/s (median of ${ADMIT_RUNS}, on the ${ADMIT_FLEET}-service fleet's objects)`);
    console.log('medians of fresh processes (runs per size: 5, 5, 3); written to bench/results.json');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();

/**
 * `npm run bench`: what synthesis, cold start and lint cost, measured so that it can be trusted on a shared, noisy
 * machine. A benchmark, never a test: it does not fail on slow results. Writes bench/results.json and prints tables.
 *
 * Every figure is the median of several rounds with its min-max; within a round the variants that are compared run
 * one after the other in fresh processes (alternating), and ratios are taken round by round (paired), then their
 * median. Wall time moves with the load of the machine; the children also report their CPU time (all threads),
 * which moves less, and the ratios are given for both.
 *
 *   npm run bench                          everything below, written to bench/results.json
 *   npm run bench -- --only fleets,lint    some sections (others are kept from bench/results.json)
 *   npm run bench -- --only fleets --sizes 1000   only some fleet sizes (with layouts: only the 300 or 1000 services' layouts)
 *   npm run bench -- --results FILE        write FILE instead of bench/results.json
 *   npm run bench -- --rounds 5            rounds per figure (default 3: 3 for 1000 services and lint, one less for
 *                                          3000 services, two less for 10,000 and 1000 services' layouts, twice as
 *                                          many for cold start; a full run takes about 20 minutes on a quiet 2-core
 *                                          machine)
 *   npm run bench -- --profile [charts]    one 1000-service synth under `node --cpu-prof`, summarized (bench/.profile/)
 *   npm run bench -- --breakdown [charts]  wall time of the main phases of one 1000-service synth (instrumented)
 *
 * Sections: fleets (1000, 3000, 10,000 services in one chart against the yaml floor; linearity, peak memory,
 * heap limit), layouts (1000 services in 1, 10, 100, 1000 charts, and 300 in 1 and 300, against plain cdk8s
 * ApiObjects of the same objects in the same layout), cold (whole processes: `npm run synth` of the example apps
 * against a cdk8s CLI synth of a one-object plain cdk8s app, the app alone, one service), lint (objects per second
 * against the YAML parse), admit (admit() throughput), helm (`helm template` of the peer chart, where installed).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProfile, summarizeProfile } from './profile';

const ROOT = path.resolve(__dirname, '..');
const HOOK = path.join(ROOT, 'bin', 'ts-require.js');
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const SECTIONS = ['cold', 'fleets', 'layouts', 'lint', 'admit', 'helm'] as const;
type Section = typeof SECTIONS[number];

// ------------------------------------------------------------------------------------------------ statistics

interface Spread { median: number; min: number; max: number }

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function spread(values: number[], digits = 1): Spread {
  return { median: round(median(values), digits), min: round(Math.min(...values), digits), max: round(Math.max(...values), digits) };
}

/** `a[i] / b[i]` for each round, summarized. */
function ratio(a: number[], b: number[]): Spread {
  return spread(a.map((x, i) => x / b[i]), 2);
}

const show = (s: Spread | undefined, unit = '') => (s === undefined ? '-' : `${s.median}${unit} (${s.min}-${s.max})`);

// ------------------------------------------------------------------------------------------------ processes

/** Runs bench/child.ts in a fresh node process (through the caching transpiler, no type check); its JSON line. */
function child(args: string[], nodeFlags: string[] = []): any {
  const out = execFileSync(process.execPath, [...nodeFlags, '-r', HOOK, path.join(ROOT, 'bench', 'child.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** GNU time, which reports the CPU time of a command and of every process it waited for. */
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find(f => fs.existsSync(f));

/** A whole command's wall time and (with GNU time) CPU time, user + system, its processes together, in ms. */
interface CommandTime { ms: number; cpuMs?: number }

/** Runs a whole command (its output discarded) and times it; throws when it fails. */
function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CommandTime {
  const cpuFile = path.join(os.tmpdir(), `cdk8s-grove-bench-cpu-${process.pid}`);
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-o', cpuFile, '-f', '%U %S', command, ...args]] : [command, args];
  const t0 = performance.now();
  const r = spawnSync(file, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  }
  if (!GNU_TIME) {
    return { ms };
  }
  const [user, system] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(cpuFile, { force: true });
  return { ms, cpuMs: (user + system) * 1000 };
}

const log = (s: string) => process.stderr.write(`${s}\n`);

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

const loadAverage = () => os.loadavg().map(l => round(l, 2));

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map(r => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map(r => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

// ------------------------------------------------------------------------------------------------ sections

/** 1000, 3000 and 10,000 services in one chart, each round: synth, then the yaml floor of the same objects. */
function fleets(rounds: number, tmp: string, only?: number[]) {
  const sizes = ([[1000, rounds], [3000, Math.max(1, rounds - 1)], [10000, Math.max(1, rounds - 2)]] as [number, number][])
    .filter(([services]) => only === undefined || only.includes(services));
  const rows = sizes.map(([services, n]) => {
    const synths: any[] = [];
    const floors: any[] = [];
    let outOfMemory: string | undefined;
    for (let r = 0; r < n && outOfMemory === undefined; r++) {
      const dump = path.join(tmp, `fleet-${services}.json`);
      let s: any;
      try {
        s = child(['synth', String(services), '1', dump]);
      } catch (e) {
        const stderr = String((e as { stderr?: unknown }).stderr ?? e);
        if (!/heap out of memory|Allocation failed/i.test(stderr)) {
          throw e;
        }
        outOfMemory = stderr.split('\n').find(l => /heap out of memory|Allocation failed/i.test(l))?.trim();
        break;
      }
      const f = child(['floor', dump]);
      if (f.yamlSha256 !== s.yamlSha256) {
        throw new Error(`the floor serialized different YAML than synth for ${services} services`);
      }
      synths.push(s);
      floors.push(f);
      log(`  fleet ${services}, round ${r + 1}/${n}: ${s.ms.toFixed(0)} ms (floor ${f.ms.toFixed(0)} ms), peak RSS ${s.peakRssMB.toFixed(0)} MB`);
    }
    if (synths.length === 0) {
      return { services, outOfMemory };
    }
    return {
      services,
      objects: synths[0].objects as number,
      rounds: synths.length,
      ms: spread(synths.map(s => s.ms)),
      cpuMs: spread(synths.map(s => s.cpuMs)),
      floorMs: spread(floors.map(f => f.ms)),
      ratio: ratio(synths.map(s => s.ms), floors.map(f => f.ms)),
      cpuRatio: ratio(synths.map(s => s.cpuMs), floors.map(f => f.cpuMs)),
      msPerService: round(median(synths.map(s => s.ms)) / services, 2),
      cpuMsPerService: round(median(synths.map(s => s.cpuMs)) / services, 2),
      peakRssMB: spread(synths.map(s => s.peakRssMB), 0),
      heapLimitMB: synths[0].heapLimitMB as number,
      ...(outOfMemory ? { outOfMemory } : {}),
    };
  });
  return rows;
}

/**
 * The same services in more charts. Each round: our synth in every layout, and the objects of the round's 1-chart
 * synth as plain cdk8s ApiObjects in the same layouts (what cdk8s itself pays for more charts).
 */
function layouts(rounds: number, tmp: string, only?: number[]) {
  const cases = ([[300, [1, 300], rounds], [1000, [1, 10, 100, 1000], Math.max(1, rounds - 2)]] as [services: number, charts: number[], rounds: number][])
    .filter(([services]) => only === undefined || only.includes(services));
  return cases.flatMap(([services, chartCounts, rounds]) => {
    const ours: number[][] = chartCounts.map(() => []);
    const oursCpu: number[][] = chartCounts.map(() => []);
    const plain: number[][] = chartCounts.map(() => []);
    const plainCpu: number[][] = chartCounts.map(() => []);
    const plainDeps: number[][] = chartCounts.map(() => []);
    const plainDepsCpu: number[][] = chartCounts.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const dump = path.join(tmp, `layout-${services}.json`);
      chartCounts.forEach((charts, i) => {
        const s = child(['synth', String(services), String(charts), i === 0 ? dump : path.join(tmp, 'unused.json')]);
        const p = child(['plain', dump, String(charts)]);
        const d = child(['plain', dump, String(charts), 'dependencies']);
        ours[i].push(s.ms);
        oursCpu[i].push(s.cpuMs);
        plain[i].push(p.ms);
        plainCpu[i].push(p.cpuMs);
        plainDeps[i].push(d.ms);
        plainDepsCpu[i].push(d.cpuMs);
        log(`  ${services} services in ${charts} charts, round ${r + 1}/${rounds}: ${s.ms.toFixed(0)} ms (plain cdk8s ${p.ms.toFixed(0)} ms, with the same dependencies ${d.ms.toFixed(0)} ms)`);
      });
    }
    return chartCounts.map((charts, i) => ({
      services,
      charts,
      rounds,
      ms: spread(ours[i]),
      vsOneChart: ratio(ours[i], ours[0]),
      cpuVsOneChart: ratio(oursCpu[i], oursCpu[0]),
      plainMs: spread(plain[i]),
      plainVsOneChart: ratio(plain[i], plain[0]),
      plainCpuVsOneChart: ratio(plainCpu[i], plainCpu[0]),
      plainWithDependenciesMs: spread(plainDeps[i]),
      plainWithDependenciesVsOneChart: ratio(plainDeps[i], plainDeps[0]),
      plainWithDependenciesCpuVsOneChart: ratio(plainDepsCpu[i], plainDepsCpu[0]),
    }));
  });
}

/** A one-object plain cdk8s app (JavaScript, nothing to transpile) with the same `npm run synth` as this repository. */
function plainApp(tmp: string): string {
  const dir = path.join(tmp, 'plain-app');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.js'), [
    `const { ApiObject, App, Chart } = require(${JSON.stringify(require.resolve('cdk8s', { paths: [ROOT] }))});`,
    'const app = new App();',
    "new ApiObject(new Chart(app, 'plain'), 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { a: 'b' } });",
    'app.synth();',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: javascript\napp: node main.js\noutput: dist\n');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'plain-app', private: true, scripts: { synth: `${CDK8S_CLI} synth --check-upgrade false` },
  }));
  return dir;
}

/** Whole processes, each round one after the other: what a user waits for. */
function cold(rounds: number, tmp: string) {
  const plainDir = plainApp(tmp);
  const out = path.join(tmp, 'synth-out');
  const cacheDir = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-grove-ts');
  const env = { ...process.env, CDK8S_OUTDIR: out };
  const variants: [string, () => CommandTime][] = [
    ['npm run synth (example apps)', () => timeCommand('npm', ['run', '--silent', 'synth', '--', '--output', out], ROOT)],
    ['npm run synth (one-object plain cdk8s app)', () => timeCommand('npm', ['run', '--silent', 'synth'], plainDir)],
    ['cdk8s synth (example apps)', () => timeCommand(CDK8S_CLI, ['synth', '--check-upgrade', 'false', '--output', out], ROOT)],
    ['cdk8s synth (one-object plain cdk8s app)', () => timeCommand(CDK8S_CLI, ['synth', '--check-upgrade', 'false'], plainDir)],
    ['app process alone (example apps)', () => timeCommand(process.execPath, ['-r', HOOK, 'apps/main.ts'], ROOT, env)],
    ['app process alone (one-object plain app)', () => timeCommand(process.execPath, ['main.js'], plainDir)],
    ['one service in its own process', () => timeCommand(process.execPath, ['-r', HOOK, 'bench/one-service.ts'], ROOT)],
    ['npm run synth, transpile cache empty', () => {
      fs.rmSync(cacheDir, { recursive: true, force: true });
      return timeCommand('npm', ['run', '--silent', 'synth', '--', '--output', out], ROOT);
    }],
  ];
  variants.forEach(([, run]) => run()); // warm-up: file system caches, and the transpile cache filled again
  timeCommand('npm', ['run', '--silent', 'synth', '--', '--output', out], ROOT);
  const samples: CommandTime[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    variants.forEach(([, run], i) => samples[i].push(run()));
    timeCommand('npm', ['run', '--silent', 'synth', '--', '--output', out], ROOT); // the cache filled again
    log(`  cold start, round ${r + 1}/${rounds}: ${variants.map(([name], i) => `${name} ${samples[i][r].ms.toFixed(0)} ms`).join(', ')}`);
  }
  const ms = samples.map(s => s.map(t => t.ms));
  const cpu = GNU_TIME ? samples.map(s => s.map(t => t.cpuMs!)) : undefined;
  return {
    rounds,
    note: 'whole processes, wall time and CPU time (user + system of all their processes); the transpile cache is filled except where said',
    ms: Object.fromEntries(variants.map(([name], i) => [name, spread(ms[i], 0)])),
    ...(cpu ? { cpuMs: Object.fromEntries(variants.map(([name], i) => [name, spread(cpu[i], 0)])) } : {}),
    npmSynthVsPlain: ratio(ms[0], ms[1]),
    cliSynthVsPlain: ratio(ms[2], ms[3]),
    npmSynthVsPlainCli: ratio(ms[0], ms[3]),
    ...(cpu ? {
      cpuNpmSynthVsPlain: ratio(cpu[0], cpu[1]),
      cpuCliSynthVsPlain: ratio(cpu[2], cpu[3]),
      cpuNpmSynthVsPlainCli: ratio(cpu[0], cpu[3]),
    } : {}),
  };
}

/** `cdk8s-grove lint` of the 1000-service fleet's YAML, against parsing the same YAML (what lint must do anyway). */
function lint(rounds: number, tmp: string) {
  const yaml = path.join(tmp, 'fleet.k8s.yaml');
  child(['synth', '1000', '1', path.join(tmp, 'lint-dump.json'), yaml]);
  const lints: any[] = [];
  const parses: any[] = [];
  for (let r = 0; r < rounds; r++) {
    lints.push(child(['lint', yaml]));
    parses.push(child(['parse', yaml]));
    log(`  lint, round ${r + 1}/${rounds}: ${lints[r].ms.toFixed(0)} ms (parse ${parses[r].ms.toFixed(0)} ms)`);
  }
  const objects = lints[0].objects as number;
  return {
    rounds,
    objects,
    findings: lints[0].findings as number,
    ms: spread(lints.map(l => l.ms)),
    parseMs: spread(parses.map(p => p.ms)),
    objectsPerSecond: spread(lints.map(l => objects / (l.ms / 1000)), 0),
    parseObjectsPerSecond: spread(parses.map(p => p.objects / (p.ms / 1000)), 0),
    ratio: ratio(lints.map(l => l.ms), parses.map(p => p.ms)),
    cpuRatio: ratio(lints.map(l => l.cpuMs), parses.map(p => p.cpuMs)),
  };
}

function admitSection(rounds: number) {
  const runs = Array.from({ length: Math.min(rounds, 3) }, () => child(['admit', '100']).admitPerSecond as number);
  return { podCliqueSetsPerSecond: spread(runs, 0), note: "the 100-service fleet's PodCliqueSets, 2 s per run" };
}

/** `helm template` of the peer chart, when this machine has helm and the chart (neither comes from npm). */
function helm(rounds: number) {
  const chart = process.env.BENCH_HELM_CHART;
  const found = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  if (found.status !== 0 || !chart) {
    const why = found.status !== 0 ? 'helm is not installed (it is not an npm package)' : 'BENCH_HELM_CHART (a directory of the peer chart) is not set';
    log(`  helm: skipped, ${why}`);
    return { skipped: why };
  }
  const samples = Array.from({ length: rounds }, () => timeCommand('helm', ['template', 'bench', chart], ROOT).ms);
  const one = Array.from({ length: rounds }, () => timeCommand(process.execPath, ['-r', HOOK, 'bench/one-service.ts'], ROOT).ms);
  return { chart: path.basename(chart), ms: spread(samples, 0), oneServiceMs: spread(one, 0), oneServiceVsHelm: ratio(one, samples) };
}

// ------------------------------------------------------------------------------------------------ main

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function printSummary(results: any): void {
  const m = results.machine;
  console.log(`\n${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, node ${m.node}, ${m.platform}`);
  for (const [section, l] of Object.entries(results.load ?? {}) as [string, any][]) {
    console.log(`  ${section}: load average (1, 5, 15 min) ${l.before.join(' ')} before, ${l.after.join(' ')} after, ${l.minutes} min`);
  }
  console.log('median (min-max) of the rounds; ratios paired round by round');
  if (results.fleets) {
    console.log('\nfleets, one chart');
    console.log(table(['services', 'objects', 'ms', 'yaml floor ms', 'ratio', 'CPU ratio', 'ms/service', 'peak RSS MB', 'heap limit MB'],
      results.fleets.map((r: any) => r.outOfMemory && !r.ms
        ? [r.services, '-', `out of memory: ${r.outOfMemory}`, '', '', '', '', '', '']
        : [r.services, r.objects, show(r.ms), show(r.floorMs), show(r.ratio, 'x'), show(r.cpuRatio, 'x'), r.msPerService, show(r.peakRssMB), r.heapLimitMB])));
  }
  if (results.layouts) {
    console.log('\nchart layouts (against the same services in one chart)');
    console.log(table(['services', 'charts', 'ms', 'vs 1 chart', 'CPU vs 1', 'plain cdk8s ms', 'vs 1 chart', 'CPU vs 1', 'plain + deps ms', 'vs 1 chart', 'CPU vs 1'],
      results.layouts.map((r: any) => [r.services, r.charts, show(r.ms), show(r.vsOneChart, 'x'), show(r.cpuVsOneChart, 'x'), show(r.plainMs),
        show(r.plainVsOneChart, 'x'), show(r.plainCpuVsOneChart, 'x'), show(r.plainWithDependenciesMs), show(r.plainWithDependenciesVsOneChart, 'x'),
        show(r.plainWithDependenciesCpuVsOneChart, 'x')])));
  }
  if (results.cold) {
    console.log('\ncold start (whole processes)');
    const c = results.cold;
    console.log(table(['process', 'ms', 'CPU ms'], Object.entries(c.ms).map(([k, v]: [string, any]) => [k, show(v), show(c.cpuMs?.[k])])));
    console.log(`npm run synth: ${show(c.npmSynthVsPlain, 'x')} of the plain app's npm run synth (CPU ${show(c.cpuNpmSynthVsPlain, 'x')}), ${show(c.npmSynthVsPlainCli, 'x')} of its cdk8s synth (CPU ${show(c.cpuNpmSynthVsPlainCli, 'x')}); cdk8s synth: ${show(c.cliSynthVsPlain, 'x')} (CPU ${show(c.cpuCliSynthVsPlain, 'x')})`);
  }
  if (results.lint) {
    const l = results.lint;
    console.log(`\nlint: ${l.objects} objects in ${show(l.ms, ' ms')}, ${show(l.objectsPerSecond)} objects/s; YAML parse ${show(l.parseObjectsPerSecond)} objects/s; lint/parse ${show(l.ratio, 'x')} (CPU ${show(l.cpuRatio, 'x')})`);
  }
  if (results.admit) {
    console.log(`admit(): ${show(results.admit.podCliqueSetsPerSecond)} PodCliqueSets/s`);
  }
  if (results.helm) {
    console.log(results.helm.skipped ? `helm template: skipped, ${results.helm.skipped}` : `helm template: ${show(results.helm.ms, ' ms')}; one service ${show(results.helm.oneServiceVsHelm, 'x')} of it`);
  }
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-bench-'));
  try {
    const charts = process.argv.find((a, i) => /^\d+$/.test(a) && ['--profile', '--breakdown'].includes(process.argv[i - 1])) ?? '1';
    if (process.argv.includes('--profile')) {
      const dir = path.join(ROOT, 'bench', '.profile');
      fs.rmSync(dir, { recursive: true, force: true });
      const s = child(['synth', '1000', charts, path.join(tmp, 'objects.json')], ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const file = path.join(dir, fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'))!);
      console.log(`1000 services in ${charts} charts, ${s.objects} objects: ${s.ms.toFixed(0)} ms under the profiler (construct ${s.constructMs.toFixed(0)} ms, synth ${s.synthMs.toFixed(0)} ms); the profile also holds reading the output back (not timed)`);
      console.log(formatProfile(summarizeProfile(file)));
      console.log(`\nprofile: ${path.relative(ROOT, file)} (open in Chrome DevTools > Performance)`);
      return;
    }
    if (process.argv.includes('--breakdown')) {
      const b = child(['breakdown', '1000', charts]);
      console.log(`1000 services in ${charts} charts: construct ${b.constructMs} ms, synth ${b.synthMs} ms (instrumented), of which:`);
      console.log(table(['function', 'ms', 'calls'], Object.entries(b.functions).map(([name, f]: [string, any]) => [name, f.ms, f.calls])));
      return;
    }
    const rounds = Number(option('--rounds') ?? 3);
    const only = option('--only')?.split(',') as Section[] | undefined;
    const unknown = only?.filter(s => !SECTIONS.includes(s));
    if (unknown?.length) {
      throw new Error(`unknown sections ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
    }
    const RESULTS = path.resolve(option('--results') ?? path.join(ROOT, 'bench', 'results.json'));
    const previous = only && fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, 'utf8')) : {};
    const measure: Record<Section, () => unknown> = {
      fleets: () => fleets(rounds, tmp, option('--sizes')?.split(',').map(Number)),
      layouts: () => layouts(rounds, tmp, option('--sizes')?.split(',').map(Number)),
      cold: () => cold(rounds * 2, tmp),
      lint: () => lint(rounds, tmp),
      admit: () => admitSection(rounds),
      helm: () => helm(rounds),
    };
    const measured: Record<string, unknown> = {};
    const load: Record<string, unknown> = { ...previous.load };
    let results: any = previous;
    for (const section of SECTIONS.filter(s => !only || only.includes(s))) {
      const before = loadAverage();
      const t0 = performance.now();
      measured[section] = measure[section]();
      load[section] = { before, after: loadAverage(), minutes: round((performance.now() - t0) / 60000) };
      // written after every section, so that an interrupted run keeps what it measured
      results = { ...previous, machine: machine(), load, ...measured };
      fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    }
    printSummary(results);
    console.log(`\nwritten to ${path.relative(ROOT, RESULTS)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();

/**
 * One benchmark measurement, run by `bench/run.ts` in a fresh process and reported as one JSON line on stdout.
 *
 *   synth <services> <charts> <dump.json> [out.yaml]
 *                                           construct + synth (+ synth-time admission) of the fleet; the objects it
 *                                           wrote go to dump.json (after the measurement, for `floor` and `plain`)
 *   floor <dump.json>                       yaml serialization alone of the dumped objects, as cdk8s does it
 *   plain <dump.json> <charts> [dependencies]
 *                                           the dumped objects as plain cdk8s ApiObjects in <charts> charts (and the
 *                                           same dependencies): what cdk8s itself costs for them in that layout
 *   lint <file.yaml>                        `cdk8s-grove lint` of the file, in-process
 *   parse <file.yaml>                       the YAML parse alone of the file, as lint reads it (lint's floor)
 *   admit <services>                        admit() throughput on the fleet's PodCliqueSets
 *   breakdown <services>                    where one synth's time goes (wall time of instrumented functions)
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as v8 from 'v8';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { LineCounter, parseAllDocuments } from 'yaml';
import { buildFleet } from './fleet';
import { admit, DEFAULT_OPERATOR_CONFIG, PodCliqueSet } from '../lib';
import { main as cli } from '../lib/cli/main';
import { RenderMemo } from '../lib/private/render-memo';

/** The `yaml` module cdk8s itself loads (cdk8s bundles its own copy) and the options of cdk8s' `Yaml.stringify`. */
const YAML: typeof import('yaml') = require(require.resolve('yaml', { paths: [require.resolve('cdk8s')] }));
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** CPU time of this process (every thread: user + system) since `since`, in milliseconds. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function memory() {
  return {
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    heapLimitMB: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
  };
}

/**
 * Runs `body` with cdk8s' `Yaml.stringify` replaced by `replacement`, which gets the documents as cdk8s passes them
 * (one spread argument list: a wrapper that spreads 86,000 documents again overflows the stack).
 */
function withStringify<T>(replacement: (docs: unknown[]) => string, body: () => T): T {
  const original = Yaml.stringify;
  Yaml.stringify = (...docs: unknown[]) => replacement(docs);
  try {
    return body();
  } finally {
    Yaml.stringify = original;
  }
}

/**
 * Runs `body` with cdk8s' `Yaml.stringify` doing the same serialization (cdk8s' own `yaml` copy and options) and
 * keeping the documents it was given, so that a synth's objects can be dumped without parsing its YAML back (which
 * needs several times the memory of the synth itself at 10,000 services).
 */
function keepingDocuments<T>(body: () => T): { result: T; documents: unknown[] } {
  let documents: unknown[] = [];
  const result = withStringify(docs => {
    documents = docs;
    return stringifyDocuments(docs);
  }, body);
  return { result, documents };
}

/** Exactly cdk8s' `Yaml.stringify(...docs)`. */
function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map(o => (o === undefined ? '\n' : YAML.stringify(o, CDK8S_YAML_OPTIONS))).join('---\n');
}

/** Writes objects one JSON document per line (a single JSON text of 10,000 services would exceed V8's string limit). */
function writeDump(file: string, objects: readonly unknown[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const o of objects) {
      fs.writeSync(fd, `${JSON.stringify(o)}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function readDump(file: string): any[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(l => l !== '').map(l => JSON.parse(l));
}

function synth(services: number, charts: number, dumpFile: string, yamlFile?: string): object {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = buildFleet(services, charts);
  const t1 = performance.now();
  const { result: yaml, documents } = keepingDocuments(() => app.synthYaml());
  const t2 = performance.now();
  const cpu = cpuMs(c0);
  const mem = memory();
  writeDump(dumpFile, documents);
  if (yamlFile) {
    fs.writeFileSync(yamlFile, yaml);
  }
  return {
    services, charts, objects: documents.length, ms: t2 - t0, cpuMs: cpu, constructMs: t1 - t0, synthMs: t2 - t1, ...mem,
    yamlSha256: sha256(yaml),
  };
}

function floor(dumpFile: string): object {
  const objects = readDump(dumpFile);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const yaml = stringifyDocuments(objects);
  const t1 = performance.now();
  return { ms: t1 - t0, cpuMs: cpuMs(c0), yamlSha256: sha256(yaml) };
}

/**
 * The same objects as plain `ApiObject`s, service `i`'s objects (`svc-<i>...`) in chart `floor(i * charts / services)`,
 * with `dependencies` also the same dependency edges as the constructs add (each PodCliqueSet after the other
 * objects of its service): what cdk8s itself pays for this many objects, charts and dependencies.
 */
function plain(dumpFile: string, charts: number, dependencies: boolean): object {
  const objects = readDump(dumpFile);
  const serviceOf = (o: any) => Number(/svc-(\d+)/.exec(o.metadata?.name ?? '')?.[1] ?? 0);
  const services = Math.max(...objects.map(serviceOf)) + 1;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App();
  const all = Array.from({ length: charts }, (_, k) => new Chart(app, `team-${String(k).padStart(4, '0')}`));
  const byService = new Map<number, ApiObject[]>();
  objects.forEach((o, i) => {
    const { apiVersion, kind, metadata, ...rest } = o;
    const service = serviceOf(o);
    const object = new ApiObject(all[Math.floor((service * charts) / services)], `o${i}`, { apiVersion, kind, metadata, ...rest });
    byService.set(service, [...(byService.get(service) ?? []), object]);
  });
  if (dependencies) {
    for (const members of byService.values()) {
      const sets = members.filter(m => m.kind === 'PodCliqueSet');
      sets.forEach(set => set.addDependency(...members.filter(m => m.kind !== 'PodCliqueSet')));
    }
  }
  const yaml = app.synthYaml();
  const t1 = performance.now();
  return { charts, dependencies, objects: objects.length, ms: t1 - t0, cpuMs: cpuMs(c0), yamlBytes: yaml.length, ...memory() };
}

function lint(file: string): object {
  let out = '';
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const status = cli(['lint', file, '--format', 'json'], {
    cwd: process.cwd(), env: {}, readStdin: () => '', stdout: t => { out += t; }, stderr: t => { out += t; }, writeFile: () => undefined,
  });
  const t1 = performance.now();
  const report = JSON.parse(out);
  return { status, objects: report.summary.objects, findings: report.findings.length, ms: t1 - t0, cpuMs: cpuMs(c0) };
}

function parse(file: string): object {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text, { lineCounter: new LineCounter(), merge: true, prettyErrors: false });
  const objects = (Array.isArray(docs) ? docs : [docs]).map(d => d.toJS({ maxAliasCount: 1000 }));
  const t1 = performance.now();
  return { objects: objects.length, ms: t1 - t0, cpuMs: cpuMs(c0) };
}

function admitThroughput(services: number): object {
  const objects = keepingDocuments(() => buildFleet(services).synthYaml()).documents as any[];
  const sets = objects.filter(o => o.kind === 'PodCliqueSet');
  const once = () => {
    for (const object of sets) {
      const response = admit({ operation: 'CREATE', object, operatorConfig: DEFAULT_OPERATOR_CONFIG, clusterObjects: [] });
      if (!response.allowed) {
        throw new Error(`the fleet's ${object.metadata.name} was refused: ${JSON.stringify(response.errors)}`);
      }
    }
  };
  once(); // warm up
  let admitted = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    once();
    admitted += sets.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { podCliqueSets: sets.length, admitPerSecond: admitted / seconds };
}

/**
 * Wall time spent in selected functions during one construct + synth (outermost calls only, so nested calls of the
 * same function are not counted twice). Instrumentation adds some overhead of its own.
 */
function breakdown(services: number, charts: number): object {
  const ms: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const depth: Record<string, number> = {};
  const wrap = (target: any, name: string, label: string) => {
    ms[label] = 0;
    calls[label] = 0;
    const original = target[name];
    target[name] = function (this: unknown, ...args: unknown[]) {
      depth[label] = (depth[label] ?? 0) + 1;
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        depth[label]--;
        if (depth[label] === 0) {
          ms[label] += performance.now() - start;
          calls[label]++;
        }
      }
    };
  };
  wrap(PodCliqueSet.prototype, '_problems', 'PodCliqueSet._problems (synth-time admission)');
  wrap(RenderMemo.prototype, 'render', '  RenderMemo.render (fresh renderings of PodCliqueSets)');
  wrap(RenderMemo.prototype, 'upToDate', '  RenderMemo.upToDate (reuse checks)');
  wrap(ApiObject.prototype, 'toJson', 'ApiObject.toJson (cdk8s resolve + sanitize, every object)');
  const floorLabel = 'Yaml.stringify (the floor)';
  ms[floorLabel] = 0;
  calls[floorLabel] = 0;
  const timedStringify = (docs: unknown[]) => { // not through wrap(): see withStringify
    const start = performance.now();
    const yaml = stringifyDocuments(docs);
    ms[floorLabel] += performance.now() - start;
    calls[floorLabel]++;
    return yaml;
  };
  const t0 = performance.now();
  const app = buildFleet(services, charts);
  const t1 = performance.now();
  withStringify(timedStringify, () => app.synthYaml());
  const t2 = performance.now();
  const round = (n: number) => Math.round(n);
  return {
    services, constructMs: round(t1 - t0), synthMs: round(t2 - t1),
    functions: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, { ms: round(v), calls: calls[k] }])),
  };
}

const [mode, a, b, c] = process.argv.slice(2);
const result = mode === 'synth' ? synth(Number(a), Number(b), c, process.argv[6])
  : mode === 'floor' ? floor(a)
    : mode === 'plain' ? plain(a, Number(b), c === 'dependencies')
      : mode === 'lint' ? lint(a)
        : mode === 'parse' ? parse(a)
          : mode === 'admit' ? admitThroughput(Number(a))
            : mode === 'breakdown' ? breakdown(Number(a), Number(b ?? 1))
              : undefined;
if (result === undefined) {
  throw new Error('usage: child.ts synth <services> <charts> <dump.json> [out.yaml] | floor <dump.json> | plain <dump.json> <charts> [dependencies] | lint <file> | parse <file> | admit <services> | breakdown <services> [charts]');
}
process.stdout.write(`${JSON.stringify(result)}\n`);

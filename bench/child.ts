/**
 * One benchmark measurement, run by `bench/run.ts` in a fresh process and reported as one JSON line on stdout.
 *
 *   synth <services> <dump.json> [charts]   construct + synth (+ synth-time admission) of the fleet, then dump the objects
 *   floor <dump.json>                       yaml serialization alone of the dumped objects, as cdk8s does it
 *   admit <services>                        admit() throughput on the fleet's PodCliqueSets
 *   breakdown <services>                    where one synth's time goes (wall time of instrumented functions)
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { ApiObject, Yaml } from 'cdk8s';
import { buildFleet } from './fleet';
import { admit, DEFAULT_OPERATOR_CONFIG, PodCliqueSet } from '../lib';
import { RenderMemo } from '../lib/private/render-memo';

/** The `yaml` module cdk8s itself loads (cdk8s bundles its own copy) and the options of cdk8s' `Yaml.stringify`. */
const YAML: typeof import('yaml') = require(require.resolve('yaml', { paths: [require.resolve('cdk8s')] }));
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function synth(services: number, dumpFile: string, charts?: number): object {
  const t0 = performance.now();
  const app = buildFleet(services, charts);
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  // The same objects synthYaml serialized, for the floor (computed after the measurement, not timed).
  const objects = app.charts.flatMap(c => c.toJson());
  fs.writeFileSync(dumpFile, JSON.stringify(objects));
  return {
    services, objects: objects.length, ms: t2 - t0, constructMs: t1 - t0, synthMs: t2 - t1, peakRssMB, yamlBytes: yaml.length,
    yamlSha256: sha256(yaml),
  };
}

function floor(dumpFile: string): object {
  const objects: unknown[] = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));
  const t0 = performance.now();
  // exactly cdk8s' Yaml.stringify(...docs)
  const yaml = objects.map(o => (o === undefined ? '\n' : YAML.stringify(o, CDK8S_YAML_OPTIONS))).join('---\n');
  const t1 = performance.now();
  return { floorMs: t1 - t0, yamlSha256: sha256(yaml) };
}

function admitThroughput(services: number): object {
  const objects = buildFleet(services).charts.flatMap(c => c.toJson());
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
function breakdown(services: number): object {
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
  wrap(PodCliqueSet.prototype, '_problems', 'PodCliqueSet._problems (synth-time admission, all validations)');
  wrap(RenderMemo.prototype, 'render', '  RenderMemo.render (fresh renderings of PodCliqueSets)');
  wrap(RenderMemo.prototype, 'upToDate', '  RenderMemo.upToDate (reuse checks)');
  wrap(ApiObject.prototype, 'toJson', 'ApiObject.toJson (cdk8s resolve + sanitize, every object)');
  wrap(Yaml, 'stringify', 'Yaml.stringify (the floor)');
  const t0 = performance.now();
  const app = buildFleet(services);
  const t1 = performance.now();
  app.synthYaml();
  const t2 = performance.now();
  const round = (n: number) => Math.round(n);
  return {
    services, constructMs: round(t1 - t0), synthMs: round(t2 - t1),
    functions: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, { ms: round(v), calls: calls[k] }])),
  };
}

const [mode, arg, file, charts] = process.argv.slice(2);
const result = mode === 'synth' ? synth(Number(arg), file, charts === undefined ? undefined : Number(charts))
  : mode === 'floor' ? floor(arg)
    : mode === 'admit' ? admitThroughput(Number(arg))
      : mode === 'breakdown' ? breakdown(Number(arg))
        : undefined;
if (result === undefined) {
  throw new Error('usage: child.ts synth <services> <dump.json> [charts] | floor <dump.json> | admit <services> | breakdown <services>');
}
process.stdout.write(`${JSON.stringify(result)}\n`);

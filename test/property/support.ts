/**
 * Shared pieces of the property-based tests: run counts, name generators near Grove's limits, and the two
 * properties every construct must have:
 *
 * - a VALID configuration synthesizes objects that `admit()` accepts again and that match the pinned CRDs;
 * - an INVALID configuration throws a `GroveValidationError` naming the construct path and the field, never any
 *   other exception, and no manifest comes out.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { admit, GroveOperatorConfig, GroveValidationError, OperatorConfig, ValidationProblem } from '../../lib';
import { expectSchemaValid } from '../support/schema';

/** `npm run fuzz` sets FAST_CHECK_RUNS_MULTIPLIER=100. */
export const MULTIPLIER = Number(process.env.FAST_CHECK_RUNS_MULTIPLIER ?? 1);

/** `n` runs, scaled for `npm run fuzz`. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * MULTIPLIER));
}

/** A jest timeout that grows with the run count. */
export const TIMEOUT = 20_000 * Math.max(1, MULTIPLIER);

/** fast-check parameters: `n` runs (scaled), and a reproducible seed when FAST_CHECK_SEED is set. */
export function params(n: number): fc.Parameters<unknown> {
  const seed = process.env.FAST_CHECK_SEED;
  return { numRuns: runs(n), ...(seed === undefined ? {} : { seed: Number(seed) }) };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DNS_MIDDLE = `${LETTERS}0123456789-`;
const DNS_END = `${LETTERS}0123456789`;

/**
 * A DNS label of exactly `length` characters that starts with `first` (a letter): what Grove accepts for set,
 * scaling-group and clique names. `length` 1..63.
 */
export function dnsLabel(length: number, first: fc.Arbitrary<string> = fc.constantFrom(...LETTERS)): fc.Arbitrary<string> {
  if (length === 1) {
    return first;
  }
  return fc.tuple(
    first,
    fc.array(fc.constantFrom(...DNS_MIDDLE), { minLength: length - 2, maxLength: length - 2 }),
    fc.constantFrom(...DNS_END),
  ).map(([a, mid, z]) => `${a}${mid.join('')}${z}`);
}

/** A DNS label of `min..max` characters. */
export function dnsLabelBetween(min: number, max: number): fc.Arbitrary<string> {
  return fc.integer({ min, max }).chain(n => dnsLabel(n));
}

/** Names Grove refuses: empty, upper case, unicode, a leading digit or dash, dots and underscores, too long. */
export const badName: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.constantFrom('Upper', 'naïve', 'ñ', '名前', 'emoji-🚀', '-lead', 'trail-', '1st', '9', 'a_b', 'a.b', 'a b', ' ', 'a\u0000b', 'ab\n'),
  dnsLabelBetween(64, 80),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(s => !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s)),
);

/** Any text, including empty strings, unicode and control characters (env values, args, annotation values). */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'ünïcødé', '日本語テキスト', '🚀🔥', 'line\nbreak', '$(NOT_A_VAR)', '"quoted"', "it's", '---', 'null', 'true', '0x10', '1e3', '~', '{a: b}'),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Replica counts: mostly small, sometimes zero-adjacent or huge (up to int32 max). */
export const replicaCount: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(2147483647, 1_000_000_000, 65536) },
);

/** Counts no construct accepts as replicas: zero, negative, fractional, beyond int32, NaN, infinite. */
export const badCount: fc.Arbitrary<number> = fc.constantFrom(0, -1, -2147483648, 1.5, 2147483648, Number.NaN, Number.POSITIVE_INFINITY);

/** The Grove objects among `objects`. */
function groveObjects(objects: any[]): any[] {
  return objects.filter(o => typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('grove.io/'));
}

/**
 * The VALID property: synthesizing `app` works, every PodCliqueSet and ClusterTopologyBinding it emits is
 * accepted by `admit()` again (with the app's operator configuration and the bindings it emits or assumes), and
 * the output matches the pinned CRDs.
 */
export function expectAdmittedAndSchemaValid(app: App, assumedBindings: readonly object[] = []): any[] {
  const objects = app.charts.flatMap(c => c.toJson());
  const grove = groveObjects(objects);
  const bindings = [...grove.filter(o => o.kind === 'ClusterTopologyBinding'), ...assumedBindings];
  for (const object of grove) {
    const response = admit({ operation: 'CREATE', object, operatorConfig: GroveOperatorConfig.of(app), clusterObjects: bindings });
    if (!response.allowed) {
      throw new Error(`admit() refused the synthesized ${object.kind} ${object.metadata?.name}: ${JSON.stringify(response.errors)}`);
    }
  }
  expectSchemaValid(objects);
  return objects;
}

/** Where a problem is expected: the construct path and the field (exactly, or matching a pattern). */
export interface ExpectedProblem {
  readonly constructPath: string;
  readonly field: string | RegExp;
}

function matches(p: ValidationProblem, e: ExpectedProblem): boolean {
  return p.constructPath === e.constructPath && (typeof e.field === 'string' ? p.field === e.field : e.field.test(p.field));
}

/**
 * The INVALID property: building (`build`) and synthesizing the app throws a `GroveValidationError` (nothing else),
 * no manifest is returned, and among its problems is one for each expected construct path and field. Every problem
 * names a construct path and a field. With `writes: true` the app is synthesized with `app.synth()` into its
 * `outdir`, which must stay without manifests.
 */
export function expectRefused(build: () => App, expected: readonly ExpectedProblem[], options: { writes?: boolean } = {}): GroveValidationError {
  let error: unknown;
  let output: unknown;
  let outdir: string | undefined;
  try {
    const app = build();
    outdir = app.outdir;
    if (options.writes) {
      app.synth();
      output = 'app.synth() returned';
    } else {
      output = app.synthYaml();
    }
  } catch (e) {
    error = e;
  }
  if (output !== undefined) {
    throw new Error(`expected a GroveValidationError for ${describe(expected)}, but synthesis succeeded`);
  }
  if (options.writes && outdir !== undefined && fs.existsSync(outdir)) {
    const written = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml'));
    if (written.length > 0) {
      throw new Error(`a refused app wrote manifests: ${written.join(', ')}`);
    }
  }
  if (!(error instanceof GroveValidationError)) {
    throw new Error(`expected a GroveValidationError for ${describe(expected)}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  for (const p of error.problems) {
    if (typeof p.constructPath !== 'string' || p.constructPath === '' || typeof p.field !== 'string' || p.field === '') {
      throw new Error(`a problem without construct path or field: ${JSON.stringify(p)}`);
    }
  }
  const missing = expected.filter(e => !error.problems.some(p => matches(p, e)));
  if (missing.length > 0) {
    throw new Error(`the GroveValidationError does not name ${describe(missing)}; it says:\n${error.message}`);
  }
  return error;
}

function describe(expected: readonly ExpectedProblem[]): string {
  return expected.map(e => `[${e.constructPath}] ${e.field}`).join(', ');
}

/**
 * A fresh App with one chart `c` (construct paths are `c/...`), writing to `outdir` when synthesized, checked
 * against `operatorConfig` (GroveOperatorConfig) at synth.
 */
export function appWithChart(options: { namespace?: string; outdir?: string; operatorConfig?: Partial<OperatorConfig> } = {}): { app: App; chart: Chart } {
  const app = new App({ outdir: options.outdir });
  if (options.operatorConfig) {
    GroveOperatorConfig.set(app, options.operatorConfig);
  }
  const chart = new Chart(app, 'c', { namespace: options.namespace });
  return { app, chart };
}

/**
 * `expectSchemaValid(objects)`: checks synthesized manifests against the pinned Grove CRDs, the way the API server
 * would check them on create (structural schema, unknown fields, ObjectMeta, list types, CEL), with the one schema
 * engine (`lib/schema`) and the CRD schemas compiled into `lib/schema/generated/` (no reference data needed).
 *
 * `loadPinnedCrd` reads the CRD files themselves from the reference directory (see `reference.ts`), for tests that
 * compare with them. The PodCliqueSet CRD is ~880 KB of YAML and takes ~0.6 s to parse, so parsed CRDs are cached in
 * memory and, as JSON, in the OS temp directory (keyed by file size and mtime), which makes later test files load it
 * in a few milliseconds. Set `GROVE_CRD_CACHE=off` to skip the disk cache.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatSchemaIssue, groveCrds, SchemaIssue, validateAgainstCrd } from '../../lib/schema';
import { readReferenceYaml, referencePath } from './reference';
import { compiledCrds } from '../../lib/cli/crds';

/** The pinned CRD file of each Grove kind, keyed by `<group>/<kind>`. */
const CRD_FILES: Record<string, string> = {
  'grove.io/PodCliqueSet': 'grove.io_podcliquesets.yaml',
  'grove.io/ClusterTopologyBinding': 'grove.io_clustertopologybindings.yaml',
  'grove.io/PodClique': 'grove.io_podcliques.yaml',
  'grove.io/PodCliqueScalingGroup': 'grove.io_podcliquescalinggroups.yaml',
  'scheduler.grove.io/PodGang': 'scheduler.grove.io_podgangs.yaml',
};

/** API groups whose objects must have a pinned CRD. */
const GROVE_GROUPS = new Set(['grove.io', 'scheduler.grove.io']);

/** Kinds whose CRD the next API (PR #649 preview, `crds/preview-pr649/`) changes; the others stay as pinned. */
const PREVIEW_FILES = new Set(['grove.io_podcliquesets.yaml', 'grove.io_podcliques.yaml', 'grove.io_podcliquescalinggroups.yaml', 'scheduler.grove.io_podgangs.yaml']);

/**
 * True when the generated schemas hold the preview CRDs of the next API (lib/schema/generated/crds-next.ts, made
 * from the reference data's crds/preview-pr649/), so `expectSchemaValid(objects, 'next')` needs no reference data.
 */
export const HAS_PREVIEW_CRDS = groveCrds('next').some(c => c.kind === 'PodCliqueSet');

/**
 * `describe` when the preview CRDs are present; otherwise a skipped `describe` and a warning that says so.
 */
export function describeWithPreviewCrds(name: string, fn: () => void): void {
  if (HAS_PREVIEW_CRDS) {
    describe(name, fn);
  } else {
    // eslint-disable-next-line no-console
    console.warn(`[skipped] "${name}": the preview CRDs of the next Grove API (reference grove/crds/preview-pr649) are not present`);
    describe.skip(name, fn);
  }
}

/** The Grove API level to validate against: the pinned CRDs, or the preview of the next API. */
export type CrdLevel = 'pinned' | 'next';

const memoryCache = new Map<string, unknown>();


/**
 * Loads the pinned CRD document of a Grove kind (`grove.io/PodCliqueSet`, ...), parsed once per process.
 *
 * @returns the CRD, or undefined for a kind without a pinned CRD
 */
export function loadPinnedCrd(groupKind: string, level: CrdLevel = 'pinned'): unknown {
  const name = CRD_FILES[groupKind];
  if (name === undefined) {
    return undefined;
  }
  const file = level === 'next' && PREVIEW_FILES.has(name) ? path.join('preview-pr649', name) : name;
  if (!memoryCache.has(file)) {
    memoryCache.set(file, readCrdFile(file));
  }
  return memoryCache.get(file);
}

/** One object's schema issues. */
export interface ObjectSchemaIssues {
  /** `Kind/name (object N)`. */
  readonly object: string;
  readonly issues: readonly SchemaIssue[];
}

/** Schema issues of every Grove object in `objects`; objects of other API groups are skipped. */
export function groveSchemaIssues(objects: readonly unknown[], level: CrdLevel = 'pinned'): ObjectSchemaIssues[] {
  const out: ObjectSchemaIssues[] = [];
  objects.forEach((obj, index) => {
    const o = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, any>;
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (!GROVE_GROUPS.has(group)) {
      return;
    }
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const label = `${kind || '<no kind>'}/${typeof o.metadata?.name === 'string' ? o.metadata.name : '<no name>'} (object ${index})`;
    const crds = compiledCrds(level);
    const crd = crds.get(group, kind);
    const issues: SchemaIssue[] = crd === undefined
      ? [{ field: 'kind', type: 'NotSupported', detail: `no pinned CRD for ${group}/${kind}; known: ${crds.kinds.join(', ')}` }]
      : validateAgainstCrd(obj, crd);
    if (issues.length > 0) {
      out.push({ object: label, issues });
    }
  });
  return out;
}

/**
 * Fails the current test, listing every issue, unless every Grove object in `objects` is valid against its pinned
 * CRD. Objects of other API groups (Service, ConfigMap, ...) are skipped.
 *
 * @param objects synthesized manifests, e.g. `Testing.synth(chart)`
 */
export function expectSchemaValid(objects: readonly any[], level: CrdLevel = 'pinned'): void {
  const failures = groveSchemaIssues(objects, level);
  if (failures.length === 0) {
    return;
  }
  const count = failures.reduce((n, f) => n + f.issues.length, 0);
  const lines = failures.flatMap(f => [`  ${f.object}:`, ...f.issues.map(i => `    ${formatSchemaIssue(i)}`)]);
  throw new Error(`${count} schema issue(s) against the ${level === 'next' ? 'preview (next API)' : 'pinned'} Grove CRDs:\n${lines.join('\n')}`);
}

function readCrdFile(file: string): unknown {
  const source = referencePath('grove', 'crds', file);
  const cacheFile = diskCachePath(source);
  if (cacheFile !== undefined) {
    try {
      return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    } catch {
      // no usable cache entry: parse the YAML below
    }
  }
  const crd = readReferenceYaml('grove', 'crds', file).find(d => d?.kind === 'CustomResourceDefinition');
  if (cacheFile !== undefined && crd !== undefined) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      // Write then rename, so parallel jest workers never read a half-written file.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(crd));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // the cache is an optimisation only
    }
  }
  return crd;
}

function diskCachePath(source: string): string | undefined {
  if (process.env.GROVE_CRD_CACHE === 'off') {
    return undefined;
  }
  try {
    const stat = fs.statSync(source);
    const key = crypto.createHash('sha256').update(`${source}|${stat.size}|${stat.mtimeMs}`).digest('hex').slice(0, 16);
    return path.join(os.tmpdir(), 'cdk8s-grove-crd-cache', `${path.basename(source, '.yaml')}-${key}.json`);
  } catch {
    return undefined;
  }
}

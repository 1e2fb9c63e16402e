/**
 * The CRDs for the structure check of `lint`: by default the compiled CRD schemas of the selected Grove API level (the
 * ones `admit()` validates with, `lib/schema/generated/`); with `--crds DIR` (or the `GROVE_CRDS_DIR` environment
 * variable) every CustomResourceDefinition in the YAML files directly inside that folder instead. Sub-folders are not
 * read, so older or preview CRD sets kept beside the pinned ones do not interfere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { GeneratedCrd, GroveApiLevel, groveCrds } from '../schema';
import { UsageError } from './args';
import { InputIo } from './input';
import { isRecord, record, str } from './pcs-model';

/** CRDs by `<group>/<kind>`. */
export interface CrdSet {
  /** Where the CRDs come from, as the user knows it: the folder as named, or the compiled CRDs of an API level. */
  readonly dir: string;
  /** Every `<group>/<kind>` found, sorted. */
  readonly kinds: readonly string[];
  /** The CRD document of a kind, or undefined. */
  get(group: string, kind: string): unknown;
}

/**
 * Reads the CRDs in `dir`. Big CRDs (the PodCliqueSet one embeds the whole PodSpec schema) take a moment to parse.
 *
 * @throws UsageError when the folder does not exist or holds no CustomResourceDefinition
 */
export function loadCrds(dir: string, io: InputIo): CrdSet {
  const absolute = path.resolve(io.cwd, dir);
  let entries: string[];
  try {
    entries = fs.readdirSync(absolute).filter(f => /\.ya?ml$/i.test(f)).sort();
  } catch {
    throw new UsageError(`no such CRD folder: ${dir}`);
  }
  const byKind = new Map<string, unknown>();
  for (const file of entries) {
    const text = fs.readFileSync(path.join(absolute, file), 'utf8');
    if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(text)) {
      continue;
    }
    const docs = parseAllDocuments(text);
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) {
        throw new UsageError(`${path.join(dir, file)}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      }
      const crd = doc.toJS();
      if (!isRecord(crd) || crd.kind !== 'CustomResourceDefinition') {
        continue;
      }
      const spec = record(crd.spec);
      const key = `${str(spec.group)}/${str(record(spec.names).kind)}`;
      if (!byKind.has(key)) {
        byKind.set(key, crd);
      }
    }
  }
  if (byKind.size === 0) {
    throw new UsageError(`no CustomResourceDefinition in the YAML files of ${dir}`);
  }
  return {
    dir,
    kinds: [...byKind.keys()].sort(),
    get: (group: string, kind: string) => byKind.get(`${group}/${kind}`),
  };
}

const COMPILED = new Map<GroveApiLevel, CrdSet>();

/**
 * The compiled CRDs of an API level, as CRD documents. A kind the level has no CRD of its own for comes from the
 * pinned set (the preview CRDs carry no ClusterTopologyBinding; `admit()` checks it against the pinned one too).
 */
export function compiledCrds(level: GroveApiLevel): CrdSet {
  let set = COMPILED.get(level);
  if (set === undefined) {
    const byKind = new Map<string, unknown>();
    for (const crd of [...groveCrds(level), ...groveCrds('pinned')]) {
      const key = `${crd.group}/${crd.kind}`;
      if (!byKind.has(key)) byKind.set(key, crdDocument(crd));
    }
    set = {
      dir: `the compiled ${level} Grove CRDs`,
      kinds: [...byKind.keys()].sort(),
      get: (group: string, kind: string) => byKind.get(`${group}/${kind}`),
    };
    COMPILED.set(level, set);
  }
  return set;
}

/** A generated CRD in the form of the CustomResourceDefinition document it was compiled from. */
function crdDocument(crd: GeneratedCrd): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      group: crd.group,
      names: { kind: crd.kind, plural: crd.plural },
      scope: crd.scope,
      versions: crd.versions.map(v => ({ name: v.name, served: v.served, storage: v.storage, schema: { openAPIV3Schema: v.schema } })),
    },
  };
}

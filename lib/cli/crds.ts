/**
 * The pinned Grove CRDs for the structure check of `lint`: every CustomResourceDefinition in the YAML files directly
 * inside a folder (`--crds DIR`, or the `GROVE_CRDS_DIR` environment variable). Sub-folders are not read, so older or
 * preview CRD sets kept beside the pinned ones do not interfere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './args';
import { InputIo } from './input';
import { isRecord, record, str } from './pcs-model';

/** CRDs by `<group>/<kind>`. */
export interface CrdSet {
  /** The folder as the user named it. */
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

/**
 * Access to the upstream reference data (pinned Grove CRDs, samples, conformance cases, Dynamo examples).
 *
 * The data lives beside the repository in `../shared/reference` and is not part of the package. When it is
 * absent (a user's fresh clone), every test that needs it is skipped with a visible message instead of failing.
 * Set `GROVE_REFERENCE_DIR` to point somewhere else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const REFERENCE_DIR = process.env.GROVE_REFERENCE_DIR
  ? path.resolve(process.env.GROVE_REFERENCE_DIR)
  : path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');

/** True when the reference data is present. */
export const HAS_REFERENCE = fs.existsSync(path.join(REFERENCE_DIR, 'grove', 'crds'));

/** Absolute path of a file under the reference directory. */
export function referencePath(...parts: string[]): string {
  return path.join(REFERENCE_DIR, ...parts);
}

/** Reads a reference file as text. */
export function readReference(...parts: string[]): string {
  return fs.readFileSync(referencePath(...parts), 'utf8');
}

/** Parses every YAML document of a reference file (empty documents are dropped). */
export function readReferenceYaml(...parts: string[]): any[] {
  return parseAllDocuments(readReference(...parts))
    .map(d => d.toJSON())
    .filter(d => d !== null && d !== undefined);
}

/**
 * `describe` when the reference data is present; otherwise a skipped `describe` and a warning that says
 * what was skipped and why.
 */
export function describeWithReference(name: string, fn: () => void): void {
  if (HAS_REFERENCE) {
    describe(name, fn);
  } else {
    // eslint-disable-next-line no-console
    console.warn(`[skipped] "${name}": reference data not found at ${REFERENCE_DIR} (set GROVE_REFERENCE_DIR)`);
    // not `describe.skip(name, fn)`: jest still runs a skipped block's body, which reads the absent files
    describe.skip(name, () => test('needs the reference data', () => undefined));
  }
}

/**
 * The generated Grove CRD schemas by API level, for callers that must not read files (`admit()` at synth time).
 * - `pinned`: the CRDs of the pinned Grove commit (`reference/grove/crds/`), the default;
 * - `next`: the preview of the post-snapshot API (`reference/grove/crds/preview-pr649/`, GREP-393).
 */
import { GeneratedCrd, GeneratedCrdVersion } from './crd-types';
import { CRDS as NEXT } from './generated/crds-next';
import { CRDS as PINNED } from './generated/crds-pinned';

/** Which Grove API the schemas (and API-level-specific webhook rules) come from. */
export type GroveApiLevel = 'pinned' | 'next';

export const GROVE_API_LEVELS: readonly GroveApiLevel[] = ['pinned', 'next'];

const BY_LEVEL: Record<GroveApiLevel, readonly GeneratedCrd[]> = { pinned: PINNED, next: NEXT };

/** One served CRD version of an API level. */
export interface GroveCrdVersion {
  readonly crd: GeneratedCrd;
  readonly version: GeneratedCrdVersion;
}

const cache = new Map<string, GroveCrdVersion | undefined>();

/** The served version of `group/kind` at `apiVersion` in an API level, or undefined. */
export function groveCrdVersion(level: GroveApiLevel, apiVersion: string, kind: string): GroveCrdVersion | undefined {
  const key = `${level}|${apiVersion}|${kind}`;
  if (!cache.has(key)) {
    const slash = apiVersion.indexOf('/');
    const group = apiVersion.slice(0, slash);
    const name = apiVersion.slice(slash + 1);
    const crd = (BY_LEVEL[level] ?? []).find(c => c.group === group && c.kind === kind);
    const version = crd?.versions.find(v => v.name === name && v.served);
    cache.set(key, crd !== undefined && version !== undefined ? { crd, version } : undefined);
  }
  return cache.get(key);
}

/** Every generated CRD of an API level (for tests and `lint`). */
export function groveCrds(level: GroveApiLevel): readonly GeneratedCrd[] {
  return BY_LEVEL[level];
}

/**
 * The generated Grove CRD schemas by API level, for callers that must not read files (`admit()` at synth time).
 * - `pinned`: the CRDs of the pinned Grove commit (`reference/grove/crds/`), the default;
 * - `next`: the preview of the post-snapshot API (`reference/grove/crds/preview-pr649/`, GREP-393).
 */
import { GeneratedCrd, GeneratedCrdVersion } from './crd-types';

/** Which Grove API the schemas (and API-level-specific webhook rules) come from. */
export type GroveApiLevel = 'pinned' | 'next';

export const GROVE_API_LEVELS: readonly GroveApiLevel[] = ['pinned', 'next'];

/**
 * The generated modules of each level, loaded on first use: each is about 190 KB of schema an app that never names
 * the other level should not load at start.
 */
const LOADERS: Record<GroveApiLevel, () => readonly GeneratedCrd[]> = {
  pinned: () => (require('./generated/crds-pinned') as typeof import('./generated/crds-pinned')).CRDS,
  next: () => (require('./generated/crds-next') as typeof import('./generated/crds-next')).CRDS,
};

function crdsOf(level: GroveApiLevel): readonly GeneratedCrd[] {
  return Object.prototype.hasOwnProperty.call(LOADERS, level) ? LOADERS[level]() : [];
}

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
    const crd = crdsOf(level).find(c => c.group === group && c.kind === kind);
    const version = crd?.versions.find(v => v.name === name && v.served);
    cache.set(key, crd !== undefined && version !== undefined ? { crd, version } : undefined);
  }
  return cache.get(key);
}

/** Every generated CRD of an API level (for tests and `lint`). */
export function groveCrds(level: GroveApiLevel): readonly GeneratedCrd[] {
  return crdsOf(level);
}

/**
 * Defaulting, as a PodCliqueSet goes through it on its way to the validating webhook:
 * 1. the API server's decode: prune, drop non-nullable nulls, schema defaults (`apiServerDecode`);
 * 2. Grove's defaulting webhook (ai-dynamo/grove operator/internal/webhook/admission/pcs/defaulting/podcliqueset.go,
 *    VALIDATION.md §2, D1-D9) behind controller-runtime's defaulter (pkg/webhook/admission/defaulter_custom.go):
 *    the object is decoded into Go types (a decode error ends the request), defaulted, and, only when `Default`
 *    changed it, re-marshalled and patched back: the patch then also carries every zero value `json.Marshal`
 *    writes (`go-json.ts`) and the Go form of decoded values (`terminationDelay` as `Duration.String()`);
 * 3. the API server's decode again, on the patched object.
 */
import { GeneratedCrdVersion, GroveApiLevel, groveCrdVersion } from '../schema';
import { apiServerDecode, goDecodeErrors } from './api-server';
import { formatGoDuration, parseGoDuration } from './duration';
import { fillZeroValues, POD_CLIQUE_SET_TYPE } from './go-json';
import { JsonObject, field, isBlank, isInteger, isObject } from './json';
import { applyNextDefaults } from './next/rules';

/** D8: the default `terminationDelay` (4h), as Go prints it. */
const DEFAULT_TERMINATION_DELAY = '4h0m0s';
/** D3: the default `terminationGracePeriodSeconds`. */
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** What the defaulting webhook made of the object. */
export interface DefaultingOutcome {
  /** The object after all three steps (after step 1 only when the webhook failed). */
  readonly object: JsonObject;
  /** Set when the webhook failed to decode the object into Go types (the request ends). */
  readonly decodeFailed: boolean;
  /** Set when `Default` dereferenced a nil clique (`cliques: [null]`): the webhook server recovers the panic. */
  readonly panic?: string;
}

/** The PodCliqueSet CRD version of an API level. */
export function podCliqueSetCrd(level: GroveApiLevel): GeneratedCrdVersion {
  const found = groveCrdVersion(level, 'grove.io/v1alpha1', 'PodCliqueSet');
  if (found === undefined) {
    throw new Error(`no generated PodCliqueSet CRD for API level ${level}`); // a broken generated module, not input
  }
  return found.version;
}

/** Steps 1-3 for one object. */
export function runDefaulting(obj: unknown, version: GeneratedCrdVersion, delayDecodes: (o: unknown) => boolean,
  level: GroveApiLevel = 'pinned'): DefaultingOutcome {
  const decoded = apiServerDecode(obj, version);
  if (goDecodeErrors(decoded, version).length > 0 || !delayDecodes(decoded)) {
    return { object: decoded, decodeFailed: true };
  }
  const template = field(field(decoded, 'spec'), 'template');
  if (Array.isArray(field(template, 'cliques')) && (field(template, 'cliques') as unknown[]).some(c => c === null)) {
    return { object: decoded, decodeFailed: false, panic: 'runtime error: invalid memory address or nil pointer dereference' };
  }
  const defaulted = decoded; // defaulted in place: `decoded` is our own copy
  changes.count = 0;
  applyApiLevelDefaults(defaulted, level); // first: where both set a field, the API level's value stands
  applyWebhookDefaults(defaulted);
  if (changes.count === 0) {
    return { object: decoded, decodeFailed: false }; // reflect.DeepEqual(original, defaulted): no patch at all
  }
  fillZeroValues(defaulted, POD_CLIQUE_SET_TYPE);
  normalizeDuration(defaulted);
  return { object: apiServerDecode(defaulted, version, true), decodeFailed: false };
}

/** `terminationDelay` must parse as a Go duration for the webhook to decode the object. */
export function terminationDelayDecodes(obj: unknown): boolean {
  const delay = field(field(field(obj, 'spec'), 'template'), 'terminationDelay');
  return typeof delay !== 'string' || parseGoDuration(delay).ok;
}

/**
 * The PodCliqueSet after the API server's decode, Grove's defaulting webhook and the decode again. Pure: returns a
 * new object and never mutates `obj`; a non-object input yields `{}`.
 */
export function defaultPodCliqueSet(obj: unknown, level: GroveApiLevel = 'pinned'): object {
  if (!isObject(obj)) {
    return {};
  }
  return runDefaulting(obj, podCliqueSetCrd(level), terminationDelayDecodes, level).object;
}

/**
 * The place for defaults that exist at one Grove API level only; they set values through `set`/`setIfAbsent` so a
 * change makes the webhook send its patch. They run before the shared ones. The pinned API has none; `next` has
 * GREP-393's (`applyNextDefaults`, lib/admission/next).
 */
function applyApiLevelDefaults(pcs: JsonObject, level: GroveApiLevel): void {
  switch (level) {
    case 'next':
      applyNextDefaults(pcs, setIfAbsent);
      return;
    case 'pinned':
    default:
      return;
  }
}

/** How many values `Default` set in the current run (zero: the Go object is unchanged and no patch is sent). */
const changes = { count: 0 };

/** Sets a value `Default` changes. */
function set(parent: JsonObject, key: string, value: unknown): void {
  parent[key] = value;
  changes.count++;
}

/**
 * The child object at `key`: created when absent (Go zero value: the struct exists, so creating it is no change),
 * `undefined` when present with another type.
 */
function ensureObject(parent: JsonObject, key: string): JsonObject | undefined {
  const value = field(parent, key);
  if (value === undefined) {
    const created: JsonObject = {};
    parent[key] = created;
    return created;
  }
  return isObject(value) ? value : undefined;
}

/** Sets `parent[key]` when it is absent (nil pointer in Go). */
function setIfAbsent(parent: JsonObject, key: string, value: unknown): void {
  if (field(parent, key) === undefined) {
    set(parent, key, value);
  }
}

/** podcliqueset.go `defaultPodCliqueSet` on the decoded object. */
function applyWebhookDefaults(pcs: JsonObject): void {
  const metadata = ensureObject(pcs, 'metadata');
  if (metadata) {
    const namespace = field(metadata, 'namespace');
    if (namespace === undefined || (typeof namespace === 'string' && isBlank(namespace))) {
      set(metadata, 'namespace', 'default'); // D1
    }
  }
  const spec = ensureObject(pcs, 'spec');
  const template = spec && ensureObject(spec, 'template');
  if (!template) {
    return;
  }
  const cliques = field(template, 'cliques');
  if (Array.isArray(cliques)) {
    cliques.filter(isObject).forEach(defaultClique);
  } else if (cliques === undefined) {
    set(template, 'cliques', []); // defaultPodCliqueTemplateSpecs returns make([]..., 0): marshalled as [], not null
  }
  const groups = field(template, 'podCliqueScalingGroups');
  if (Array.isArray(groups)) {
    groups.filter(isObject).forEach(defaultScalingGroup);
  }
  setIfAbsent(template, 'terminationDelay', DEFAULT_TERMINATION_DELAY); // D8
  setIfAbsent(template, 'headlessServiceConfig', { publishNotReadyAddresses: true }); // D9
}

function defaultClique(clique: JsonObject): void {
  const spec = ensureObject(clique, 'spec');
  if (!spec) {
    return;
  }
  const podSpec = ensureObject(spec, 'podSpec');
  if (podSpec) {
    const restartPolicy = field(podSpec, 'restartPolicy');
    if (restartPolicy === undefined || (typeof restartPolicy === 'string' && isBlank(restartPolicy))) {
      set(podSpec, 'restartPolicy', 'Always'); // D2
    }
    setIfAbsent(podSpec, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS); // D3
  }
  const replicas = field(spec, 'replicas');
  if (replicas !== undefined && !isInteger(replicas)) {
    return;
  }
  // Q3: minAvailable and autoScalingConfig.minReplicas take the *submitted* replicas, before D4 turns 0 into 1.
  const submittedReplicas = replicas ?? 0;
  if (submittedReplicas === 0) {
    set(spec, 'replicas', 1); // D4
  }
  setIfAbsent(spec, 'minAvailable', submittedReplicas); // D5
  const scaleConfig = field(spec, 'autoScalingConfig');
  if (isObject(scaleConfig)) {
    setIfAbsent(scaleConfig, 'minReplicas', submittedReplicas); // D6
  }
}

function defaultScalingGroup(group: JsonObject): void {
  const scaleConfig = field(group, 'scaleConfig');
  const replicas = field(group, 'replicas');
  if (isObject(scaleConfig) && isInteger(replicas)) {
    setIfAbsent(scaleConfig, 'minReplicas', replicas); // D7 (replicas already 1 via the CRD default)
  }
}

/** Go's round trip of `metav1.Duration`: a parseable value is written back in `Duration.String()` form. */
function normalizeDuration(pcs: JsonObject): void {
  const template = field(field(pcs, 'spec'), 'template');
  const delay = field(template, 'terminationDelay');
  if (isObject(template) && typeof delay === 'string') {
    const parsed = parseGoDuration(delay);
    if (parsed.ok) {
      template.terminationDelay = formatGoDuration(parsed.nanos);
    }
  }
}

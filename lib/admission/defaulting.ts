/**
 * Defaulting, as the API server + Grove's mutating webhook (`/webhooks/default-podcliqueset`) apply it:
 * CRD structural defaults, then the webhook's defaults (VALIDATION.md §2, D1-D9), then structural defaults again
 * (the API server re-applies them after a mutating webhook patched the object).
 *
 * The webhook works on Go structs, so a missing `spec`, `template`, clique `spec` or `podSpec` is created as it
 * would be from a zero value. Mistyped values are left alone (the type check reports them).
 */
import { POD_CLIQUE_SET_SCHEMA } from './crd-schemas';
import { formatGoDuration, parseGoDuration } from './duration';
import { JsonObject, deepCopy, field, isBlank, isInteger, isObject } from './json';
import { applyDefaults } from './schema';

/** D8: the default `terminationDelay` (4h), as Go prints it. */
const DEFAULT_TERMINATION_DELAY = '4h0m0s';
/** D3: the default `terminationGracePeriodSeconds`. */
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * The PodCliqueSet after CRD structural defaults and Grove's defaulting webhook. Pure: returns a new object and never
 * mutates `obj`; a non-object input yields `{}`.
 */
export function defaultPodCliqueSet(obj: unknown): object {
  if (!isObject(obj)) {
    return {};
  }
  const pcs = deepCopy(obj);
  applyDefaults(POD_CLIQUE_SET_SCHEMA, pcs);
  applyWebhookDefaults(pcs);
  applyDefaults(POD_CLIQUE_SET_SCHEMA, pcs);
  return pcs;
}

/**
 * The child object at `key`: created when absent (Go zero value), `undefined` when present with another type.
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
    parent[key] = value;
  }
}

function applyWebhookDefaults(pcs: JsonObject): void {
  const metadata = ensureObject(pcs, 'metadata');
  if (metadata) {
    const namespace = field(metadata, 'namespace');
    if (namespace === undefined || (typeof namespace === 'string' && isBlank(namespace))) {
      metadata.namespace = 'default'; // D1
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
  }
  const groups = field(template, 'podCliqueScalingGroups');
  if (Array.isArray(groups)) {
    groups.filter(isObject).forEach(defaultScalingGroup);
  }
  defaultTerminationDelay(template);
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
      podSpec.restartPolicy = 'Always'; // D2
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
    spec.replicas = 1; // D4
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

/** D8, and Go's round trip of `metav1.Duration`: a parseable value is stored in `Duration.String()` form. */
function defaultTerminationDelay(template: JsonObject): void {
  const delay = field(template, 'terminationDelay');
  if (delay === undefined) {
    template.terminationDelay = DEFAULT_TERMINATION_DELAY;
  } else if (typeof delay === 'string') {
    const parsed = parseGoDuration(delay);
    if (parsed.ok) {
      template.terminationDelay = formatGoDuration(parsed.nanos);
    }
  }
}

/**
 * `admit()`: an offline, pure port of what the Kubernetes API server and Grove's admission webhooks answer for a
 * PodCliqueSet or ClusterTopologyBinding CREATE/UPDATE. Never throws: malformed input is reported as errors.
 */
import { GROVE_API_LEVELS, GroveApiLevel } from '../schema';
import { validateClusterTopologyBinding } from './cluster-topology-binding';
import { ClusterObjects } from './cluster';
import { operatorConfigErrors, normalizeOperatorConfig, schedulerRegistry } from './config';
import { ErrorList, internalError, notSupported, required, typeInvalid } from './errors';
import { inputShapeErrors } from './input-shape';
import { field, isObject } from './json';
import { admitPodCliqueSet } from './pod-clique-set-admission';
import { AdmissionOperation, AdmissionRequest, AdmissionResponse } from './types';

const API_VERSION = 'grove.io/v1alpha1';
const KINDS = ['PodCliqueSet', 'ClusterTopologyBinding'];
const OPERATIONS: readonly AdmissionOperation[] = ['CREATE', 'UPDATE'];

/** How `admit()` models the platform. */
export interface AdmitOptions {
  /**
   * Which Grove API the CRD schemas (and API-level-specific webhook rules) come from: `pinned` (the CRDs of the pinned
   * Grove commit) or `next` (the preview of the post-snapshot API, GREP-393).
   * @default 'pinned'
   */
  readonly groveApi?: GroveApiLevel;
}

function deny(errors: ErrorList): AdmissionResponse {
  return { allowed: false, errors, warnings: [] };
}

/** Request-level problems: operation, object shape, apiVersion, kind, operator configuration, API level. */
function requestErrors(request: unknown, options: unknown): ErrorList {
  const operation = field(request, 'operation');
  if (typeof operation !== 'string' || !(OPERATIONS as readonly string[]).includes(operation)) {
    return [notSupported('operation', operation ?? null, OPERATIONS)];
  }
  const object = field(request, 'object');
  if (!isObject(object)) {
    return [typeInvalid('', `the object must be a JSON object, got ${object === undefined ? 'nothing' : Array.isArray(object) ? 'an array' : typeof object}`)];
  }
  const errs: ErrorList = [...inputShapeErrors(object, '')];
  const groveApi = field(options, 'groveApi');
  if (groveApi !== undefined && !(GROVE_API_LEVELS as readonly unknown[]).includes(groveApi)) {
    errs.push(notSupported('groveApi', groveApi, GROVE_API_LEVELS));
  }
  errs.push(...operatorConfigErrors(field(request, 'operatorConfig')));
  const apiVersion = field(object, 'apiVersion');
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    errs.push(notSupported('apiVersion', apiVersion, [API_VERSION]));
  }
  const kind = field(object, 'kind');
  if (kind === undefined) {
    errs.push(required('kind', `kind is required (one of ${KINDS.join(', ')})`));
  } else if (typeof kind !== 'string' || !KINDS.includes(kind)) {
    errs.push(notSupported('kind', kind, KINDS));
  }
  if (kind === 'PodCliqueSet' && operation === 'UPDATE') {
    const old = field(request, 'oldObject');
    if (!isObject(old)) {
      errs.push(required('oldObject', 'an UPDATE needs the stored object (oldObject)'));
    } else {
      errs.push(...inputShapeErrors(old, 'oldObject'));
    }
  }
  const clusterObjects = field(request, 'clusterObjects');
  if (clusterObjects !== undefined) {
    errs.push(...(Array.isArray(clusterObjects) ? inputShapeErrors(clusterObjects, 'clusterObjects') : [typeInvalid('clusterObjects', 'clusterObjects must be a list of objects')]));
  }
  return errs;
}

/**
 * Admits one request as the API server + Grove's defaulting and validating webhooks would.
 *
 * @param options which Grove API level to model (`{ groveApi: 'pinned' | 'next' }`, default `pinned`)
 */
export function admit(request: AdmissionRequest, options: AdmitOptions = {}): AdmissionResponse {
  try {
    return admitUnchecked(request, options);
  } catch (e) {
    // Not reached by any input we know of; a bug in the port must still not crash the caller.
    return deny([internalError('', `admission stopped: ${e instanceof Error ? e.message : String(e)}`)]);
  }
}

function admitUnchecked(request: AdmissionRequest, options: AdmitOptions): AdmissionResponse {
  if (field(request, 'operation') === 'DELETE') {
    return { allowed: true, errors: [], warnings: [] }; // Grove's webhooks always allow deletion
  }
  const problems = requestErrors(request, options);
  if (problems.length > 0) {
    return deny(problems);
  }
  const groveApi: GroveApiLevel = (field(options, 'groveApi') as GroveApiLevel | undefined) ?? 'pinned';
  const config = normalizeOperatorConfig(field(request, 'operatorConfig'));
  const registry = schedulerRegistry(config);
  const clusterObjects = field(request, 'clusterObjects');
  const cluster = new ClusterObjects(Array.isArray(clusterObjects) ? clusterObjects : []);
  if (field(request.object, 'kind') === 'ClusterTopologyBinding') {
    const errors = validateClusterTopologyBinding(request.object, registry, groveApi);
    return { allowed: errors.length === 0, errors, warnings: [] };
  }
  return admitPodCliqueSet(request.object, request.oldObject, { operation: request.operation, config, registry, cluster, groveApi });
}

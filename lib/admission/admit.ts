/**
 * `admit()`: an offline, pure port of what the Kubernetes API server and Grove's admission webhooks answer for a
 * PodCliqueSet or ClusterTopologyBinding CREATE/UPDATE. Never throws: malformed input is reported as errors.
 */
import { validateClusterTopologyBinding } from './cluster-topology-binding';
import { ClusterObjects } from './cluster';
import { normalizeOperatorConfig, schedulerRegistry } from './config';
import { ErrorList, notSupported, required, typeInvalid } from './errors';
import { field, isObject } from './json';
import { admitNext } from './next';
import { admitPodCliqueSet } from './pod-clique-set-admission';
import { AdmissionOperation, AdmissionRequest, AdmissionResponse } from './types';

const API_VERSION = 'grove.io/v1alpha1';
const KINDS = ['PodCliqueSet', 'ClusterTopologyBinding'];
const OPERATIONS: readonly AdmissionOperation[] = ['CREATE', 'UPDATE'];

function deny(errors: ErrorList): AdmissionResponse {
  return { allowed: false, errors, warnings: [] };
}

/** Request-level problems: operation, object shape, apiVersion, kind. */
function requestErrors(request: unknown): ErrorList {
  const operation = field(request, 'operation');
  if (typeof operation !== 'string' || !(OPERATIONS as readonly string[]).includes(operation)) {
    return [notSupported('operation', operation ?? null, OPERATIONS)];
  }
  const object = field(request, 'object');
  if (!isObject(object)) {
    return [typeInvalid('', `the object must be a JSON object, got ${object === undefined ? 'nothing' : Array.isArray(object) ? 'an array' : typeof object}`)];
  }
  const errs: ErrorList = [];
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
  if (kind === 'PodCliqueSet' && operation === 'UPDATE' && !isObject(field(request, 'oldObject'))) {
    errs.push(required('oldObject', 'an UPDATE needs the stored object (oldObject)'));
  }
  return errs;
}

/** Options of `admit`. */
export interface AdmitOptions {
  /**
   * The Grove API level: `pinned` (the CRDs and webhooks of the pinned commit) or `next` (GREP-393's Coherent
   * updates, the CRDs of PR #649: lib/admission/next).
   * @default 'pinned'
   */
  readonly groveApi?: 'pinned' | 'next';
}

/** Admits one request as the API server + Grove's defaulting and validating webhooks would. */
export function admit(request: AdmissionRequest, options: AdmitOptions = {}): AdmissionResponse {
  if (options.groveApi === 'next' && field(request.object, 'kind') === 'PodCliqueSet' && field(request, 'operation') !== 'DELETE') {
    return admitNext(request, r => admit(r));
  }
  if (field(request, 'operation') === 'DELETE') {
    return { allowed: true, errors: [], warnings: [] }; // Grove's webhooks always allow deletion
  }
  const problems = requestErrors(request);
  if (problems.length > 0) {
    return deny(problems);
  }
  const config = normalizeOperatorConfig(field(request, 'operatorConfig'));
  const registry = schedulerRegistry(config);
  const clusterObjects = field(request, 'clusterObjects');
  const cluster = new ClusterObjects(Array.isArray(clusterObjects) ? clusterObjects : []);
  if (field(request.object, 'kind') === 'ClusterTopologyBinding') {
    const errors = validateClusterTopologyBinding(request.object, registry);
    return { allowed: errors.length === 0, errors, warnings: [] };
  }
  return admitPodCliqueSet(request.object, request.oldObject, { operation: request.operation, config, registry, cluster });
}

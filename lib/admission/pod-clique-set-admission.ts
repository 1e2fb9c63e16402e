/**
 * PodCliqueSet admission end to end, in the API server's order: decode → CRD defaults + Grove's defaulting webhook →
 * metadata / OpenAPI schema / CEL → Grove's validating webhook (CREATE: topology, `validate()`, MNNVL, backend;
 * UPDATE: `validate()`, MNNVL, backend, and only if those pass, the immutability rules — quirk Q7).
 */
import { celErrors, decodeErrors, schemaErrors, withGeneratedName } from './api-server';
import { validateCelRules } from './cel';
import { ClusterObjects } from './cluster';
import { SchedulerRegistry } from './config';
import { POD_CLIQUE_SET_SCHEMA } from './crd-schemas';
import { defaultPodCliqueSet } from './defaulting';
import { parseGoDuration } from './duration';
import { ErrorList, internalError, invalid } from './errors';
import { FieldPath } from './field-path';
import { field, objectField } from './json';
import { validateMnnvlOnCreate, validateMnnvlOnUpdate } from './mnnvl';
import { PodCliqueSetView, podCliqueSetView } from './model';
import { validatePodCliqueSet } from './podcliqueset';
import { validateWithBackend } from './scheduler';
import { packDomainDeprecationWarnings, validateTopologyOnCreate } from './topology';
import { AdmissionOperation, AdmissionResponse, OperatorConfig } from './types';
import { validatePodCliqueSetUpdate } from './update';

/** Everything the PodCliqueSet webhooks know besides the object. */
export interface PodCliqueSetAdmissionContext {
  readonly operation: AdmissionOperation;
  readonly config: OperatorConfig;
  readonly registry: SchedulerRegistry;
  readonly cluster: ClusterObjects;
}

/** The API server passes each distinct warning to the client once. */
function respond(errors: ErrorList, warnings: string[], patched: object): AdmissionResponse {
  return { allowed: errors.length === 0, errors, warnings: [...new Set(warnings)], patched };
}

/**
 * Admission of a PodCliqueSet. `oldObject` is the stored object on UPDATE (defaults are applied to it too, which is
 * a no-op for an object that went through admission).
 */
export function admitPodCliqueSet(object: unknown, oldObject: unknown, ctx: PodCliqueSetAdmissionContext): AdmissionResponse {
  const patched = defaultPodCliqueSet(object);
  // Grove's mutating webhook decodes the object into Go types first: a mistyped field or duration stops everything.
  const undecodable = [...decodeErrors(POD_CLIQUE_SET_SCHEMA, object), ...durationErrors(object)];
  if (undecodable.length > 0) {
    return respond(undecodable, [], patched);
  }
  const validated = withGeneratedName(patched);
  const apiServerErrors = schemaErrors(POD_CLIQUE_SET_SCHEMA, validated, true);
  apiServerErrors.push(...celErrors(apiServerErrors, () => validateCelRules(validated, ctx.operation)));
  if (apiServerErrors.length > 0) {
    return respond(apiServerErrors, [], patched);
  }
  const pcs = podCliqueSetView(validated);
  const outcome = ctx.operation === 'CREATE'
    ? validateCreate(pcs, ctx)
    : validateUpdate(pcs, podCliqueSetView(defaultPodCliqueSet(oldObject)), ctx);
  return respond(outcome.errors, outcome.warnings, patched);
}

/** `terminationDelay` must parse as a Go duration for the webhook to decode the object. */
function durationErrors(obj: unknown): ErrorList {
  const delay = field(objectField(objectField(obj, 'spec'), 'template'), 'terminationDelay');
  if (typeof delay !== 'string') {
    return [];
  }
  const parsed = parseGoDuration(delay);
  return parsed.ok ? [] : [invalid(FieldPath.of('spec', 'template', 'terminationDelay'), parsed.error)];
}

interface WebhookOutcome {
  readonly errors: ErrorList;
  readonly warnings: string[];
}

/** Q1: a panic recovered by the webhook server denies the request with an internal error. */
function panicked(errors: ErrorList, panic: string): WebhookOutcome {
  return { errors: [...errors, internalError('', `panic: ${panic} [recovered]`)], warnings: [] };
}

/** The backend's `ValidatePodCliqueSet`, reported at `spec` (Q6). */
function backendErrors(pcs: PodCliqueSetView, ctx: PodCliqueSetAdmissionContext): ErrorList {
  const message = validateWithBackend(pcs, ctx.registry, ctx.cluster);
  return message === undefined ? [] : [invalid(FieldPath.of('spec'), message)];
}

function validateCreate(pcs: PodCliqueSetView, ctx: PodCliqueSetAdmissionContext): WebhookOutcome {
  const topology = validateTopologyOnCreate(pcs, ctx.config.topologyAwareScheduling, ctx.cluster);
  const validated = validatePodCliqueSet(pcs, 'CREATE', ctx.registry);
  if (validated.panic !== undefined) {
    return panicked(validated.errors, validated.panic);
  }
  return {
    errors: [...topology.errors, ...validated.errors, ...validateMnnvlOnCreate(pcs, ctx.config.autoMNNVLEnabled), ...backendErrors(pcs, ctx)],
    warnings: [...validated.warnings, ...topology.warnings],
  };
}

function validateUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView, ctx: PodCliqueSetAdmissionContext): WebhookOutcome {
  const validated = validatePodCliqueSet(pcs, 'UPDATE', ctx.registry);
  if (validated.panic !== undefined) {
    return panicked(validated.errors, validated.panic);
  }
  const errors = [...validated.errors, ...validateMnnvlOnUpdate(pcs, old), ...backendErrors(pcs, ctx)];
  if (errors.length > 0) {
    return { errors, warnings: validated.warnings };
  }
  return {
    errors: validatePodCliqueSetUpdate(pcs, old, ctx.config.topologyAwareScheduling, ctx.cluster),
    warnings: [...validated.warnings, ...packDomainDeprecationWarnings(pcs)],
  };
}

/**
 * PodCliqueSet admission end to end, as a pipeline of stages in the API server's order. Each stage names the upstream
 * file it ports; a failing stage ends the request, hiding every later one:
 * 1. scale subresource (`scaleSubresourceErrors`, apiextensions-apiserver pkg/registry/customresource/validator.go);
 * 2. the API server's decode: prune, nulls, schema defaults (`apiServerDecode`, customresource_handler.go);
 * 3. Grove's defaulting webhook behind controller-runtime's defaulter: Go decode (types, durations), `Default`, JSON
 *    round trip (`runDefaulting`, defaulter_custom.go + grove pcs/defaulting/podcliqueset.go), then decode again;
 * 4. the API server's validation, after `status` is reset (`prepareForStorage`): ObjectMeta, structural schema, list
 *    types, CEL (`schemaStageErrors`, strategy.go);
 * 5. Grove's validating webhook (`validatingWebhook`, grove pcs/validation/handler.go): CREATE: topology,
 *    `validate()`, MNNVL, backend; UPDATE: `validate()`, MNNVL, backend, and only if those pass, the immutability
 *    rules (quirk Q7), with the API-level-specific rules of `apiLevelWebhookRules` after them.
 * On UPDATE the stored object goes through stages 2-3 as well, so immutability compares pruned, defaulted objects.
 */
import { GroveApiLevel } from '../schema';
import { goDecodeErrors, prepareForStorage, scaleSubresourceErrors, schemaStageErrors, withGeneratedName } from './api-server';
import { ClusterObjects } from './cluster';
import { SchedulerRegistry } from './config';
import { podCliqueSetCrd, runDefaulting, terminationDelayDecodes } from './defaulting';
import { parseGoDuration } from './duration';
import { ErrorList, internalError, invalid } from './errors';
import { FieldPath } from './field-path';
import { field, objectField } from './json';
import { validateMnnvlOnCreate, validateMnnvlOnUpdate } from './mnnvl';
import { validateNextPodCliqueSet } from './next/rules';
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
  /** Which Grove API the CRD schemas and API-level-specific webhook rules come from. */
  readonly groveApi: GroveApiLevel;
}

/** The API server passes each distinct warning to the client once. */
function respond(errors: ErrorList, warnings: string[], patched: object): AdmissionResponse {
  return { allowed: errors.length === 0, errors, warnings: [...new Set(warnings)], patched };
}

/**
 * Admission of a PodCliqueSet. `oldObject` is the stored object on UPDATE (it goes through the API server's decode and
 * the defaulting webhook too, which is a no-op for an object that went through admission).
 */
export function admitPodCliqueSet(object: unknown, oldObject: unknown, ctx: PodCliqueSetAdmissionContext): AdmissionResponse {
  const version = podCliqueSetCrd(ctx.groveApi);
  const scale = scaleSubresourceErrors(object, version);
  if (scale.length > 0) {
    return respond(scale, [], {});
  }
  const defaulting = runDefaulting(object, version, terminationDelayDecodes, ctx.groveApi);
  const patched = defaulting.object;
  if (defaulting.decodeFailed) {
    return respond([...goDecodeErrors(patched, version), ...durationErrors(patched)], [], patched);
  }
  if (defaulting.panic !== undefined) {
    return respond([internalError('', `panic: ${defaulting.panic} [recovered]`)], [], patched);
  }
  const old = ctx.operation === 'UPDATE' ? runDefaulting(oldObject, version, terminationDelayDecodes, ctx.groveApi).object : undefined;
  prepareForStorage(patched, old, version);
  const validated = withGeneratedName(patched);
  const apiServerErrors = schemaStageErrors(validated, old, version, true);
  if (apiServerErrors.length > 0) {
    return respond(apiServerErrors, [], patched);
  }
  const outcome = validatingWebhook(podCliqueSetView(validated), old === undefined ? undefined : podCliqueSetView(old), ctx);
  return respond(outcome.errors, outcome.warnings, patched);
}

/** Stage 5: Grove's validating webhook (operator/internal/webhook/admission/pcs/validation/handler.go). */
function validatingWebhook(pcs: PodCliqueSetView, old: PodCliqueSetView | undefined, ctx: PodCliqueSetAdmissionContext): WebhookOutcome {
  const outcome = old === undefined ? validateCreate(pcs, ctx) : validateUpdate(pcs, old, ctx);
  const extra = apiLevelWebhookRules(pcs, old, ctx);
  return { errors: [...outcome.errors, ...extra.errors], warnings: [...outcome.warnings, ...extra.warnings] };
}

/**
 * The place for webhook rules that exist at one Grove API level only. The pinned API has none; `next` has GREP-393's
 * (`validateNextPodCliqueSet`, lib/admission/next).
 */
function apiLevelWebhookRules(pcs: PodCliqueSetView, old: PodCliqueSetView | undefined, ctx: PodCliqueSetAdmissionContext): WebhookOutcome {
  switch (ctx.groveApi) {
    case 'next':
      return { errors: validateNextPodCliqueSet(pcs, old), warnings: [] };
    case 'pinned':
    default:
      return { errors: [], warnings: [] };
  }
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

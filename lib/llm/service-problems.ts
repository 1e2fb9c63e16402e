/**
 * Checks of an LLM service's roles that concern the Dynamo contract: GPU roles never autoscale on CPU or memory
 * utilization, and both roles of a disaggregated service run the KV connector.
 */
import { utilizationMetrics } from './contract';
import * as engines from './engines';
import { LlmEngine } from './llm-engine';
import { LlmWorkerOptions } from './llm-worker-role';
import { ValidationProblem } from '../errors';

/** @internal */
export interface RoleRequest {
  /** The role. */
  readonly role: engines.WorkerRole;
  /** Its options as the user gave them. */
  readonly options: LlmWorkerOptions;
  /** Whether the KV connector is on unless the options say otherwise. */
  readonly kvTransferDefault: boolean;
}

/** GPU roles never scale on CPU or memory utilization (a GPU worker uses a core or two of its request) unless opted in. */
export function autoscalingProblems(path: string, r: RoleRequest): ValidationProblem[] {
  const a = r.options.autoScaling;
  if (a === undefined || r.options.allowUtilizationAutoscaling === true) {
    return [];
  }
  const u = utilizationMetrics({ metrics: (a.metrics ?? []).map(m => (typeof m?._toGrove === 'function' ? m._toGrove() : m)) });
  if (!u.defaulted && u.resources.length === 0) {
    return [];
  }
  return [{
    constructPath: path, field: `${roleKey(r.role)}.autoScaling.metrics`,
    message: `the ${roleKey(r.role)} pods request GPUs but would autoscale on ${u.defaulted ? 'the HorizontalPodAutoscaler default, 80% CPU utilization' : `${u.resources.join(' and ')} utilization`}; `
      + 'a GPU worker uses one or two of its requested cores, so the autoscaler would shrink the role to minReplicas under full load',
    value: u.defaulted ? 'no metrics' : u.resources.join(', '),
    fix: 'scale on GPU-worker load, e.g. metrics: [DynamoMetric.kvCacheUsage(0.7)] or [DynamoMetric.queuedRequests(8)], or set allowUtilizationAutoscaling: true to keep it',
  }];
}

export function disaggregationProblems(path: string, engine: LlmEngine, roles: RoleRequest[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const r of roles) {
    if (r.options.kvTransfer === false) {
      problems.push({
        constructPath: path, field: `${roleKey(r.role)}.kvTransfer`, message: 'a disaggregated service moves KV caches from prefill to decode, so both roles need the KV connector',
        value: false, fix: 'remove `kvTransfer: false`, or serve the model aggregated with AggregatedLlm',
      });
    }
  }
  const [a, b] = roles.map(r => r.options);
  const rule = engine.spec.kvTransfer;
  if (rule.parallelismMustMatch && ((a.tensorParallel ?? 1) !== (b.tensorParallel ?? 1) || (a.pipelineParallel ?? 1) !== (b.pipelineParallel ?? 1))) {
    problems.push({
      constructPath: path, field: 'decode.tensorParallel',
      message: `the ${engine.kind} KV connector (${rule.mechanism}) needs prefill and decode to use the same parallelism, but prefill is tp=${a.tensorParallel ?? 1} pp=${a.pipelineParallel ?? 1} and decode tp=${b.tensorParallel ?? 1} pp=${b.pipelineParallel ?? 1}`,
      fix: 'give both roles the same tensorParallel and pipelineParallel',
    });
  }
  return problems;
}

/** The prop a role's options live under. @internal */
export function roleKey(role: engines.WorkerRole): string {
  return role === engines.ServingRole.AGGREGATED ? 'worker' : role;
}

/**
 * The Dynamo SLA planner (`python3 -m dynamo.planner --config <json>`).
 *
 * Sources (reference folder `dynamo/`): examples/vllm_disagg_planner.v1beta1.yaml (image, command, config),
 * GROVE_TRANSLATION.md §4 planner row and GOLDEN.md G1 planner clique (ports `metrics` 9085 and `system` 9090,
 * `DYN_SYSTEM_PORT`, `PLANNER_PROMETHEUS_PORT`, startup probe, service account `planner-serviceaccount`).
 *
 * Caveat: the planner's Kubernetes connector scales the DynamoGraphDeployment it belongs to, so it only acts
 * when the Dynamo operator owns the graph; a bare PodCliqueSet gives it nothing to scale.
 */
import { DynamoPort, DynamoPortName, plannerImage, podIdentityEnv } from './dynamo-runtime';
import { EngineKind, EnvVar, LaunchSpec } from './types';

/** Service account the operator gives planner pods (`PlannerServiceAccountName`). */
export const PLANNER_SERVICE_ACCOUNT_NAME = 'planner-serviceaccount';

/** Options of `dynamoPlanner()`. */
export interface PlannerOptions {
  /** The engine of the graph's workers (`backend` in the planner config). */
  readonly backend: EngineKind;
  /**
   * Planner configuration; `environment` and `backend` are always set from the options.
   * @default - the configuration of examples/vllm_disagg_planner.v1beta1.yaml (`DEFAULT_PLANNER_CONFIG`)
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Image.
   * @default - `nvcr.io/nvidia/ai-dynamo/dynamo-planner:<DYNAMO_VERSION>`
   */
  readonly image?: string;
  /**
   * More environment variables, appended after the planner's.
   * @default []
   */
  readonly extraEnv?: readonly EnvVar[];
}

/** The planner configuration of examples/vllm_disagg_planner.v1beta1.yaml, without `environment`/`backend`. */
export const DEFAULT_PLANNER_CONFIG: Readonly<Record<string, unknown>> = {
  optimization_target: 'sla',
  enable_throughput_scaling: true,
  enable_load_scaling: true,
  pre_deployment_sweeping_mode: 'none',
  throughput_adjustment_interval_seconds: 60,
  load_adjustment_interval_seconds: 5,
};

/**
 * The launch spec of a Dynamo planner container.
 *
 * @param opts backend, configuration and image
 */
export function dynamoPlanner(opts: PlannerOptions): LaunchSpec {
  // environment and backend first, as in the example; the options win over a user config's values.
  const config: Record<string, unknown> = { environment: 'kubernetes', backend: opts.backend, ...(opts.config ?? DEFAULT_PLANNER_CONFIG) };
  config.environment = 'kubernetes';
  config.backend = opts.backend;
  return {
    image: opts.image ?? plannerImage(),
    command: ['python3', '-m', 'dynamo.planner'],
    args: ['--config', JSON.stringify(config)],
    env: [
      { name: 'DYN_SYSTEM_PORT', value: String(DynamoPort.SYSTEM) },
      { name: 'PLANNER_PROMETHEUS_PORT', value: String(DynamoPort.PLANNER_METRICS) },
      ...podIdentityEnv(),
      ...(opts.extraEnv ?? []),
    ],
    ports: [
      { name: DynamoPortName.METRICS, containerPort: DynamoPort.PLANNER_METRICS },
      { name: DynamoPortName.SYSTEM, containerPort: DynamoPort.SYSTEM },
    ],
    sharedMemory: true,
    startupProbe: { httpGet: { path: '/live', port: DynamoPortName.SYSTEM }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 720 },
  };
}

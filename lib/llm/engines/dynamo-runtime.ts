/**
 * Facts about the Dynamo runtime that do not depend on the engine: image names, the pinned release, the
 * ports, and the environment variables and probes the Dynamo operator gives every frontend and worker
 * container when it renders a DynamoGraphDeployment into a PodCliqueSet.
 *
 * Sources (reference folder `dynamo/`): GROVE_TRANSLATION.md §4 (per-component defaults), GOLDEN.md G1–G3
 * (the operator's golden PodCliqueSets, with the `consts.go` values resolved), and the example/recipe YAML
 * files named at each constant.
 */
import { ContainerPort, EngineKind, EnvVar, Probe, ServingRole, WorkerRole } from './types';

/**
 * The Dynamo release the default images are pinned to.
 *
 * 1.3.0 is the release tag of the pinned planner example (examples/vllm_disagg_planner.v1beta1.yaml uses
 * `vllm-runtime:1.3.0` and `dynamo-planner:1.3.0`) and of the platform chart in helm/platform_Chart.yaml.
 * The same tag exists for `sglang-runtime` and `tensorrtllm-runtime` (Dynamo release-artifacts list).
 * Note the platform compatibility matrix (DGD.md §6): Dynamo 1.3.x expects Grove ≥ v0.1.0-alpha.8.
 */
export const DYNAMO_VERSION = '1.3.0';

/** The NGC registry path of all Dynamo images (every example and recipe). */
export const DYNAMO_IMAGE_REGISTRY = 'nvcr.io/nvidia/ai-dynamo';

/**
 * Image repository of each engine's runtime image, under `DYNAMO_IMAGE_REGISTRY`.
 *
 * - vLLM: `vllm-runtime` (examples/vllm_*.yaml, recipes/llama-3-70b_vllm_*).
 * - SGLang: `sglang-runtime` (recipes/deepseek-r1_sglang_disagg-16gpu_deploy.yaml).
 * - TRT-LLM: `tensorrtllm-runtime` (upstream examples/backends/trtllm/deploy/*.yaml; no TRT-LLM file is in
 *   the reference folder).
 */
export const RUNTIME_IMAGE_REPOSITORY: Readonly<Record<EngineKind, string>> = {
  [EngineKind.VLLM]: 'vllm-runtime',
  [EngineKind.SGLANG]: 'sglang-runtime',
  [EngineKind.TRTLLM]: 'tensorrtllm-runtime',
};

/**
 * The Dynamo runtime image of an engine.
 *
 * @param kind the engine
 * @param version image tag
 */
export function runtimeImage(kind: EngineKind, version: string = DYNAMO_VERSION): string {
  return `${DYNAMO_IMAGE_REGISTRY}/${RUNTIME_IMAGE_REPOSITORY[kind]}:${version}`;
}

/**
 * The dedicated planner image. Since Dynamo 1.1.0 the backend runtime images no longer ship the planner's
 * dependencies (comment in examples/vllm_disagg_planner.v1beta1.yaml).
 *
 * @param version image tag
 */
export function plannerImage(version: string = DYNAMO_VERSION): string {
  return `${DYNAMO_IMAGE_REGISTRY}/dynamo-planner:${version}`;
}

/**
 * Ports of the Dynamo runtime (`consts.go` values resolved in GOLDEN.md, header).
 */
export const DynamoPort = {
  /** Frontend OpenAI-compatible HTTP port, named `http` (`DynamoServicePort`). */
  HTTP: 8000,
  /** Worker/planner system server (health, metrics), named `system` (`DynamoSystemPort`). */
  SYSTEM: 9090,
  /** NIXL telemetry Prometheus port, named `nixl` (`DynamoNixlPort`). */
  NIXL_TELEMETRY: 19090,
  /** Planner Prometheus metrics port, named `metrics` (`DynamoPlannerMetricsPort`). */
  PLANNER_METRICS: 9085,
  /** Base port of the forward-pass metrics publisher (`DynamoFPMBasePort`); not a container port. */
  FORWARD_PASS_METRICS: 20380,
} as const;

/** Port names the operator uses (GOLDEN.md G1, G2). */
export const DynamoPortName = {
  /** The frontend HTTP port. */
  HTTP: 'http',
  /** The system server port. */
  SYSTEM: 'system',
  /** The NIXL telemetry port. */
  NIXL: 'nixl',
  /** The planner metrics port. */
  METRICS: 'metrics',
} as const;

/** `/dev/shm` size the operator mounts on every component unless overridden (`DefaultSharedMemorySize`). */
export const DEFAULT_SHARED_MEMORY_SIZE = '8Gi';

/** Ports of every worker container: `system` 9090 and `nixl` 19090 (GOLDEN.md G2, worker-ldr/-wkr). */
export const WORKER_PORTS: readonly ContainerPort[] = [
  { name: DynamoPortName.SYSTEM, containerPort: DynamoPort.SYSTEM },
  { name: DynamoPortName.NIXL, containerPort: DynamoPort.NIXL_TELEMETRY },
];

/**
 * The v1beta1 DGD component type of each role (DGD.md §2, `type`). It is what the operator writes into
 * `DYN_COMPONENT` and the `nvidia.com/dynamo-component-type` label.
 */
export const COMPONENT_TYPE_FOR_ROLE: Readonly<Record<ServingRole, string>> = {
  [ServingRole.FRONTEND]: 'frontend',
  [ServingRole.PREFILL]: 'prefill',
  [ServingRole.DECODE]: 'decode',
  [ServingRole.AGGREGATED]: 'worker',
  [ServingRole.PLANNER]: 'planner',
};

/**
 * The component name the upstream examples give each worker role; multi-node clique names default to
 * `<name>-ldr` / `<name>-wkr` (GROVE_TRANSLATION.md §2: `GroveRoleSuffixLeader`/`GroveRoleSuffixWorker`).
 */
export const DEFAULT_COMPONENT_NAME: Readonly<Record<WorkerRole, string>> = {
  [ServingRole.PREFILL]: 'prefill',
  [ServingRole.DECODE]: 'decode',
  [ServingRole.AGGREGATED]: 'worker',
};

/** `POD_NAME`, `POD_NAMESPACE`, `POD_UID` from the downward API, on every component (GOLDEN.md G1). */
export function podIdentityEnv(): EnvVar[] {
  return [
    { name: 'POD_NAME', valueFromField: 'metadata.name' },
    { name: 'POD_NAMESPACE', valueFromField: 'metadata.namespace' },
    { name: 'POD_UID', valueFromField: 'metadata.uid' },
  ];
}

/**
 * Environment the operator gives every worker container independent of the deployment
 * (GROVE_TRANSLATION.md §4 worker row; GOLDEN.md G2 worker-ldr env): the system server on 9090 reporting
 * the `generate` endpoint's health, the canary health check off, NIXL telemetry exported to Prometheus on
 * 19090, the forward-pass metrics port, and the pod identity.
 */
export function workerRuntimeEnv(): EnvVar[] {
  return [
    { name: 'DYN_SYSTEM_ENABLED', value: 'true' },
    { name: 'DYN_SYSTEM_PORT', value: String(DynamoPort.SYSTEM) },
    { name: 'DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS', value: '["generate"]' },
    { name: 'DYN_HEALTH_CHECK_ENABLED', value: 'false' },
    { name: 'NIXL_TELEMETRY_ENABLE', value: 'n' },
    { name: 'NIXL_TELEMETRY_EXPORTER', value: 'prometheus' },
    { name: 'NIXL_TELEMETRY_PROMETHEUS_PORT', value: String(DynamoPort.NIXL_TELEMETRY) },
    { name: 'DYN_FORWARDPASS_METRIC_PORT', value: String(DynamoPort.FORWARD_PASS_METRICS) },
    ...podIdentityEnv(),
  ];
}

/** The probes of a worker container (liveness, readiness, startup). */
export interface ProbeSet {
  /** Liveness probe. */
  readonly livenessProbe: Probe;
  /** Readiness probe. */
  readonly readinessProbe: Probe;
  /** Startup probe. */
  readonly startupProbe: Probe;
}

/**
 * The operator's default worker probes (GROVE_TRANSLATION.md §4; GOLDEN.md G2 worker-ldr): liveness
 * `/live` every 5 s (timeout 4, one failure), readiness `/health` every 10 s (timeout 4, three failures),
 * startup `/live` every 10 s for up to 720 failures (two hours of model loading), all on the `system` port.
 */
export function workerProbes(): ProbeSet {
  return {
    livenessProbe: { httpGet: { path: '/live', port: DynamoPortName.SYSTEM }, periodSeconds: 5, timeoutSeconds: 4, failureThreshold: 1 },
    readinessProbe: { httpGet: { path: '/health', port: DynamoPortName.SYSTEM }, periodSeconds: 10, timeoutSeconds: 4, failureThreshold: 3 },
    startupProbe: { httpGet: { path: '/live', port: DynamoPortName.SYSTEM }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 720 },
  };
}

/** How Dynamo components discover each other. */
export const DiscoveryBackend = {
  /** Kubernetes API discovery (EndpointSlices/labels); the platform default. */
  KUBERNETES: 'kubernetes',
  /** etcd discovery; needs `ETCD_ENDPOINTS`. */
  ETCD: 'etcd',
} as const;

/** One of the `DiscoveryBackend` values. */
export type DiscoveryBackend = (typeof DiscoveryBackend)[keyof typeof DiscoveryBackend];

/** Input of `dynamoPlatformEnv()`. */
export interface DynamoPlatformEnvOptions {
  /** The role of the container; sets `DYN_COMPONENT` (see `COMPONENT_TYPE_FOR_ROLE`). */
  readonly role: ServingRole;
  /**
   * The Dynamo namespace all components of one graph share (`DYN_NAMESPACE`; frontends also get it as
   * `DYN_NAMESPACE_PREFIX`). The operator uses `<k8s-namespace>-<graph-name>`.
   */
  readonly dynamoNamespace: string;
  /**
   * Name of the owning graph (`DYN_PARENT_DGD_K8S_NAME`).
   * @default - variable omitted
   */
  readonly parentName?: string;
  /**
   * Kubernetes namespace of the owning graph (`DYN_PARENT_DGD_K8S_NAMESPACE`).
   * @default - variable omitted
   */
  readonly parentNamespace?: string;
  /**
   * Discovery backend (`DYN_DISCOVERY_BACKEND`, only written for `kubernetes`, as the operator does).
   * @default DiscoveryBackend.KUBERNETES
   */
  readonly discoveryBackend?: DiscoveryBackend;
  /**
   * NATS URL (`NATS_SERVER`), e.g. `nats://dynamo-platform-nats.dynamo-system.svc.cluster.local:4222`.
   * @default - variable omitted
   */
  readonly natsServer?: string;
  /**
   * etcd endpoints (`ETCD_ENDPOINTS`).
   * @default - variable omitted
   */
  readonly etcdEndpoints?: string;
}

/**
 * The deployment-dependent environment the operator adds to every component (GROVE_TRANSLATION.md §4,
 * "Env vars (all components)"; GOLDEN.md G1): Dynamo namespace, component type, parent graph, discovery
 * backend and infrastructure addresses. Engines do not add these themselves because they depend on where
 * the graph is deployed; pass the result as `extraEnv`.
 */
export function dynamoPlatformEnv(opts: DynamoPlatformEnvOptions): EnvVar[] {
  const env: EnvVar[] = [{ name: 'DYN_NAMESPACE', value: opts.dynamoNamespace }];
  if (opts.role === ServingRole.FRONTEND) {
    env.push({ name: 'DYN_NAMESPACE_PREFIX', value: opts.dynamoNamespace });
  }
  env.push({ name: 'DYN_COMPONENT', value: COMPONENT_TYPE_FOR_ROLE[opts.role] });
  if (opts.parentName !== undefined) {
    env.push({ name: 'DYN_PARENT_DGD_K8S_NAME', value: opts.parentName });
  }
  if (opts.parentNamespace !== undefined) {
    env.push({ name: 'DYN_PARENT_DGD_K8S_NAMESPACE', value: opts.parentNamespace });
  }
  if ((opts.discoveryBackend ?? DiscoveryBackend.KUBERNETES) === DiscoveryBackend.KUBERNETES) {
    env.push({ name: 'DYN_DISCOVERY_BACKEND', value: DiscoveryBackend.KUBERNETES });
  }
  if (opts.natsServer !== undefined) {
    env.push({ name: 'NATS_SERVER', value: opts.natsServer });
  }
  if (opts.etcdEndpoints !== undefined) {
    env.push({ name: 'ETCD_ENDPOINTS', value: opts.etcdEndpoints });
  }
  return env;
}

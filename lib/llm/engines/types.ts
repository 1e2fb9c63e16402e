/**
 * Plain data types shared by the engine knowledge layer.
 *
 * Nothing here imports cdk8s: a `LaunchSpec` is the container launch description the upstream Dynamo
 * examples and the Dynamo operator produce, written as plain objects so that the construct layer can map
 * it onto Kubernetes types (`ContainerProps`, Grove `PodCliqueTemplateSpec`, ...).
 */

/**
 * The inference engines Dynamo ships runtime images for.
 *
 * Values are the `backendFramework` spellings of the DynamoGraphDeployment API (DGD.md §2).
 */
export const EngineKind = {
  /** vLLM, run as `python3 -m dynamo.vllm`. */
  VLLM: 'vllm',
  /** SGLang, run as `python3 -m dynamo.sglang`. */
  SGLANG: 'sglang',
  /** TensorRT-LLM, run as `python3 -m dynamo.trtllm`. */
  TRTLLM: 'trtllm',
} as const;

/** One of the `EngineKind` values. */
export type EngineKind = (typeof EngineKind)[keyof typeof EngineKind];

/**
 * What a container does in a disaggregated Dynamo graph.
 *
 * The worker roles map onto the v1beta1 DGD component types (`prefill`, `decode`, `worker`) as listed in
 * `COMPONENT_TYPE_FOR_ROLE`.
 */
export const ServingRole = {
  /** The OpenAI-compatible HTTP frontend and router (`dynamo.frontend`). */
  FRONTEND: 'frontend',
  /** A prefill worker of a disaggregated pair: computes the KV cache and hands it to a decode worker. */
  PREFILL: 'prefill',
  /** A decode worker of a disaggregated pair: receives the KV cache and generates tokens. */
  DECODE: 'decode',
  /** A worker that does both prefill and decode (no KV hand-off). */
  AGGREGATED: 'aggregated',
  /** The SLA planner (`dynamo.planner`). */
  PLANNER: 'planner',
} as const;

/** One of the `ServingRole` values. */
export type ServingRole = (typeof ServingRole)[keyof typeof ServingRole];

/** The serving roles an engine worker can take. */
export type WorkerRole = typeof ServingRole.PREFILL | typeof ServingRole.DECODE | typeof ServingRole.AGGREGATED;

/** The worker roles, in a stable order. */
export const WORKER_ROLES: readonly WorkerRole[] = [ServingRole.PREFILL, ServingRole.DECODE, ServingRole.AGGREGATED];

/**
 * Which pod of a multi-node engine instance a launch spec is for.
 *
 * One engine instance spans `nodes` pods: one leader (node rank 0) and `nodes - 1` workers, which the
 * Dynamo operator renders as the two cliques `<component>-ldr` and `<component>-wkr` of one
 * PodCliqueScalingGroup (GROVE_TRANSLATION.md §2, §3).
 */
export const MultiNodePart = {
  /** The rank-0 pod. */
  LEADER: 'leader',
  /** A pod of rank 1..nodes-1. */
  WORKER: 'worker',
} as const;

/** One of the `MultiNodePart` values. */
export type MultiNodePart = (typeof MultiNodePart)[keyof typeof MultiNodePart];

/**
 * The clique start order a multi-node engine instance needs inside its scaling group.
 */
export const MultiNodeStartOrder = {
  /**
   * No ordering: leader and workers start together and find each other at run time. The construct keeps
   * Grove's `CliqueStartupTypeAnyOrder`.
   */
  ANY_ORDER: 'AnyOrder',
  /**
   * The leader clique `startsAfter` its worker clique (needs `CliqueStartupTypeExplicit`), because the
   * leader's launcher connects to the workers when it starts.
   */
  LEADER_AFTER_WORKERS: 'LeaderAfterWorkers',
} as const;

/** One of the `MultiNodeStartOrder` values. */
export type MultiNodeStartOrder = (typeof MultiNodeStartOrder)[keyof typeof MultiNodeStartOrder];

/**
 * One environment variable of a container.
 *
 * Exactly one of `value` and `valueFromField` is set.
 */
export interface EnvVar {
  /** Variable name. */
  readonly name: string;
  /**
   * Literal value. May contain Kubernetes `$(VAR)` references.
   * @default - the value comes from `valueFromField`
   */
  readonly value?: string;
  /**
   * Downward-API field path (`fieldRef.fieldPath`), e.g. `metadata.name` or `status.podIP`.
   * @default - the value is the literal `value`
   */
  readonly valueFromField?: string;
}

/** A named container port (protocol TCP). */
export interface ContainerPort {
  /** Port name, referenced by probes (e.g. `system`, `http`). */
  readonly name: string;
  /** Port number. */
  readonly containerPort: number;
}

/** An HTTP GET probe target. */
export interface HttpGetAction {
  /** Request path. */
  readonly path: string;
  /** Port number or port name. */
  readonly port: number | string;
}

/** A TCP connect probe target. */
export interface TcpSocketAction {
  /** Port number or port name. */
  readonly port: number | string;
}

/** A command probe. */
export interface ExecAction {
  /** The command to run in the container. */
  readonly command: readonly string[];
}

/**
 * A container probe. Exactly one of `httpGet`, `tcpSocket` and `exec` is set. Unset timings fall back to
 * the Kubernetes defaults.
 */
export interface Probe {
  /**
   * HTTP GET check.
   * @default - not an HTTP probe
   */
  readonly httpGet?: HttpGetAction;
  /**
   * TCP connect check.
   * @default - not a TCP probe
   */
  readonly tcpSocket?: TcpSocketAction;
  /**
   * Command check.
   * @default - not a command probe
   */
  readonly exec?: ExecAction;
  /**
   * Seconds after container start before the first probe.
   * @default - Kubernetes default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default - Kubernetes default (10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe attempt times out.
   * @default - Kubernetes default (1)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe counts as failed.
   * @default - Kubernetes default (3)
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before the probe counts as passed.
   * @default - Kubernetes default (1)
   */
  readonly successThreshold?: number;
}

/** A Secret mounted as a volume into the container. */
export interface SecretMount {
  /** Name of the pod volume. */
  readonly volumeName: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** Mount path in the container. */
  readonly mountPath: string;
  /** Whether the mount is read-only. */
  readonly readOnly: boolean;
  /**
   * File mode of the projected keys (octal in YAML, e.g. `0o644`).
   * @default - Kubernetes default (0o644)
   */
  readonly defaultMode?: number;
}

/**
 * Everything needed to start one engine, frontend or planner container, as the upstream Dynamo examples and
 * the Dynamo operator render it.
 */
export interface LaunchSpec {
  /** Container image. */
  readonly image: string;
  /** Container `command` (entrypoint override). */
  readonly command: readonly string[];
  /** Container `args`. */
  readonly args: readonly string[];
  /** Container environment, in a stable order. */
  readonly env: readonly EnvVar[];
  /** Container ports. */
  readonly ports: readonly ContainerPort[];
  /**
   * Readiness probe.
   * @default - no readiness probe
   */
  readonly readinessProbe?: Probe;
  /**
   * Liveness probe.
   * @default - no liveness probe
   */
  readonly livenessProbe?: Probe;
  /**
   * Startup probe.
   * @default - no startup probe
   */
  readonly startupProbe?: Probe;
  /**
   * Whether the pod needs a memory-backed `/dev/shm` (`emptyDir {medium: Memory}`), as the Dynamo operator
   * mounts for every component.
   * @default false
   */
  readonly sharedMemory?: boolean;
  /**
   * Size limit of that `/dev/shm` volume.
   * @default - `DEFAULT_SHARED_MEMORY_SIZE` (8Gi) when `sharedMemory` is true
   */
  readonly sharedMemorySizeLimit?: string;
  /**
   * Working directory.
   * @default - the image's working directory
   */
  readonly workingDir?: string;
  /**
   * Secrets to mount as volumes (TRT-LLM multi-node SSH keys).
   * @default - none
   */
  readonly secretMounts?: readonly SecretMount[];
  /**
   * An init container must wait until this TCP endpoint of the leader accepts connections before the main container
   * starts (the operator's `wait-for-leader-mp` init container on vLLM `mp` workers, `backend_vllm.go`).
   * @default - no wait
   */
  readonly waitForLeader?: { readonly host: string; readonly port: number };
}

/** Where a pod sits in a multi-node engine instance, and how its scaling group names its cliques. */
export interface MultiNodeOptions {
  /** Pods (nodes) per engine instance, at least 2. */
  readonly nodes: number;
  /** GPUs each pod requests (`nvidia.com/gpu`). */
  readonly gpusPerNode: number;
  /** Which pod this launch spec is for. */
  readonly part: MultiNodePart;
  /**
   * Name of the leader clique in the scaling group; the leader's DNS name is built from it.
   * @default - `<component>-ldr`, with `<component>` from `DEFAULT_COMPONENT_NAME` (e.g. `prefill-ldr`)
   */
  readonly leaderClique?: string;
  /**
   * Name of the worker clique in the scaling group (TRT-LLM's mpirun host list is built from it).
   * @default - `<component>-wkr`, with `<component>` from `DEFAULT_COMPONENT_NAME` (e.g. `prefill-wkr`)
   */
  readonly workerClique?: string;
}

/** Input of `Engine.worker()`. */
export interface WorkerOptions {
  /** Which worker this is. */
  readonly role: WorkerRole;
  /**
   * Model to load: a Hugging Face id or a path in the container. May contain Kubernetes `$(VAR)` references.
   */
  readonly model: string;
  /**
   * Name the model is served under (`--served-model-name`).
   * @default - flag omitted; the engine derives the name from `model`
   */
  readonly servedModelName?: string;
  /** Tensor-parallel size of one engine instance (across all its nodes). */
  readonly tensorParallel: number;
  /** Pipeline-parallel size of one engine instance. */
  readonly pipelineParallel: number;
  /**
   * Data-parallel size. vLLM: `--data-parallel-size` (multiplies the GPU count). SGLang: `--dp-size`
   * (usually with `--enable-dp-attention` in `extraArgs`, within the TP group). Not supported for TRT-LLM.
   * @default - flag omitted; the engine default (1) applies
   */
  readonly dataParallel?: number;
  /**
   * More engine flags, appended after the managed ones. Must not repeat a flag the engine manages.
   * @default []
   */
  readonly extraArgs?: readonly string[];
  /**
   * More environment variables for the container, appended after the engine's. TRT-LLM multi-node also
   * forwards every one of them to the MPI ranks (`mpirun -x`), so pass here every variable the container
   * will carry (platform env, InfiniBand env, secrets such as `HF_TOKEN`).
   * @default []
   */
  readonly extraEnv?: readonly EnvVar[];
  /** Whether the worker takes part in NIXL KV-cache transfer between prefill and decode. */
  readonly kvTransfer: boolean;
  /** Whether the worker publishes KV-cache events for the frontend's KV-aware router. */
  readonly kvEvents: boolean;
  /**
   * Set when one engine instance spans several pods.
   * @default - the engine instance runs in a single pod
   */
  readonly multiNode?: MultiNodeOptions;
}

/** What the construct needs to know to wire a multi-node engine instance. */
export interface MultiNodeTraits {
  /** Start order of the leader and worker cliques inside the scaling group. */
  readonly startOrder: MultiNodeStartOrder;
  /** The TCP port the workers (or the leader, for TRT-LLM) connect to for rendezvous. */
  readonly rendezvousPort: number;
  /** The shell expression that yields a worker pod's node rank (the leader is rank 0). */
  readonly workerNodeRank: string;
  /** Whether worker pods (not the leader) keep a probe, and which. */
  readonly workerProbe: 'none' | 'ssh-tcp';
}

/** How an engine moves the KV cache from prefill to decode. */
export interface KvTransferTraits {
  /** Human-readable description of the mechanism and the flag that turns it on. */
  readonly mechanism: string;
  /** Worker roles that must have `kvTransfer: true` for disaggregated serving to work. */
  readonly requiredOn: readonly WorkerRole[];
  /**
   * Whether prefill and decode must use the same tensor/pipeline parallelism. False means the engine
   * re-lays-out the KV cache during transfer.
   */
  readonly parallelismMustMatch: boolean;
  /** Where the two facts above come from. */
  readonly source: string;
}

/**
 * An engine's launch knowledge: default image and flags, and the traits the construct needs to wire a
 * Grove PodCliqueSet around it.
 */
export interface Engine {
  /** Which engine. */
  readonly kind: EngineKind;
  /** The Dynamo runtime image this engine runs from by default. */
  readonly defaultImage: string;
  /** The working directory the upstream examples use with that image. */
  readonly workingDir: string;
  /** The Python module the worker runs (`python3 -m <module>`). */
  readonly pythonModule: string;
  /** Ports every worker container exposes. */
  readonly ports: readonly ContainerPort[];
  /** Multi-node wiring traits. */
  readonly multiNode: MultiNodeTraits;
  /** KV-transfer traits. */
  readonly kvTransfer: KvTransferTraits;
  /** Worker roles on which `kvEvents: true` emits a flag (others ignore it, as the engine does). */
  readonly kvEventsRoles: readonly WorkerRole[];
  /** The launch spec of one worker container. Throws `GroveValidationError` for invalid options. */
  worker(opts: WorkerOptions): LaunchSpec;
  /**
   * The `startsAfter` lists the leader and worker cliques of one multi-node instance need, keyed by clique
   * name. Empty lists mean no dependency.
   */
  multiNodeStartsAfter(cliques: { readonly leaderClique: string; readonly workerClique: string }): Readonly<Record<string, readonly string[]>>;

  /**
   * GPUs one model instance occupies for the given parallelism (e.g. vLLM's data parallelism adds GPUs, SGLang's
   * data-parallel attention splits the tensor-parallel group and does not).
   */
  instanceGpus(parallelism: { readonly tensorParallel: number; readonly pipelineParallel: number; readonly dataParallel?: number }): number;
}

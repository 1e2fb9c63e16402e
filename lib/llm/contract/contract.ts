/**
 * The runtime contract of a Dynamo component, defined once: the labels, environment, security context, grace
 * period, Services and CRDs a frontend or worker pod needs for the Dynamo runtime to find it, scrape it and keep it
 * serving. The LLM constructs build their output from these definitions and `cdk8s-grove lint` checks any
 * manifest against the same definitions (see `checks.ts`).
 *
 * Upstream sources (github.com/ai-dynamo/dynamo):
 * - `deploy/operator/internal/dynamo/graph.go`: `GenerateComponentService` (Service labels and selector),
 *   `generateLabels` (pod labels), `GenerateBasePodSpec` (grace period 60 s, `fsGroup: 1000`).
 * - `deploy/operator/internal/consts/consts.go`: the label keys, `DefaultSecurityContextFSGroup = 1000`.
 * - `deploy/operator/internal/dynamo/backend_vllm.go`: the `wait-for-leader-mp` init container of vLLM `mp`
 *   multi-node workers (`UpdatePodSpec`, `shouldInjectVLLMMpWaitLeaderInit`).
 * - `lib/runtime/src/discovery/kube/daemon.rs`: the discovery daemon watches EndpointSlices (pod mode) or Pods
 *   (container mode) labelled `nvidia.com/dynamo-discovery-backend=kubernetes` and
 *   `nvidia.com/dynamo-discovery-enabled=true`, and `DynamoWorkerMetadata` objects in the pod's namespace.
 * - `lib/runtime/src/discovery/kube/crd.rs`: the `DynamoWorkerMetadata` CRD (`nvidia.com`).
 * - `lib/runtime/src/distributed.rs`: `DYN_EVENT_PLANE` (`nats` or `zmq`) selects the event plane.
 */

/** Label keys the operator puts on components (`consts.go`). */
export const DynamoLabel = {
  /** The Dynamo namespace, `<k8s-namespace>-<graph>`. */
  NAMESPACE: 'nvidia.com/dynamo-namespace',
  /** The component name as written. */
  COMPONENT: 'nvidia.com/dynamo-component',
  /** The component type (`frontend`, `prefill`, `decode`, `worker`, `planner`). */
  COMPONENT_TYPE: 'nvidia.com/dynamo-component-type',
  /** Discovery backend; `kubernetes` makes the runtime's discovery daemon watch the object. */
  DISCOVERY_BACKEND: 'nvidia.com/dynamo-discovery-backend',
  /** `"true"` together with the backend label. */
  DISCOVERY_ENABLED: 'nvidia.com/dynamo-discovery-enabled',
  /** `"true"`: what the Dynamo platform's PodMonitors select. */
  METRICS_ENABLED: 'nvidia.com/metrics-enabled',
} as const;

/**
 * The labels the runtime's discovery daemon selects on (`daemon.rs`, `ReadinessWatch::from_cluster`). The operator
 * puts them on every component pod and on every component Service (`GenerateComponentService`); EndpointSlices copy
 * their Service's labels, so without them on the Service the frontend never sees a ready worker.
 */
export const KUBERNETES_DISCOVERY_LABELS: Readonly<Record<string, string>> = {
  [DynamoLabel.DISCOVERY_BACKEND]: 'kubernetes',
  [DynamoLabel.DISCOVERY_ENABLED]: 'true',
};

/** The metrics label (`generateLabels`, on unless the graph sets `nvidia.com/enable-metrics: "false"`). */
export const METRICS_LABELS: Readonly<Record<string, string>> = { [DynamoLabel.METRICS_ENABLED]: 'true' };

/** The user id the Dynamo runtime images run as; `fsGroup` gives it write access to volumes. */
export const DYNAMO_RUNTIME_UID = 1000;

/** `DefaultSecurityContextFSGroup` (`consts.go`), set by `GenerateBasePodSpec` when the user gave no securityContext. */
export const DYNAMO_FS_GROUP = 1000;

/** `terminationGracePeriodSeconds` of every component pod (`GenerateBasePodSpec`); Grove's own default is 30. */
export const DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS = 60;

/** The CRD every worker registers itself in under Kubernetes discovery (`crd.rs`, `daemon.rs`). */
export const DYNAMO_WORKER_METADATA_CRD = {
  name: 'dynamoworkermetadatas.nvidia.com',
  group: 'nvidia.com',
  kind: 'DynamoWorkerMetadata',
  plural: 'dynamoworkermetadatas',
} as const;

/** The event plane (`DYN_EVENT_PLANE`) carrying KV events, load metrics and sequence tracking. */
export const EventPlane = {
  /** Workers publish over ZMQ and the router subscribes directly; needs no broker. */
  ZMQ: 'zmq',
  /** Through a NATS server (`NATS_SERVER`). */
  NATS: 'nats',
} as const;

/** One of the `EventPlane` values. */
export type EventPlane = (typeof EventPlane)[keyof typeof EventPlane];

/** The env var that selects the event plane. */
export const EVENT_PLANE_ENV = 'DYN_EVENT_PLANE';

/**
 * The event plane a service states explicitly: NATS when a NATS server is given, ZMQ otherwise. The runtime's default
 * depends on its version (NATS for distributed backends until the ZMQ plane became the default), so a service without
 * NATS that leaves it unset loses its KV events on an older runtime.
 */
export function eventPlaneFor(natsServer: string | undefined): EventPlane {
  return natsServer === undefined ? EventPlane.ZMQ : EventPlane.NATS;
}

/** The ports Prometheus scrapes on a component: the frontend's HTTP port, a worker's system and NIXL ports. */
export const METRICS_PORTS = {
  frontend: [8000],
  worker: [9090, 19090],
} as const;

/** Engine and router flags that set the KV block (page) size, which the KV router and the engines must agree on. */
export const KV_BLOCK_SIZE_FLAGS = {
  /** The frontend's KV router (`dynamo.frontend --kv-cache-block-size`). */
  router: '--kv-cache-block-size',
  /** vLLM `--block-size` (default 16). */
  vllm: '--block-size',
  /** SGLang `--page-size` (default 1). */
  sglang: '--page-size',
} as const;

/** The engines' block sizes when the flag is not given (vLLM `CacheConfig.block_size`, SGLang `ServerArgs.page_size`). */
export const DEFAULT_KV_BLOCK_SIZE = { vllm: 16, sglang: 1 } as const;

/**
 * The flags of each engine that make a worker take part in KV transfer between prefill and decode (any one suffices).
 * vLLM: `--disaggregation-mode` (the Dynamo vLLM worker then sets up the NIXL connector; examples/backends/vllm/deploy/
 * disagg.yaml gives decode nothing else), an explicit `--kv-transfer-config`, or the older `--is-prefill-worker` /
 * `--is-decode-worker`. SGLang and TRT-LLM: `--disaggregation-mode`.
 */
export const KV_CONNECTOR_FLAGS: Readonly<Record<'vllm' | 'sglang' | 'trtllm', readonly string[]>> = {
  vllm: ['--disaggregation-mode', '--kv-transfer-config', '--is-prefill-worker', '--is-decode-worker'],
  sglang: ['--disaggregation-mode'],
  trtllm: ['--disaggregation-mode'],
};

/** What a pod's security context is built for. */
export interface SecurityProfile {
  /**
   * The RDMA container settings of the pod (the Dynamo AKS InfiniBand recipe: privileged with `IPC_LOCK`), which
   * cannot meet the restricted Pod Security Standard; such pods keep `fsGroup` and these settings.
   * @default - no RDMA: the restricted profile
   */
  readonly rdma?: { readonly privileged: boolean; readonly capabilities: { readonly add: readonly string[] } };
}

/** A pod-level security context (plain data). */
export interface PodSecurity {
  readonly fsGroup: number;
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' };
}

/** A container-level security context (plain data). */
export interface ContainerSecurity {
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly capabilities: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' };
}

/**
 * The pod security context: the operator's `fsGroup: 1000` always (so a root-owned PVC or hostPath model cache is
 * writable by uid 1000), plus the restricted Pod Security Standard (non-root uid 1000, `RuntimeDefault` seccomp)
 * where the workload allows it, i.e. everywhere but RDMA pods.
 */
export function podSecurity(profile: SecurityProfile): PodSecurity {
  const base = { fsGroup: DYNAMO_FS_GROUP, fsGroupChangePolicy: 'OnRootMismatch' as const };
  if (profile.rdma) {
    return base;
  }
  return { ...base, runAsNonRoot: true, runAsUser: DYNAMO_RUNTIME_UID, seccompProfile: { type: 'RuntimeDefault' } };
}

/**
 * The container security context: restricted (no privilege escalation, every capability dropped, `RuntimeDefault`
 * seccomp) except on RDMA pods, which keep the recipe's privileged mode and capabilities.
 */
export function containerSecurity(profile: SecurityProfile): ContainerSecurity {
  if (profile.rdma) {
    return { privileged: profile.rdma.privileged, capabilities: { add: [...profile.rdma.capabilities.add] } };
  }
  return { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Inputs of `componentLabels`. */
export interface ComponentLabelOptions {
  /** The Dynamo namespace (`<k8s-namespace>-<graph>`). */
  readonly dynamoNamespace: string;
  /** The component name (`frontend`, `prefill`, ...). */
  readonly component: string;
  /** The component type (`frontend`, `prefill`, `decode`, `worker`, `planner`). */
  readonly componentType: string;
  /** Whether the service uses the Kubernetes discovery backend. */
  readonly kubernetesDiscovery: boolean;
}

/** The labels of a component pod (`generateLabels`): identity, discovery (Kubernetes backend only) and metrics. */
export function componentLabels(o: ComponentLabelOptions): Record<string, string> {
  return {
    [DynamoLabel.NAMESPACE]: o.dynamoNamespace,
    [DynamoLabel.COMPONENT]: o.component,
    [DynamoLabel.COMPONENT_TYPE]: o.componentType,
    ...(o.kubernetesDiscovery ? KUBERNETES_DISCOVERY_LABELS : {}),
    ...METRICS_LABELS,
  };
}

/** The labels of a component Service (`GenerateComponentService`): the discovery labels under Kubernetes discovery. */
export function componentServiceLabels(o: ComponentLabelOptions): Record<string, string> {
  return {
    [DynamoLabel.COMPONENT]: o.component,
    ...(o.kubernetesDiscovery ? KUBERNETES_DISCOVERY_LABELS : {}),
  };
}

/** The selector of a component Service (`GenerateComponentService`): component type, Dynamo namespace, component. */
export function componentServiceSelector(o: ComponentLabelOptions): Record<string, string> {
  return {
    [DynamoLabel.COMPONENT_TYPE]: o.componentType,
    [DynamoLabel.NAMESPACE]: o.dynamoNamespace,
    [DynamoLabel.COMPONENT]: o.component,
  };
}

/** Name of the operator's init container on vLLM `mp` multi-node workers (`backend_vllm.go`). */
export const WAIT_FOR_LEADER_CONTAINER = 'wait-for-leader-mp';

/** Kubernetes `$(VAR)` references as shell `${VAR}` (`k8sToShellVarSyntax` in `backend_vllm.go`). */
export function k8sToShellVars(s: string): string {
  return s.replace(/\$\((\w+)\)/g, '${$1}');
}

/**
 * The wait-for-leader command: polls the leader's rendezvous port until it accepts TCP. The operator mounts a Python
 * script from a ConfigMap that also asks the API server whether the leader pod is Running; this inline version
 * keeps only the TCP check (no ConfigMap, no extra RBAC). Grove appends its variables after the container's own,
 * so the host is expanded by the shell, not by the kubelet (as upstream).
 */
export function waitForLeaderCommand(leaderHost: string, port: number): string[] {
  const probe = 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 2).close()';
  return ['sh', '-c',
    `export LEADER_HOST="${k8sToShellVars(leaderHost)}" LEADER_PORT="${port}"; `
    + `until python3 -c "${probe}" "$LEADER_HOST" "$LEADER_PORT" 2>/dev/null; do echo "waiting for $LEADER_HOST:$LEADER_PORT"; sleep 5; done`];
}

import * as grove from '../../imports/grove-grove.io';

/** A Kubernetes container as Grove's PodCliqueSet CRD types it. */
export type GroveContainer = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainers;
/** A Kubernetes pod spec as Grove's PodCliqueSet CRD types it (the escape hatch for anything not modelled). */
export type GrovePodSpec = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpec;

const Quantity = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersResourcesLimits;
const Port = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersReadinessProbeHttpGetPort;

/** The NVIDIA GPU extended resource. */
export const NVIDIA_GPU = 'nvidia.com/gpu';

/**
 * A value for an environment variable: a literal, or a reference to a Secret, ConfigMap or pod field.
 * Secrets are only ever referenced, never copied into the manifest.
 */
export class EnvValue {
  /** A literal value. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** The value of `key` in the Secret `secretName` (e.g. a Hugging Face token). */
  public static fromSecret(secretName: string, key: string, options: { readonly optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, optional: options.optional } } });
  }

  /** The value of `key` in the ConfigMap `configMapName`. */
  public static fromConfigMap(configMapName: string, key: string, options: { readonly optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, optional: options.optional } } });
  }

  /** A field of the pod, e.g. `metadata.name`, `status.podIP`, `metadata.labels['grove.io/podclique-pod-index']`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly spec: Omit<grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersEnv, 'name'>) {}

  /** True when the value is a Secret reference. */
  public get isSecretReference(): boolean {
    return this.spec.valueFrom?.secretKeyRef !== undefined;
  }

  /** The literal value, if this is one. */
  public get literal(): string | undefined {
    return this.spec.value;
  }

  /** @internal */
  public _toGrove(name: string): grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersEnv {
    return { name, ...this.spec };
  }
}

/** Where a container's environment comes from in bulk. */
export class EnvFrom {
  /** Every key of a Secret becomes a variable. */
  public static secret(secretName: string, prefix?: string): EnvFrom {
    return new EnvFrom({ secretRef: { name: secretName }, prefix });
  }

  /** Every key of a ConfigMap becomes a variable. */
  public static configMap(configMapName: string, prefix?: string): EnvFrom {
    return new EnvFrom({ configMapRef: { name: configMapName }, prefix });
  }

  private constructor(private readonly spec: grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersEnvFrom) {}

  /** @internal */
  public _toGrove(): grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersEnvFrom {
    return this.spec;
  }
}

/** Timing options shared by every probe. */
export interface ProbeOptions {
  /**
   * Seconds after the container started before the first probe.
   * @default - Kubernetes' default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default - Kubernetes' default (10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a probe times out.
   * @default - Kubernetes' default (1)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe counts as failed. Model loading is slow: raise this on startup probes.
   * @default - Kubernetes' default (3)
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before the probe counts as successful.
   * @default - Kubernetes' default (1)
   */
  readonly successThreshold?: number;
}

/** A readiness, liveness or startup probe. */
export class Probe {
  /** An HTTP GET on `path` at `port` (number or named port). */
  public static httpGet(path: string, port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ ...options, httpGet: { path, port: toPort(port) } });
  }

  /** A TCP connection to `port`. */
  public static tcpSocket(port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ ...options, tcpSocket: { port: toPort(port) } });
  }

  /** A command run in the container; exit code 0 is success. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ ...options, exec: { command } });
  }

  private constructor(private readonly spec: grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersReadinessProbe) {}

  /** @internal */
  public _toGrove(): grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersReadinessProbe {
    return this.spec;
  }
}

function toPort(port: number | string) {
  return typeof port === 'number' ? Port.fromNumber(port) : Port.fromString(port);
}

/** A request and an optional limit for a compute resource, in Kubernetes quantity syntax (`500m`, `4`, `16Gi`). */
export interface ResourceAmount {
  /**
   * What the scheduler reserves.
   * @default - no request
   */
  readonly request?: string;
  /**
   * The most the container may use.
   * @default - no limit
   */
  readonly limit?: string;
}

/**
 * Compute resources of one container. GPUs and other extended resources (RDMA devices, ...) are first-class:
 * they are emitted as equal request and limit, as Kubernetes requires for extended resources.
 */
export interface ContainerResources {
  /**
   * CPU, e.g. `{ request: '4' }`.
   * @default - no CPU request or limit
   */
  readonly cpu?: ResourceAmount;
  /**
   * Memory, e.g. `{ request: '64Gi', limit: '64Gi' }`.
   * @default - no memory request or limit
   */
  readonly memory?: ResourceAmount;
  /**
   * Ephemeral storage.
   * @default - no ephemeral-storage request or limit
   */
  readonly ephemeralStorage?: ResourceAmount;
  /**
   * Number of NVIDIA GPUs (`nvidia.com/gpu`).
   * @default 0
   */
  readonly gpus?: number;
  /**
   * Other extended resources and their counts, e.g. `{ 'rdma/ib': 8 }`.
   * @default - none
   */
  readonly extended?: { readonly [resource: string]: number | string };
}

/** A port a container listens on. */
export interface ContainerPort {
  /** The port number. */
  readonly containerPort: number;
  /**
   * A name other objects (probes, Services) can refer to.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Mounts a volume of the pod into a container. */
export interface VolumeMount {
  /** Name of the pod volume. */
  readonly name: string;
  /** Where it is mounted in the container. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Mount only this path inside the volume.
   * @default - the volume's root
   */
  readonly subPath?: string;
}

/** One container of a clique's pods. */
export interface ContainerProps {
  /**
   * The container name.
   * @default - the clique name for the first container, `<clique>-<n>` for the n-th further one
   */
  readonly name?: string;
  /** The image, pinned by tag or digest (e.g. `nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.7.0`). */
  readonly image: string;
  /**
   * When to pull the image.
   * @default - Kubernetes' default (IfNotPresent for tagged images)
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * Environment variables, in order (later ones may refer to earlier ones with `$(NAME)`).
   * A plain string is a literal value.
   * @default - none (Grove adds its own GROVE_* variables)
   */
  readonly env?: { readonly [name: string]: EnvValue | string };
  /**
   * Bulk environment from Secrets or ConfigMaps.
   * @default - none
   */
  readonly envFrom?: EnvFrom[];
  /**
   * Ports the container listens on.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * Compute resources, including GPUs and other extended resources.
   * @default - no requests or limits
   */
  readonly resources?: ContainerResources;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Volume mounts.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * Security context (capabilities such as IPC_LOCK for RDMA, privileged, user ids).
   * @default - none
   */
  readonly securityContext?: grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecContainersSecurityContext;
}

/** Renders container props to the Grove CRD type. */
export function renderContainer(name: string, props: ContainerProps): GroveContainer {
  return {
    name,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    command: props.command,
    args: props.args,
    workingDir: props.workingDir,
    env: props.env === undefined ? undefined : Object.entries(props.env).map(([k, v]) =>
      (typeof v === 'string' ? EnvValue.fromValue(v) : v)._toGrove(k)),
    envFrom: props.envFrom?.map(e => e._toGrove()),
    ports: props.ports?.map(p => ({ containerPort: p.containerPort, name: p.name, protocol: p.protocol })),
    resources: renderResources(props.resources),
    readinessProbe: props.readiness?._toGrove(),
    livenessProbe: props.liveness?._toGrove(),
    startupProbe: props.startup?._toGrove(),
    volumeMounts: props.volumeMounts?.map(m => ({ ...m })),
    securityContext: props.securityContext,
  };
}

/** The number of GPUs a container requests. */
export function gpusOf(props: ContainerProps): number {
  return props.resources?.gpus ?? 0;
}

function renderResources(r: ContainerResources | undefined): GroveContainer['resources'] {
  if (r === undefined) {
    return undefined;
  }
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const amounts: [string, ResourceAmount | undefined][] = [['cpu', r.cpu], ['memory', r.memory], ['ephemeral-storage', r.ephemeralStorage]];
  for (const [name, amount] of amounts) {
    if (amount?.request !== undefined) requests[name] = amount.request;
    if (amount?.limit !== undefined) limits[name] = amount.limit;
  }
  const extended: Record<string, number | string> = { ...(r.gpus ? { [NVIDIA_GPU]: r.gpus } : {}), ...r.extended };
  for (const [name, count] of Object.entries(extended)) {
    requests[name] = String(count);
    limits[name] = String(count);
  }
  const toQuantities = (m: Record<string, string>) => Object.keys(m).length === 0 ? undefined
    : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Quantity.fromString(v)]));
  return { requests: toQuantities(requests), limits: toQuantities(limits) };
}

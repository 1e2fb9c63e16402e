import * as grove from '../../imports/grove-grove.io';

const SizeLimit = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecVolumesEmptyDirSizeLimit;

/** A pod volume as Grove's PodCliqueSet CRD types it. */
export type GroveVolume = grove.PodCliqueSetSpecTemplateCliquesSpecPodSpecVolumes;

/** A volume of a clique's pods. */
export class Volume {
  /**
   * An emptyDir. With `medium: 'Memory'` it is a tmpfs, the usual way to give inference engines a large
   * `/dev/shm` (NCCL and the engines' IPC need more than the container runtime's 64 MiB).
   */
  public static emptyDir(name: string, options: { readonly medium?: 'Memory'; readonly sizeLimit?: string } = {}): Volume {
    return new Volume({
      name,
      emptyDir: { medium: options.medium, sizeLimit: options.sizeLimit === undefined ? undefined : SizeLimit.fromString(options.sizeLimit) },
    });
  }

  /** A Secret's keys as files. */
  public static secret(name: string, secretName: string): Volume {
    return new Volume({ name, secret: { secretName } });
  }

  /** A ConfigMap's keys as files. */
  public static configMap(name: string, configMapName: string): Volume {
    return new Volume({ name, configMap: { name: configMapName } });
  }

  /** An existing PersistentVolumeClaim (e.g. a shared model cache). */
  public static persistentVolumeClaim(name: string, claimName: string, options: { readonly readOnly?: boolean } = {}): Volume {
    return new Volume({ name, persistentVolumeClaim: { claimName, readOnly: options.readOnly } });
  }

  /** A path on the node (e.g. a local NVMe model cache). */
  public static hostPath(name: string, path: string, type?: string): Volume {
    return new Volume({ name, hostPath: { path, type } });
  }

  /** Any volume source the Kubernetes API has, typed as Grove's CRD types it. */
  public static fromSpec(spec: GroveVolume): Volume {
    return new Volume(spec);
  }

  private constructor(private readonly spec: GroveVolume) {}

  /** The volume name, which containers mount. */
  public get name(): string {
    return this.spec.name;
  }

  /** @internal */
  public _toGrove(): GroveVolume {
    return this.spec;
  }
}

/** Lets pods schedule onto nodes with a matching taint. */
export interface Toleration {
  /**
   * The taint key; empty with operator Exists tolerates everything.
   * @default - every key (only with operator Exists)
   */
  readonly key?: string;
  /**
   * How key and value are matched.
   * @default 'Equal'
   */
  readonly operator?: 'Exists' | 'Equal';
  /**
   * The taint value, for operator Equal.
   * @default - empty
   */
  readonly value?: string;
  /**
   * The taint effect to tolerate.
   * @default - every effect
   */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * For NoExecute: how long the pod stays bound after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** The toleration for the taint AKS and the GPU Operator put on GPU nodes (`nvidia.com/gpu=present:NoSchedule`). */
export const GPU_TOLERATION: Toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

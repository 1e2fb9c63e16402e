import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { integerProblems, isDnsLabel, throwIfArgProblems } from './private/args';
import { JsonObject, mergeValues, namespace, pinnedRelease } from './private/helm';
import { GPU_OPERATOR } from './versions';

const TYPE = 'cdk8s-grove:infra:GpuOperator';

/** Arguments of `GpuOperator`. */
export interface GpuOperatorArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespace of the operator (created, labelled for privileged pods).
   * @default 'gpu-operator'
   */
  readonly namespace?: string;
  /**
   * Set when the NVIDIA Network Operator is installed too: its Node Feature Discovery is used (the GPU Operator's
   * own NFD is turned off) and the driver is built with RDMA (`nvidia-peermem`) for GPUDirect over InfiniBand.
   * @default false
   */
  readonly withNetworkOperator?: boolean;
  /**
   * Install the NVIDIA container toolkit. Needed on pools created with `gpuProfile.driver: None`, where AKS
   * installs no GPU software. Verify on a node (is `nvidia-container-runtime` present?) before turning it off.
   * @default true
   */
  readonly toolkit?: boolean;
  /**
   * More chart values, merged over the ones this component sets.
   * @default - none
   */
  readonly values?: JsonObject;
  /**
   * How long Helm waits for the release to become ready (the first driver build on eight GPUs is slow).
   * @default 1800
   */
  readonly timeoutSeconds?: number;
  /**
   * Pass the chart values as a secret output (set it when they come from a secret config key).
   * @default false
   */
  readonly secretValues?: boolean;
}

/** The chart values `GpuOperator` installs with. */
export function gpuOperatorValues(args: Omit<GpuOperatorArgs, 'provider'>): JsonObject {
  const rdma = args.withNetworkOperator ?? false;
  return mergeValues({
    // The pool's gpuProfile.driver is None: the operator owns driver and toolkit.
    driver: { enabled: true, ...(rdma ? { rdma: { enabled: true } } : {}) },
    toolkit: { enabled: args.toolkit ?? true },
    nfd: { enabled: !rdma },
  }, args.values);
}

/**
 * The NVIDIA GPU Operator (driver, container toolkit, device plugin, DCGM exporter, GPU feature discovery),
 * installed as a Helm release at the version pinned in `versions.ts`. The release is a real Helm release,
 * because the chart relies on Helm hooks (CRD upgrade, cleanup).
 */
export class GpuOperator extends pulumi.ComponentResource {
  /** The namespace of the operator. */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The Helm release. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: GpuOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const ns = args.namespace ?? 'gpu-operator';
    const timeoutSeconds = args.timeoutSeconds ?? 1800;
    throwIfArgProblems('GpuOperator', name, [
      ...(isDnsLabel(ns) ? [] : [{ propertyPath: 'namespace', reason: `must be a DNS-1123 label, got ${JSON.stringify(ns)}` }]),
      ...integerProblems('timeoutSeconds', timeoutSeconds, 60),
    ]);
    const childOpts = { parent: this, provider: args.provider };

    this.namespace = namespace(`${name}-ns`, ns, true, childOpts);
    this.release = pinnedRelease(`${name}-release`, {
      pin: GPU_OPERATOR,
      releaseName: 'gpu-operator',
      namespace: this.namespace.metadata.name,
      values: gpuOperatorValues(args),
      timeoutSeconds,
      secretValues: args.secretValues,
    }, childOpts);

    this.registerOutputs({ status: this.release.status });
  }
}

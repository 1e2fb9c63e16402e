import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { integerProblems, isDnsLabel, throwIfArgProblems } from './private/args';
import { JsonObject, mergeValues, namespace, pinnedRelease } from './private/helm';
import { NETWORK_OPERATOR } from './versions';

const TYPE = 'cdk8s-grove:infra:NetworkOperator';

/**
 * The DOCA/OFED driver container used by the default NicClusterPolicy (the image the Azure AKS InfiniBand
 * guide uses for ND-series pools on Ubuntu).
 */
export const DEFAULT_OFED_DRIVER = {
  repository: 'nvcr.io/nvidia/mellanox',
  image: 'doca-driver',
  version: 'doca3.2.0-25.10-1.2.8.0-2',
} as const;

/** Arguments of `NetworkOperator`. */
export interface NetworkOperatorArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespace of the operator (created, labelled for privileged pods).
   * @default 'network-operator'
   */
  readonly namespace?: string;
  /**
   * The `spec` of the cluster's `NicClusterPolicy` (`mellanox.com/v1alpha1`), which says which driver and
   * RDMA device plugin run on the InfiniBand nodes. Replaces the default as a whole. Add an RDMA device plugin
   * (shared `rdmaSharedDevicePlugin` or SR-IOV) here; workloads then request its resource next to `nvidia.com/gpu`.
   * @default - the DOCA OFED driver only (`DEFAULT_OFED_DRIVER`), on nodes with an NVIDIA (Mellanox) NIC, tolerating the GPU taint
   */
  readonly nicClusterPolicy?: JsonObject;
  /**
   * More chart values, merged over the ones this component sets.
   * @default - none
   */
  readonly values?: JsonObject;
  /**
   * How long Helm waits for the release to become ready.
   * @default 900
   */
  readonly timeoutSeconds?: number;
}

/** The NicClusterPolicy spec used when none is given. */
export function defaultNicClusterPolicy(): JsonObject {
  return {
    ofedDriver: {
      ...DEFAULT_OFED_DRIVER,
      upgradePolicy: { autoUpgrade: true, maxParallelUpgrades: 1, drain: { enable: true, force: true, deleteEmptyDir: true } },
    },
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'feature.node.kubernetes.io/pci-15b3.present', operator: 'In', values: ['true'] }] }],
      },
    },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  };
}

/**
 * The NVIDIA Network Operator for InfiniBand/RDMA on ND-series pools: a Helm release (the chart uses Helm
 * hooks) at the version pinned in `versions.ts`, and the cluster's `NicClusterPolicy` applied once the
 * operator's CRDs exist. Install it before `GpuOperator` and give that `withNetworkOperator: true`.
 *
 * Needs the subscription feature `Microsoft.ContainerService/AKSInfinibandSupport` registered before the
 * GPU pools are created.
 */
export class NetworkOperator extends pulumi.ComponentResource {
  /** The namespace of the operator. */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The Helm release. */
  public readonly release: k8s.helm.v3.Release;
  /** The NicClusterPolicy. */
  public readonly nicClusterPolicy: k8s.apiextensions.CustomResource;

  constructor(name: string, args: NetworkOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const ns = args.namespace ?? 'network-operator';
    const timeoutSeconds = args.timeoutSeconds ?? 900;
    throwIfArgProblems('NetworkOperator', name, [
      ...(isDnsLabel(ns) ? [] : [{ propertyPath: 'namespace', reason: `must be a DNS-1123 label, got ${JSON.stringify(ns)}` }]),
      ...integerProblems('timeoutSeconds', timeoutSeconds, 60),
    ]);
    const childOpts = { parent: this, provider: args.provider };

    this.namespace = namespace(`${name}-ns`, ns, true, childOpts);
    this.release = pinnedRelease(`${name}-release`, {
      pin: NETWORK_OPERATOR,
      releaseName: 'network-operator',
      namespace: this.namespace.metadata.name,
      values: mergeValues({ nfd: { enabled: true } }, args.values),
      timeoutSeconds,
    }, childOpts);
    this.nicClusterPolicy = new k8s.apiextensions.CustomResource(`${name}-nic-policy`, {
      apiVersion: 'mellanox.com/v1alpha1',
      kind: 'NicClusterPolicy',
      metadata: { name: 'nic-cluster-policy' },
      spec: args.nicClusterPolicy ?? defaultNicClusterPolicy(),
    }, { ...childOpts, dependsOn: [this.release] });

    this.registerOutputs({ status: this.release.status });
  }
}

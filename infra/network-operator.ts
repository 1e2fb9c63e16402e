import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ArgProblem, integerProblems, isDnsLabel, throwIfArgProblems } from './private/args';
import { chartValues, JsonObject, mergeValues, namespace, pinnedRelease } from './private/helm';
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
   * (shared `rdmaSharedDevicePlugin` or SR-IOV `sriovDevicePlugin`, each with its JSON `config` string) here;
   * workloads then request its resource (`<resourcePrefix>/<resourceName>`, e.g. `rdma/ib`) next to `nvidia.com/gpu`.
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
  /**
   * Pass the chart values as a secret output (set it when they come from a secret config key).
   * @default false
   */
  readonly secretValues?: boolean;
}

/** The RDMA device plugins a NicClusterPolicy can run, by their key in its `spec`. */
export const RDMA_DEVICE_PLUGINS = {
  /** The RDMA shared device plugin: `config` is `{"configList": [{"resourcePrefix"?, "resourceName", ...}]}`. */
  rdmaSharedDevicePlugin: { list: 'configList', defaultPrefix: 'rdma' },
  /**
   * The SR-IOV network device plugin: `config` is `{"resourceList": [{"resourcePrefix"?, "resourceName", ...}]}`.
   * Without a `resourcePrefix` it uses the plugin's own default, `intel.com` (the operator passes no other).
   */
  sriovDevicePlugin: { list: 'resourceList', defaultPrefix: 'intel.com' },
} as const;

/** The key of an RDMA device plugin in a NicClusterPolicy `spec`. */
export type RdmaDevicePlugin = keyof typeof RDMA_DEVICE_PLUGINS;

/** An extended resource an RDMA device plugin of a NicClusterPolicy advertises on the nodes it runs on. */
export interface RdmaDeviceResource {
  /** The resource name pods request, e.g. `rdma/ib`. */
  readonly name: string;
  /** The plugin that advertises it. */
  readonly plugin: RdmaDevicePlugin;
}

function objectOrUndefined(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

/**
 * Reads the RDMA device plugins of a NicClusterPolicy `spec` (`rdmaSharedDevicePlugin`, `sriovDevicePlugin`): the
 * extended resources they advertise (`<resourcePrefix>/<resourceName>` of every entry of their `config`), and the
 * problems of configs that cannot be read. A plugin without `config` advertises nothing this can know.
 */
export function nicClusterPolicyRdmaResources(spec: JsonObject | undefined): { resources: RdmaDeviceResource[]; problems: ArgProblem[] } {
  const resources: RdmaDeviceResource[] = [];
  const problems: ArgProblem[] = [];
  for (const plugin of Object.keys(RDMA_DEVICE_PLUGINS) as RdmaDevicePlugin[]) {
    const { list, defaultPrefix } = RDMA_DEVICE_PLUGINS[plugin];
    const settings = objectOrUndefined(spec?.[plugin]);
    if (settings === undefined || settings.config === undefined) {
      continue;
    }
    const where = `nicClusterPolicy.${plugin}.config`;
    if (typeof settings.config !== 'string') {
      problems.push({ propertyPath: where, reason: `must be a string holding the plugin's JSON config (the NicClusterPolicy field is a string), got ${JSON.stringify(settings.config)}` });
      continue;
    }
    let config: unknown;
    try {
      config = JSON.parse(settings.config);
    } catch (e) {
      problems.push({ propertyPath: where, reason: `is not valid JSON (${(e as Error).message})` });
      continue;
    }
    const entries = objectOrUndefined(config)?.[list];
    if (!Array.isArray(entries)) {
      problems.push({ propertyPath: where, reason: `must be a JSON object with a "${list}" array` });
      continue;
    }
    entries.forEach((entry, i) => {
      const e = objectOrUndefined(entry);
      const name = e?.resourceName;
      const prefix = e?.resourcePrefix ?? defaultPrefix;
      if (typeof name !== 'string' || name === '' || typeof prefix !== 'string' || prefix === '') {
        problems.push({ propertyPath: where, reason: `"${list}"[${i}] must have a non-empty string "resourceName" (and "resourcePrefix", if set)` });
      } else {
        resources.push({ name: `${prefix}/${name}`, plugin });
      }
    });
  }
  return { resources, problems };
}

/** Problems of `NetworkOperator` arguments that can be found without a cluster (the RDMA device plugin configs). */
export function validateNetworkOperatorArgs(args: Pick<NetworkOperatorArgs, 'nicClusterPolicy'>): ArgProblem[] {
  return nicClusterPolicyRdmaResources(args.nicClusterPolicy).problems;
}

/**
 * The chart values of Azure's recipe (Azure/aks-rdma-infiniband configs/values/network-operator/values.yaml):
 * Node Feature Discovery, which labels the Mellanox NICs the NicClusterPolicy selects, does not run its workers on
 * the system pool.
 */
export function networkOperatorValues(values: JsonObject | undefined): JsonObject {
  return mergeValues({
    nfd: { enabled: true },
    'node-feature-discovery': {
      worker: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.azure.com/mode', operator: 'NotIn', values: ['system'] }] }],
            },
          },
        },
      },
    },
  }, values);
}

/**
 * The NicClusterPolicy spec used when none is given: Azure's base policy (Azure/aks-rdma-infiniband
 * configs/nicclusterpolicy/base/nic.yaml): the DOCA driver on nodes with an NVIDIA (Mellanox, PCI vendor 15b3)
 * NIC, the module blacklist file that avoids the driver's module-load race (Mellanox/doca-driver-build#52), no
 * forced precompiled driver, one node at a time upgraded with a drain, and the recipe's probes.
 */
export function defaultNicClusterPolicy(): JsonObject {
  return {
    ofedDriver: {
      ...DEFAULT_OFED_DRIVER,
      env: [{ name: 'OFED_BLACKLIST_MODULES_FILE', value: '/host/etc/modprobe.d/blacklist-ofed-modules.conf' }],
      forcePrecompiled: false,
      upgradePolicy: { autoUpgrade: true, maxParallelUpgrades: 1, drain: { enable: true, force: true, deleteEmptyDir: true, timeoutSeconds: 300 } },
      startupProbe: { initialDelaySeconds: 10, periodSeconds: 20 },
      livenessProbe: { initialDelaySeconds: 30, periodSeconds: 30 },
      readinessProbe: { initialDelaySeconds: 10, periodSeconds: 30 },
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
      ...validateNetworkOperatorArgs(args),
    ]);
    const childOpts = { parent: this, provider: args.provider };

    this.namespace = namespace(`${name}-ns`, ns, true, childOpts);
    this.release = pinnedRelease(`${name}-release`, {
      pin: NETWORK_OPERATOR,
      releaseName: 'network-operator',
      namespace: this.namespace.metadata.name,
      values: networkOperatorValues(args.values),
      timeoutSeconds,
      secretValues: args.secretValues,
    }, childOpts);
    this.nicClusterPolicy = new k8s.apiextensions.CustomResource(`${name}-nic-policy`, {
      apiVersion: 'mellanox.com/v1alpha1',
      kind: 'NicClusterPolicy',
      metadata: { name: 'nic-cluster-policy' },
      // From the same config key as the chart values: secret when they are.
      spec: chartValues(args.nicClusterPolicy ?? defaultNicClusterPolicy(), args.secretValues),
    }, { ...childOpts, dependsOn: [this.release] });

    this.registerOutputs({ status: this.release.status });
  }
}

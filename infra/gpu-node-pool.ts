import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { KAI_NODE_POOL_LABEL } from './kai-queue';
import { ArgProblem, integerProblems, isLabelKey, isLabelValue, throwIfArgProblems } from './private/args';
import { GPU_NODE_OS_SKU } from './versions';

const TYPE = 'cdk8s-grove:infra:GpuNodePool';

/** The VM size GPU pools use unless told otherwise: 8 × H100 80 GB with NVLink and 8 × 400 Gb/s InfiniBand. */
export const DEFAULT_GPU_VM_SIZE = 'Standard_ND96isr_H100_v5';
/** The taint every GPU node carries; the GPU Operator's DaemonSets already tolerate it. */
export const GPU_TAINT = 'nvidia.com/gpu=present:NoSchedule';

/** The cluster a pool joins: an `AksCluster`, or any existing AKS cluster by resource group and name. */
export interface IAksClusterRef {
  /** Resource group of the cluster. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure resource name of the cluster. */
  readonly clusterName: pulumi.Input<string>;
}

/** Arguments of `GpuNodePool`. */
export interface GpuNodePoolArgs {
  /** The cluster the pool belongs to. */
  readonly cluster: IAksClusterRef;
  /**
   * AKS agent pool name: 1-12 lowercase letters and digits, starting with a letter.
   * @default - the component name
   */
  readonly poolName?: string;
  /**
   * VM size. Changing it replaces the pool.
   * @default 'Standard_ND96isr_H100_v5'
   */
  readonly vmSize?: string;
  /**
   * Least number of nodes the cluster autoscaler keeps. 0 lets an idle pool cost nothing.
   * @default 0
   */
  readonly minCount?: number;
  /** Most nodes the cluster autoscaler may add. Your regional GPU quota must cover `maxCount` nodes. */
  readonly maxCount: number;
  /**
   * Availability zones. Check the VM size's zones in your region first (`az vm list-skus`).
   * @default - no zones (regional)
   */
  readonly zones?: string[];
  /**
   * Node OS image. Pinned, because driver and OFED containers are built per Ubuntu version.
   * @default 'Ubuntu2204'
   */
  readonly osSku?: string;
  /**
   * Value of the `kai.scheduler/node-pool` node label, i.e. the KAI SchedulingShard that schedules this pool.
   * Nodes with this label are invisible to KAI's `default` shard: give `KaiScheduler` a shard with the same
   * value, and label the queues and workloads that run here with it too. `false` leaves the label off (the
   * nodes then belong to the default shard).
   * @default - the pool name
   */
  readonly kaiNodePool?: string | false;
  /**
   * More node labels. Keys under `kubernetes.azure.com/` and `kubernetes.io/` are reserved by AKS.
   * @default - only the KAI node-pool label
   */
  readonly nodeLabels?: Record<string, string>;
  /**
   * More taints, as `key=value:Effect`, after `nvidia.com/gpu=present:NoSchedule`.
   * @default - none
   */
  readonly extraTaints?: string[];
  /**
   * Pods per node. A GPU node runs few pods.
   * @default 110
   */
  readonly maxPods?: number;
  /**
   * Extra nodes created during an upgrade. "0" needs no GPU quota beyond `maxCount`.
   * @default '0'
   */
  readonly maxSurge?: string;
  /**
   * Nodes taken down at once during an upgrade (must be above 0 when `maxSurge` is "0").
   * @default '1'
   */
  readonly maxUnavailable?: string;
  /**
   * Capacity reservation group to draw nodes from (for guaranteed GPU capacity).
   * @default - none
   */
  readonly capacityReservationGroupId?: pulumi.Input<string>;
  /**
   * Azure tags of the pool.
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/** `GpuNodePoolArgs` with every default applied (the shape other code reads: capacity check, KAI shards). */
export interface ResolvedGpuNodePoolArgs {
  readonly poolName: string;
  readonly vmSize: string;
  readonly minCount: number;
  readonly maxCount: number;
  readonly zones?: string[];
  readonly osSku: string;
  readonly kaiNodePool: string | undefined;
  readonly nodeLabels: Record<string, string>;
  readonly nodeTaints: string[];
  readonly maxPods: number;
  readonly maxSurge: string;
  readonly maxUnavailable: string;
}

/** Applies the documented defaults of `GpuNodePoolArgs`. */
export function resolveGpuNodePoolArgs(name: string, args: Omit<GpuNodePoolArgs, 'cluster'>): ResolvedGpuNodePoolArgs {
  const poolName = args.poolName ?? name;
  const kaiNodePool = args.kaiNodePool === false ? undefined : (args.kaiNodePool ?? poolName);
  return {
    poolName,
    vmSize: args.vmSize ?? DEFAULT_GPU_VM_SIZE,
    minCount: args.minCount ?? 0,
    maxCount: args.maxCount,
    zones: args.zones,
    osSku: args.osSku ?? GPU_NODE_OS_SKU,
    kaiNodePool,
    nodeLabels: {
      ...(kaiNodePool === undefined ? {} : { [KAI_NODE_POOL_LABEL]: kaiNodePool }),
      ...args.nodeLabels,
    },
    nodeTaints: [GPU_TAINT, ...(args.extraTaints ?? [])],
    maxPods: args.maxPods ?? 110,
    maxSurge: args.maxSurge ?? '0',
    maxUnavailable: args.maxUnavailable ?? '1',
  };
}

const TAINT = /^([^=:\s]+)(=([^:\s]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/;

/** Every problem with resolved `GpuNodePoolArgs`. */
export function validateGpuNodePoolArgs(a: ResolvedGpuNodePoolArgs): ArgProblem[] {
  const problems: ArgProblem[] = [];
  if (!/^[a-z][a-z0-9]{0,11}$/.test(a.poolName)) {
    problems.push({ propertyPath: 'poolName', reason: `must be 1-12 lowercase letters and digits starting with a letter (AKS Linux pool names), got ${JSON.stringify(a.poolName)}` });
  }
  problems.push(...integerProblems('minCount', a.minCount, 0, 1000));
  problems.push(...integerProblems('maxCount', a.maxCount, 1, 1000));
  if (a.minCount > a.maxCount) {
    problems.push({ propertyPath: 'maxCount', reason: `must be >= minCount (${a.minCount}), got ${a.maxCount}` });
  }
  problems.push(...integerProblems('maxPods', a.maxPods, 10, 250));
  for (const [key, value] of Object.entries(a.nodeLabels)) {
    if (!isLabelKey(key)) {
      problems.push({ propertyPath: `nodeLabels[${JSON.stringify(key)}]`, reason: 'is not a valid Kubernetes label key' });
    } else if (/(^|\.)kubernetes\.azure\.com\/|(^|\.)kubernetes\.io\//.test(key)) {
      problems.push({ propertyPath: `nodeLabels[${JSON.stringify(key)}]`, reason: 'uses a prefix AKS reserves (kubernetes.azure.com/, kubernetes.io/); choose your own prefix' });
    }
    if (!isLabelValue(value)) {
      problems.push({ propertyPath: `nodeLabels[${JSON.stringify(key)}]`, reason: `value ${JSON.stringify(value)} is not a valid Kubernetes label value` });
    }
  }
  a.nodeTaints.forEach((t, i) => {
    if (!TAINT.test(t)) {
      problems.push({ propertyPath: i === 0 ? 'nodeTaints' : `extraTaints[${i - 1}]`, reason: `must look like key=value:NoSchedule, got ${JSON.stringify(t)}` });
    }
  });
  const surge = /^(\d+)%?$/.exec(a.maxSurge);
  const unavailable = /^(\d+)%?$/.exec(a.maxUnavailable);
  if (!surge) {
    problems.push({ propertyPath: 'maxSurge', reason: `must be a node count or a percentage such as "0" or "10%", got ${JSON.stringify(a.maxSurge)}` });
  }
  if (!unavailable) {
    problems.push({ propertyPath: 'maxUnavailable', reason: `must be a node count or a percentage such as "1" or "10%", got ${JSON.stringify(a.maxUnavailable)}` });
  }
  if (surge && unavailable && Number(surge[1]) === 0 && Number(unavailable[1]) === 0) {
    problems.push({ propertyPath: 'maxUnavailable', reason: 'must be above 0 when maxSurge is 0 (AKS needs one of them above 0)' });
  }
  return problems;
}

/**
 * A GPU node pool: one AKS `AgentPool` per pool, separate from the cluster's inline system pool.
 *
 * Set up for the NVIDIA GPU Operator to own the GPU stack: `gpuProfile.driver: None` (AKS installs no driver;
 * this cannot be changed after creation), a pinned Ubuntu image, ephemeral OS disk (size left to AKS, as
 * required on NVMe-backed sizes), a VM scale set (InfiniBand links only VMs of one scale set), the taint
 * `nvidia.com/gpu=present:NoSchedule`, cluster autoscaling between `minCount` and `maxCount` with
 * `Delete` scale-down, and upgrades that need no surge quota.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  /** The resolved pool settings (VM size, counts, labels, taints). */
  public readonly spec: ResolvedGpuNodePoolArgs;
  /** The AKS agent pool. */
  public readonly agentPool: containerservice.AgentPool;
  /** The AKS agent pool name. */
  public readonly poolName: pulumi.Output<string>;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const a = resolveGpuNodePoolArgs(name, args);
    throwIfArgProblems('GpuNodePool', name, validateGpuNodePoolArgs(a));
    this.spec = a;

    this.agentPool = new containerservice.AgentPool(`${name}-pool`, {
      resourceGroupName: args.cluster.resourceGroupName,
      resourceName: args.cluster.clusterName,
      agentPoolName: a.poolName,
      mode: containerservice.AgentPoolMode.User,
      type: containerservice.AgentPoolType.VirtualMachineScaleSets,
      vmSize: a.vmSize,
      osType: containerservice.OSType.Linux,
      osSKU: a.osSku,
      // No osDiskSizeGB: AKS sizes the ephemeral OS disk on NVMe-backed VMs itself.
      osDiskType: containerservice.OSDiskType.Ephemeral,
      gpuProfile: { driver: containerservice.GPUDriver.None },
      enableAutoScaling: true,
      count: a.minCount,
      minCount: a.minCount,
      maxCount: a.maxCount,
      scaleDownMode: containerservice.ScaleDownMode.Delete,
      availabilityZones: a.zones,
      maxPods: a.maxPods,
      nodeTaints: a.nodeTaints,
      nodeLabels: a.nodeLabels,
      upgradeSettings: { maxSurge: a.maxSurge, maxUnavailable: a.maxUnavailable },
      capacityReservationGroupID: args.capacityReservationGroupId,
      tags: args.tags,
    }, {
      parent: this,
      // The cluster autoscaler owns the node count.
      ignoreChanges: ['count'],
    });
    this.poolName = this.agentPool.name;

    this.registerOutputs({ poolName: this.poolName });
  }
}

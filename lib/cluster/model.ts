/**
 * The cluster model: plain data describing the nodes a workload is placed on, and what the cluster has installed
 * (device plugins, CRDs, Secrets, claims, KAI queues and shards). No Pulumi or cdk8s here: `plan` builds it from a
 * YAML file or `--pool` flags, the Pulumi program from its stack config (infra/cluster-model.ts).
 *
 * Quantities are numbers: CPU in cores, memory and ephemeral storage in bytes, everything else in units.
 *
 * Where the per-node figures of a GPU pool come from (`gpuPool`):
 * - capacity (vCPUs, memory, GPUs): the SKU catalog (`lib/catalog/node-skus.ts`, AKS.md §1.1 for ND96isr_H100_v5);
 * - kube-reserved CPU: the AKS table "Kube-reserved CPU (millicores)" (azure-aks-docs `node-resource-reservations.md`:
 *   60/100/140/180/260/420/740 m for 1/2/4/8/16/32/64 cores); above 64 cores the table's last step (10 m per core
 *   from 32 to 64) is extended, an inference: 96 cores reserve 1060 m;
 * - kube-reserved memory: the same page, AKS 1.29 and later: the lesser of 20 MB × max pods + 50 MB and 25 % of
 *   memory (2250 MB at 110 pods), plus the `memory.available<100Mi` eviction threshold;
 * - daemonsets: an estimate, not a measurement: the GPU Operator's DaemonSets (driver, toolkit, device plugin, DCGM
 *   exporter, feature discovery, validator, MIG manager, NFD worker) and AKS's (kube-proxy, CNS, CSI drivers,
 *   cloud-node-manager) take about 1 CPU, 4 GiB and 20 pod slots per GPU node; override with `daemonsetReserve`;
 * - pods: AKS `maxPods`, 110 for the stack's GPU pools (AKS.md §1.3);
 * - `nvidia.com/gpu` is advertised by the GPU Operator's device plugin, `rdma/ib` only by an RDMA device plugin
 *   (Network Operator); a pool advertises what the model says is installed.
 */
import { NodeSku, nodeSku } from '../catalog';
import { KAI_NODE_POOL_LABEL } from '../grove/scheduler';

/** Resource names of the model. */
export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';
export const GPU = 'nvidia.com/gpu';

/** The label KAI partitions nodes by (KAI `pkg/common/constants/constants.go` `DefaultNodePoolLabelKey`). */
export const KAI_NODE_POOL_LABEL_KEY = KAI_NODE_POOL_LABEL;
/** The taint a `GpuNodePool` puts on every GPU node (infra/gpu-node-pool.ts `GPU_TAINT`). */
export const GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

/** AKS node labels (AKS.md §1.3 "Labels"). */
export const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A node taint. */
export interface Taint {
  readonly key: string;
  /**
   * Taint value.
   * @default ''
   */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Resource amounts by name (CPU in cores, memory in bytes). */
export type Resources = Readonly<Record<string, number>>;

/** A pool of identical nodes. */
export interface PoolModel {
  /** Pool name (the AKS agent pool name). */
  readonly name: string;
  /**
   * VM size, for people and pictures.
   * @default - none
   */
  readonly sku?: string;
  /** Nodes placed on: the most the pool can have (the autoscaler's `maxCount`). */
  readonly nodes: number;
  /**
   * Least nodes (the autoscaler's `minCount`).
   * @default 0
   */
  readonly minNodes?: number;
  /** Labels of every node (AKS's own included). */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Allocatable per node: capacity minus reservations and daemonsets. */
  readonly allocatable: Resources;
  /**
   * Nodes that share one NVLink domain (1 for HGX boards; 18 for GB200 NVL72).
   * @default 1
   */
  readonly nvlinkNodes?: number;
  /**
   * Whether the pool's nodes share one InfiniBand fabric (AKS links the VMs of one scale set).
   * @default false
   */
  readonly infiniband?: boolean;
}

/** The cluster. */
export interface ClusterModel {
  readonly pools: readonly PoolModel[];
  /**
   * The label key KAI shards nodes by.
   * @default 'kai.scheduler/node-pool'
   */
  readonly kaiNodePoolLabelKey?: string;
  /**
   * KAI SchedulingShards by `partitionLabelValue` (the `default` shard takes nodes without the label).
   * @default - none listed (not checked)
   */
  readonly kaiShards?: readonly string[];
  /**
   * Extended resources the device plugins advertise (`nvidia.com/gpu`, `rdma/ib`).
   * @default - those any pool's allocatable lists
   */
  readonly devicePlugins?: readonly string[];
  /**
   * Installed CRDs as `<plural>.<group>` or `<group>/<Kind>`.
   * @default - none known
   */
  readonly crds?: readonly string[];
  /**
   * Existing Secrets: `<namespace>/<name>` (keys not known), or with the keys they hold. A name without a
   * namespace exists in every namespace (what `lint --present Secret/NAME` declares).
   * @default - none known (not checked)
   */
  readonly secrets?: readonly (string | SecretModel)[];
  /**
   * Existing PersistentVolumeClaims: `<namespace>/<name>` (access modes not known), or with their access modes and
   * storage class. A name without a namespace exists in every namespace.
   * @default - none known (not checked)
   */
  readonly claims?: readonly (string | ClaimModel)[];
  /**
   * Existing KAI queues.
   * @default - none known
   */
  readonly queues?: readonly string[];
}

/** An existing Secret. */
export interface SecretModel {
  /** `<namespace>/<name>`, or `<name>` for every namespace. */
  readonly name: string;
  /**
   * The keys it holds.
   * @default - not known (keys are not checked)
   */
  readonly keys?: readonly string[];
}

/** An existing PersistentVolumeClaim. */
export interface ClaimModel {
  /** `<namespace>/<name>`, or `<name>` for every namespace. */
  readonly name: string;
  /**
   * Its access modes.
   * @default - not known (access is not checked)
   */
  readonly accessModes?: readonly string[];
  /**
   * Its storage class.
   * @default - not known
   */
  readonly storageClassName?: string;
}

/** A node of the model. */
export interface ModelNode {
  /** `<pool>-<index>`. */
  readonly name: string;
  readonly pool: string;
  readonly index: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly allocatable: Resources;
  /** Keys of the domains the node is in. */
  readonly nvlinkDomain: string;
  readonly infinibandDomain: string;
}

/** Every node of the model, pools in order. */
export function modelNodes(model: ClusterModel): ModelNode[] {
  return model.pools.flatMap(p => Array.from({ length: p.nodes }, (_, i) => {
    const name = `${p.name}-${i}`;
    const per = Math.max(1, p.nvlinkNodes ?? 1);
    return {
      name,
      pool: p.name,
      index: i,
      labels: { ...p.labels, [HOSTNAME_LABEL]: name },
      taints: p.taints,
      allocatable: p.allocatable,
      nvlinkDomain: per > 1 ? `${p.name}/nvlink-${Math.floor(i / per)}` : name,
      infinibandDomain: p.infiniband ? `${p.name}/ib` : name,
    };
  }));
}

/** The model with every pool grown to at least `nodes` nodes (to ask how many nodes a workload needs). */
export function withPoolsOfAtLeast(model: ClusterModel, nodes: number): ClusterModel {
  return { ...model, pools: model.pools.map(p => ({ ...p, nodes: Math.max(p.nodes, nodes) })) };
}

/** The KAI node pool label key of a model. */
export function kaiLabelKey(model: ClusterModel): string {
  return model.kaiNodePoolLabelKey ?? KAI_NODE_POOL_LABEL_KEY;
}

/** AKS kube-reserved CPU in cores for a node with `cores` vCPUs (see the module documentation). */
export function aksReservedCpu(cores: number): number {
  const table: [number, number][] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];
  let milli = 60;
  for (let i = 0; i < table.length; i++) {
    const [c, m] = table[i];
    if (cores <= c) {
      const [pc, pm] = i === 0 ? [0, 0] : table[i - 1];
      milli = i === 0 ? m : pm + ((m - pm) * (cores - pc)) / (c - pc);
      return milli / 1000;
    }
  }
  return (740 + 10 * (cores - 64)) / 1000;
}

/** AKS kube-reserved memory plus the eviction threshold, in bytes (AKS 1.29 and later). */
export function aksReservedMemory(memoryBytes: number, maxPods: number): number {
  const kubeReserved = Math.min((20 * maxPods + 50) * 1e6, 0.25 * memoryBytes);
  return kubeReserved + 100 * 2 ** 20;
}

/** What the daemonsets on a node take (see the module documentation). */
export interface DaemonsetReserve {
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

/** The estimate for a GPU node of this stack. */
export const GPU_NODE_DAEMONSETS: DaemonsetReserve = { cpu: 1, memory: 4 * 2 ** 30, pods: 20 };

/** Options of `gpuPool`. */
export interface GpuPoolOptions {
  /**
   * Pool name.
   * @default - the SKU name
   */
  readonly name?: string;
  /**
   * The KAI node pool label value; undefined leaves the label off (KAI's default shard).
   * @default - no label
   */
  readonly kaiNodePool?: string;
  /**
   * Extended resources besides `nvidia.com/gpu` the nodes advertise (e.g. `rdma/ib` with an RDMA device plugin).
   * @default - none
   */
  readonly extendedResources?: Readonly<Record<string, number>>;
  /**
   * Pods per node (AKS `maxPods`).
   * @default 110
   */
  readonly maxPods?: number;
  /**
   * More labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * More taints after `nvidia.com/gpu=present:NoSchedule`.
   * @default - none
   */
  readonly extraTaints?: readonly Taint[];
  /**
   * Availability zone of the nodes.
   * @default - regional (no zone label)
   */
  readonly zone?: string;
  /**
   * Least nodes.
   * @default 0
   */
  readonly minNodes?: number;
  /**
   * What daemonsets take per node.
   * @default GPU_NODE_DAEMONSETS
   */
  readonly daemonsetReserve?: DaemonsetReserve;
}

/** The pool a `GpuNodePool` of this SKU creates with its defaults: AKS labels, the GPU taint, allocatable. */
export function gpuPool(sku: string | NodeSku, nodes: number, options: GpuPoolOptions = {}): PoolModel {
  const s = typeof sku === 'string' ? nodeSku(sku) : sku;
  const name = options.name ?? s.name;
  const maxPods = options.maxPods ?? 110;
  const ds = options.daemonsetReserve ?? GPU_NODE_DAEMONSETS;
  const memory = s.memoryGiB * 2 ** 30;
  return {
    name,
    sku: s.name,
    nodes,
    ...(options.minNodes === undefined ? {} : { minNodes: options.minNodes }),
    labels: {
      [AGENT_POOL_LABEL]: name,
      'kubernetes.azure.com/mode': 'user',
      'kubernetes.azure.com/accelerator': 'nvidia',
      [INSTANCE_TYPE_LABEL]: s.name,
      'kubernetes.io/arch': s.cpuArchitecture,
      'kubernetes.io/os': 'linux',
      ...(options.zone === undefined ? {} : { [ZONE_LABEL]: options.zone }),
      ...(options.kaiNodePool === undefined ? {} : { [KAI_NODE_POOL_LABEL_KEY]: options.kaiNodePool }),
      ...options.labels,
    },
    taints: [GPU_TAINT, ...(options.extraTaints ?? [])],
    allocatable: {
      [CPU]: round3(s.vcpus - aksReservedCpu(s.vcpus) - ds.cpu),
      [MEMORY]: Math.floor(memory - aksReservedMemory(memory, maxPods) - ds.memory),
      [PODS]: maxPods - ds.pods,
      [GPU]: s.gpusPerNode,
      ...options.extendedResources,
    },
    nvlinkNodes: Math.max(1, Math.floor(s.nvlinkDomainGpus / s.gpusPerNode)),
    infiniband: s.infiniband,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

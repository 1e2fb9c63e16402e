/**
 * What a prefill or decode pod needs on an AKS InfiniBand node pool (Standard_ND96isr_H100_v5) so that NIXL
 * moves the KV cache over UCX on InfiniBand rather than TCP.
 *
 * Sources (reference folder): dynamo/recipes/addons_providers_aks-ib.yaml (the fabric profile: `rdma/ib: "1"`,
 * privileged with `IPC_LOCK` and `SYS_PTRACE`, `UCX_NET_DEVICES`, `NCCL_SOCKET_IFNAME`, UCX backend, targets
 * prefill and decode, one agent pool), dynamo/recipes/addons_kustomize_aks-ib_kustomization.yaml (the same
 * resource as both request and limit), dynamo/DGD.md §5 and aks/AKS.md §2.2 (the other RDMA device-plugin
 * resource names). The IB recipe does not size `/dev/shm`; the default below is the 80Gi every large-model
 * recipe in the reference sets (recipes/llama-3-70b_vllm_*, recipes/deepseek-r1_sglang_disagg-16gpu_deploy.yaml).
 */
import { EnvVar, ServingRole, WorkerRole } from './types';

/** Extended-resource names RDMA device plugins advertise on AKS. */
export const RdmaResource = {
  /** The AKS IB recipe's resource (one slot grants all HCAs of the node). */
  AKS_IB_RECIPE: 'rdma/ib',
  /** The Dynamo "InfiniBand on Azure" docs' RDMA shared device plugin resource. */
  DYNAMO_RDMA_SHARED: 'rdma/hca_shared_devices_a',
  /** The Azure aks-rdma-infiniband repository's RDMA shared device plugin resource. */
  AZURE_RDMA_SHARED: 'rdma/shared_ib',
} as const;

/** One of the `RdmaResource` values. */
export type RdmaResource = (typeof RdmaResource)[keyof typeof RdmaResource];

/**
 * UCX devices of the compute fabric of Standard_ND96isr_H100_v5 (the recipe's default `UCX_NET_DEVICES`).
 * Cluster-specific: derive yours from `ibv_devinfo` (compute-fabric HCAs only).
 */
export const ND_H100_V5_UCX_NET_DEVICES: readonly string[] = ['mlx5_0:1', 'mlx5_1:1', 'mlx5_2:1', 'mlx5_3:1'];

/** Options of `aksInfinibandRequirements()`. */
export interface AksInfinibandOptions {
  /**
   * Compute-fabric UCX devices (`UCX_NET_DEVICES`). Load-bearing: without it UCX may bind a side NIC.
   * @default ND_H100_V5_UCX_NET_DEVICES
   */
  readonly ucxNetDevices?: readonly string[];
  /**
   * Interface NCCL uses for its bootstrap socket (`NCCL_SOCKET_IFNAME`).
   * @default 'eth0'
   */
  readonly ncclSocketIfname?: string;
  /**
   * RDMA extended resource to request.
   * @default RdmaResource.AKS_IB_RECIPE
   */
  readonly rdmaResource?: RdmaResource;
  /**
   * `/dev/shm` size for the pod.
   * @default '80Gi'
   */
  readonly sharedMemorySizeLimit?: string;
}

/** Plain-data requirements of an InfiniBand KV-transfer pod on AKS. */
export interface AksInfinibandRequirements {
  /** Extended resource to add to both requests and limits of the main container. */
  readonly rdmaResource: { readonly name: string; readonly count: number };
  /** Container security context. */
  readonly securityContext: {
    readonly privileged: boolean;
    readonly capabilities: { readonly add: readonly string[] };
  };
  /** Environment to add to the main container (TRT-LLM multi-node: pass as `extraEnv` so mpirun forwards it). */
  readonly env: readonly EnvVar[];
  /** `/dev/shm` size for the pod. */
  readonly sharedMemorySizeLimit: string;
  /** The NIXL backend the fabric profile expects (vLLM's default; TRT-LLM's base already sets it). */
  readonly nixlBackend: 'UCX';
  /** Worker roles the profile applies to. */
  readonly appliesTo: readonly WorkerRole[];
  /** The image stays the standard runtime image: UCX/IB support is built in. */
  readonly imageUnchanged: boolean;
  /**
   * Placement rule: prefill and decode must run in the same agent pool, because AKS IB partitions (pkeys) are
   * per pool and NIXL wire-up fails across pools. The construct pins both with a node selector.
   */
  readonly sameAgentPool: boolean;
}

/**
 * The AKS InfiniBand requirements of a prefill or decode pod.
 *
 * `count` is a device-plugin slot count, not derived from GPUs (the recipe keeps it at 1). `IPC_LOCK` lets
 * the process register GPU memory with the HCA; `SYS_PTRACE` and `privileged` come with the recipe as well.
 *
 * @param opts devices, interface, resource name and shared-memory size
 */
export function aksInfinibandRequirements(opts: AksInfinibandOptions = {}): AksInfinibandRequirements {
  return {
    rdmaResource: { name: opts.rdmaResource ?? RdmaResource.AKS_IB_RECIPE, count: 1 },
    securityContext: { privileged: true, capabilities: { add: ['IPC_LOCK', 'SYS_PTRACE'] } },
    env: [
      { name: 'UCX_NET_DEVICES', value: (opts.ucxNetDevices ?? ND_H100_V5_UCX_NET_DEVICES).join(',') },
      { name: 'NCCL_SOCKET_IFNAME', value: opts.ncclSocketIfname ?? 'eth0' },
    ],
    sharedMemorySizeLimit: opts.sharedMemorySizeLimit ?? '80Gi',
    nixlBackend: 'UCX',
    appliesTo: [ServingRole.PREFILL, ServingRole.DECODE],
    imageUnchanged: true,
    sameAgentPool: true,
  };
}

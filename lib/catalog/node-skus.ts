/**
 * Azure GPU node SKUs (VM sizes) that AKS GPU pools use, with the facts capacity checks need.
 *
 * Sources. Standard_ND96isr_H100_v5 comes from the project's AKS research notes (AKS.md §1.1, which cites the Azure
 * VM size docs) and Dynamo's AKS InfiniBand recipe (`recipes/addons/providers/aks-ib.yaml`). The other SKUs come
 * from Microsoft's public VM size documentation; values we could not confirm there are listed in each entry's
 * `unverified` array and commented at the value. Check those with
 * `az vm list-skus --size <sku>` / `az vm list-usage -l <region>` before relying on them.
 */
import { GroveValidationError } from '../errors';

/** The RDMA device-plugin resource the Dynamo AKS InfiniBand recipe requests (one slot grants all HCAs). */
export const AKS_IB_RDMA_RESOURCE = 'rdma/ib';

/** An Azure GPU VM size. */
export interface NodeSku {
  /** Azure VM size name, e.g. `Standard_ND96isr_H100_v5`. */
  readonly name: string;
  /** GPU model, for people. */
  readonly gpuModel: string;
  /** GPUs per node (the node's `nvidia.com/gpu` capacity). */
  readonly gpusPerNode: number;
  /** Memory per GPU in GiB (nominal; the driver reports slightly less). */
  readonly gpuMemoryGiB: number;
  /**
   * GPUs that share one NVLink domain. Equal to `gpusPerNode` for HGX boards; 72 for GB200 NVL72, where the domain
   * spans 18 nodes and needs IMEX/ComputeDomains (Grove's MNNVL support) to be used across nodes.
   */
  readonly nvlinkDomainGpus: number;
  /** Whether the VM has an InfiniBand backend network. */
  readonly infiniband: boolean;
  /** InfiniBand HCAs per node (0 without InfiniBand). */
  readonly infinibandHcas: number;
  /** Link speed per HCA in Gb/s (0 without InfiniBand). */
  readonly infinibandGbpsPerHca: number;
  /** vCPUs per node; also the quota cost of one node in vCPUs. */
  readonly vcpus: number;
  /** Node memory in GiB. */
  readonly memoryGiB: number;
  /** CPU architecture; container images must be built for it. */
  readonly cpuArchitecture: 'amd64' | 'arm64';
  /** Azure regional vCPU quota family, as `az vm list-usage` names it. */
  readonly quotaFamily: string;
  /**
   * Extended resource of the RDMA device plugin that pods request for InfiniBand (GPUDirect RDMA).
   * @default - undefined for SKUs without InfiniBand
   */
  readonly rdmaResource?: string;
  /**
   * `UCX_NET_DEVICES` value that pins UCX to the compute-fabric HCAs.
   * @default - undefined when not known; derive it from `ibv_devinfo` on a node
   */
  readonly ucxNetDevices?: string;
  /** Names of the fields above whose values are not confirmed by a source we hold. */
  readonly unverified: readonly (keyof NodeSku)[];
}

const SKUS: readonly NodeSku[] = [
  {
    // All values: AKS.md §1.1; RDMA resource and UCX devices: Dynamo aks-ib recipe (mlx5_0..3 are the
    // compute-fabric HCAs it pins for this SKU).
    name: 'Standard_ND96isr_H100_v5',
    gpuModel: 'NVIDIA H100 80GB (SXM5, NVLink 4.0)',
    gpusPerNode: 8,
    gpuMemoryGiB: 80,
    nvlinkDomainGpus: 8,
    infiniband: true,
    infinibandHcas: 8,
    infinibandGbpsPerHca: 400,
    vcpus: 96,
    memoryGiB: 1900,
    cpuArchitecture: 'amd64',
    quotaFamily: 'standardNDSH100v5Family',
    rdmaResource: AKS_IB_RDMA_RESOURCE,
    ucxNetDevices: 'mlx5_0:1,mlx5_1:1,mlx5_2:1,mlx5_3:1',
    unverified: [],
  },
  {
    // Azure ND H200 v5 size docs: 8 x H200 141 GB, 96 vCPU, 1850 GiB, 8 x 400 Gb/s NDR.
    name: 'Standard_ND96isr_H200_v5',
    gpuModel: 'NVIDIA H200 141GB (SXM5, NVLink 4.0)',
    gpusPerNode: 8,
    gpuMemoryGiB: 141,
    nvlinkDomainGpus: 8,
    infiniband: true,
    infinibandHcas: 8,
    infinibandGbpsPerHca: 400,
    vcpus: 96,
    memoryGiB: 1850,
    cpuArchitecture: 'amd64',
    quotaFamily: 'standardNDSH200v5Family', // unverified: by analogy with the H100 family name
    rdmaResource: AKS_IB_RDMA_RESOURCE, // unverified: the recipe targets AKS IB pools generally, tested on H100
    unverified: ['quotaFamily', 'rdmaResource'],
  },
  {
    // Azure ND A100 v4 size docs: 8 x A100 40 GB, 96 vCPU (AMD EPYC), 900 GiB, 8 x 200 Gb/s HDR.
    name: 'Standard_ND96asr_v4',
    gpuModel: 'NVIDIA A100 40GB (SXM4, NVLink 3.0)',
    gpusPerNode: 8,
    gpuMemoryGiB: 40,
    nvlinkDomainGpus: 8,
    infiniband: true,
    infinibandHcas: 8,
    infinibandGbpsPerHca: 200,
    vcpus: 96,
    memoryGiB: 900,
    cpuArchitecture: 'amd64',
    quotaFamily: 'standardNDASv4_A100Family', // unverified
    rdmaResource: AKS_IB_RDMA_RESOURCE, // unverified: see the H200 entry
    unverified: ['quotaFamily', 'rdmaResource'],
  },
  {
    // Azure NDm A100 v4 size docs: 8 x A100 80 GB, 96 vCPU (AMD EPYC), 1900 GiB, 8 x 200 Gb/s HDR.
    name: 'Standard_ND96amsr_A100_v4',
    gpuModel: 'NVIDIA A100 80GB (SXM4, NVLink 3.0)',
    gpusPerNode: 8,
    gpuMemoryGiB: 80,
    nvlinkDomainGpus: 8,
    infiniband: true,
    infinibandHcas: 8,
    infinibandGbpsPerHca: 200,
    vcpus: 96,
    memoryGiB: 1900,
    cpuArchitecture: 'amd64',
    quotaFamily: 'standardNDAMSv4_A100Family', // unverified
    rdmaResource: AKS_IB_RDMA_RESOURCE, // unverified: see the H200 entry
    unverified: ['quotaFamily', 'rdmaResource'],
  },
  {
    // Azure NC H100 v5 size docs: 2 x H100 NVL 94 GB (PCIe), 80 vCPU (AMD EPYC), 640 GiB, no InfiniBand.
    name: 'Standard_NC80adis_H100_v5',
    gpuModel: 'NVIDIA H100 NVL 94GB (PCIe)',
    gpusPerNode: 2,
    gpuMemoryGiB: 94,
    nvlinkDomainGpus: 2, // unverified: the two cards of an H100 NVL pair are NVLink-bridged
    infiniband: false,
    infinibandHcas: 0,
    infinibandGbpsPerHca: 0,
    vcpus: 80,
    memoryGiB: 640,
    cpuArchitecture: 'amd64',
    quotaFamily: 'standardNCadsH100v5Family', // unverified
    unverified: ['nvlinkDomainGpus', 'quotaFamily'],
  },
  {
    // Azure ND GB200 v6: 4 Blackwell GPUs of two Grace-Blackwell superchips per VM, 18 VMs per NVL72 rack,
    // 4 x 400 Gb/s NDR, 128 Arm (Grace) vCPUs.
    name: 'Standard_ND128isr_NDR_GB200_v6',
    gpuModel: 'NVIDIA GB200 (Blackwell, NVLink 5.0, NVL72)',
    gpusPerNode: 4,
    gpuMemoryGiB: 186, // unverified: NVIDIA's GB200 NVL72 figure (13.4 TB / 72); Azure docs may say 192
    nvlinkDomainGpus: 72,
    infiniband: true,
    infinibandHcas: 4,
    infinibandGbpsPerHca: 400,
    vcpus: 128,
    memoryGiB: 900, // unverified
    cpuArchitecture: 'arm64',
    quotaFamily: 'standardNDGB200v6Family', // unverified
    rdmaResource: AKS_IB_RDMA_RESOURCE, // unverified: see the H200 entry
    unverified: ['gpuMemoryGiB', 'memoryGiB', 'quotaFamily', 'rdmaResource'],
  },
];

/** Every SKU in the catalog. */
export function nodeSkus(): readonly NodeSku[] {
  return SKUS;
}

/**
 * Looks up a SKU by its Azure VM size name (case-insensitive, as Azure treats it).
 *
 * @throws GroveValidationError listing the known SKUs when the name is not in the catalog
 */
export function nodeSku(name: string): NodeSku {
  const found = findNodeSku(name);
  if (found === undefined) {
    throw new GroveValidationError([{
      constructPath: 'catalog/node-skus',
      field: 'sku',
      message: 'unknown GPU node SKU',
      value: name,
      fix: `use one of ${SKUS.map(s => s.name).join(', ')}`,
    }]);
  }
  return found;
}

/** Looks up a SKU like `nodeSku`, returning undefined instead of throwing. */
export function findNodeSku(name: string): NodeSku | undefined {
  const key = typeof name === 'string' ? name.toLowerCase() : '';
  return SKUS.find(s => s.name.toLowerCase() === key);
}

/** vCPU quota a number of nodes of a SKU uses in its quota family (Azure counts GPU quota in vCPUs). */
export function quotaVcpus(sku: string, nodes: number): number {
  return nodeSku(sku).vcpus * nodes;
}

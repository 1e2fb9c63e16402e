/**
 * The cluster model of a stack (`lib/cluster`), built from the stack's own config: what the capacity preflight
 * places the apps on, and what the missing-reference check compares manifests against.
 *
 * - GPU pools: as `GpuNodePool` creates them (labels, taints, `maxPods`, zones, the KAI node-pool label), at
 *   `maxCount` nodes, with the allocatable figures of `lib/cluster/model.ts` and the RDMA resources the stack's
 *   Network Operator advertises on InfiniBand SKUs (one per HCA).
 * - The system pool (mode `aks`): `Standard_D4ds_v5` by default, untainted, in KAI's default shard. Its
 *   allocatable: 4 vCPUs and 16 GiB (Azure Ddsv5 size docs) minus AKS's reservations (same sources as
 *   `lib/cluster/model.ts`) and an estimate of 1 CPU and 4 GiB for AKS's daemonsets and the stack's operators.
 *   Another system VM size gets the same figures (it is not in the catalog): the preflight needs the pool mainly
 *   for its labels and taints, to say why a gang's pods do not land there.
 * - Device plugins: `nvidia.com/gpu` when the GPU Operator is on; the RDMA resources of the Network Operator.
 * - CRDs, Secrets, claims and queues: what `stackProvides` lists (the operators' CRDs, the Dynamo CRD, the Hugging
 *   Face Secret and the model-cache claim where the apps use them, the KAI queues).
 */
import { aksReservedCpu, aksReservedMemory, AGENT_POOL_LABEL, ClusterModel, CPU, GPU, gpuPool, INSTANCE_TYPE_LABEL, MEMORY, parseTaint, PODS, PoolModel, ZONE_LABEL } from '../lib/cluster';
import { findNodeSku } from '../lib/catalog';
import { poolRdmaResources, resolvePool, StackConfig } from './config';
import { JsonObject } from './private/helm';
import { stackProvides } from './stack-provides';

/** The default system pool VM size's capacity (Azure Ddsv5 size docs: Standard_D4ds_v5, 4 vCPUs, 16 GiB). */
const SYSTEM_VCPUS = 4;
const SYSTEM_MEMORY = 16 * 2 ** 30;
const SYSTEM_MAX_PODS = 110;


/** The stack's GPU pools as the cluster model sees them. */
export function stackGpuPools(cfg: StackConfig): PoolModel[] {
  return cfg.gpuPools.map(p => {
    const r = resolvePool(cfg, p);
    const sku = findNodeSku(r.vmSize);
    const rdma = poolRdmaResources(cfg, r.vmSize);
    const base = gpuPool(r.vmSize, r.maxCount, {
      name: r.poolName,
      ...(r.kaiNodePool === undefined ? {} : { kaiNodePool: r.kaiNodePool }),
      maxPods: r.maxPods,
      minNodes: r.minCount,
      labels: r.nodeLabels,
      ...(r.zones?.length === 1 ? { zone: r.zones[0] } : {}),
      extendedResources: Object.fromEntries(rdma.map(name => [name, sku?.infinibandHcas ?? 1])),
    });
    const gpus = cfg.operators.gpuOperator?.enabled ?? true;
    const allocatable: Record<string, number> = { ...base.allocatable };
    if (!gpus) delete allocatable[GPU];
    return { ...base, taints: r.nodeTaints.map(parseTaint), allocatable };
  });
}

/** The system pool of an `aks` stack. */
function systemPool(cfg: StackConfig): PoolModel | undefined {
  if (cfg.mode !== 'aks') return undefined;
  const sp = cfg.azure?.systemPool ?? {};
  const vmSize = sp.vmSize ?? 'Standard_D4ds_v5';
  const zone = sp.zones?.length === 1 ? sp.zones[0] : undefined;
  return {
    name: 'system',
    sku: vmSize,
    nodes: sp.maxCount ?? 3,
    minNodes: sp.minCount ?? 2,
    labels: {
      [AGENT_POOL_LABEL]: 'system',
      'kubernetes.azure.com/mode': 'system',
      [INSTANCE_TYPE_LABEL]: vmSize,
      ...(zone === undefined ? {} : { [ZONE_LABEL]: zone }),
    },
    taints: [],
    allocatable: {
      [CPU]: Math.round((SYSTEM_VCPUS - aksReservedCpu(SYSTEM_VCPUS) - 1) * 1000) / 1000,
      [MEMORY]: Math.floor(SYSTEM_MEMORY - aksReservedMemory(SYSTEM_MEMORY, SYSTEM_MAX_PODS) - 4 * 2 ** 30),
      [PODS]: SYSTEM_MAX_PODS - 15,
    },
  };
}

/**
 * The cluster model of a stack. Its CRDs, Secrets (with keys), claims (with access mode and storage class) and
 * queues are what `stackProvides` lists for these apps: one list, read by the reference preflight.
 */
export function stackClusterModel(cfg: StackConfig, apps: readonly { readonly name: string; readonly objects: readonly JsonObject[] }[] = []): ClusterModel {
  const provides = stackProvides(cfg, apps);
  const system = systemPool(cfg);
  const gpuOperator = cfg.operators.gpuOperator?.enabled ?? true;
  const rdma = [...new Set(cfg.gpuPools.flatMap(p => poolRdmaResources(cfg, resolvePool(cfg, p).vmSize)))];
  const kaiShards = [...new Set(cfg.gpuPools.map(p => resolvePool(cfg, p).kaiNodePool).filter((v): v is string => v !== undefined))];
  return {
    pools: [...(system === undefined ? [] : [system]), ...stackGpuPools(cfg)],
    kaiShards,
    devicePlugins: [...(gpuOperator ? [GPU] : []), ...rdma],
    crds: provides.crds,
    secrets: provides.secrets.map(x => ({ name: `${x.namespace}/${x.name}`, keys: x.keys })),
    claims: provides.claims.map(x => ({ name: `${x.namespace}/${x.name}`, accessModes: x.accessModes, ...(x.storageClassName === undefined ? {} : { storageClassName: x.storageClassName }) })),
    queues: provides.queues.map(q => q.name),
  };
}

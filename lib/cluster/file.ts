/**
 * The cluster file users of `plan --cluster` write: a small YAML document, checked by a zod schema (its JSON
 * Schema is `clusterFileJsonSchema()`), turned into a `ClusterModel`.
 *
 * ```yaml
 * pools:
 *   - name: h100
 *     sku: Standard_ND96isr_H100_v5   # a catalog GPU SKU: labels, GPU taint and allocatable as a GpuNodePool
 *     nodes: 2
 *     kaiNodePool: h100               # the kai.scheduler/node-pool label
 *     extendedResources: { rdma/ib: 1 }
 *   - name: cpu
 *     nodes: 3
 *     allocatable: { cpu: "3.8", memory: 12Gi, pods: 100 }
 * queues: [inference]
 * ```
 */
import { GroveValidationError } from '../errors';
import { findNodeSku, nodeSkus, parseQuantity } from '../catalog';
import { AGENT_POOL_LABEL, ClusterModel, CPU, EPHEMERAL_STORAGE, gpuPool, INSTANCE_TYPE_LABEL, KAI_NODE_POOL_LABEL_KEY, MEMORY, PODS, PoolModel, Taint, ZONE_LABEL } from './model';

/** The zod schema of the cluster file, built on first use: zod is loaded only by programs that read a cluster file. */
function buildClusterFileSchema() {
  const { z } = require('zod') as typeof import('zod');
  const quantity = z.union([z.number().nonnegative(), z.string().regex(/^[0-9.]+(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/, 'a Kubernetes quantity such as 8, "500m" or "12Gi"')]);
  const taint = z.union([
    z.string().regex(/^[^=:]+(=[^:]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, 'key=value:Effect'),
    z.object({ key: z.string().min(1), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) }).strict(),
  ]);

  const pool = z.object({
    name: z.string().min(1).describe('Pool name (the AKS agent pool name)'),
    sku: z.string().min(1).optional().describe('VM size; a catalog GPU SKU gives the labels, taint and allocatable of a GpuNodePool'),
    nodes: z.number().int().min(0).describe('Nodes to place on (the autoscaler maximum)'),
    minNodes: z.number().int().min(0).optional(),
    kaiNodePool: z.string().min(1).optional().describe('Value of the kai.scheduler/node-pool label'),
    zone: z.string().min(1).optional(),
    maxPods: z.number().int().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    taints: z.array(taint).optional().describe('Taints; replaces the GPU taint of a catalog GPU SKU'),
    allocatable: z.record(z.string(), quantity).optional().describe('Allocatable per node; overrides the SKU figures'),
    extendedResources: z.record(z.string(), z.number().int().min(0)).optional().describe('More extended resources per node, e.g. rdma/ib'),
    nvlinkNodes: z.number().int().min(1).optional(),
    infiniband: z.boolean().optional(),
  }).strict();

  return z.object({
    pools: z.array(pool).min(1),
    kai: z.object({ nodePoolLabelKey: z.string().min(1).optional(), shards: z.array(z.string()).optional() }).strict().optional(),
    devicePlugins: z.array(z.string()).optional().describe('Extended resources the device plugins advertise'),
    crds: z.array(z.string()).optional().describe('Installed CRDs, as <plural>.<group> or <group>/<Kind>'),
    secrets: z.array(z.union([z.string(), z.object({ name: z.string().min(1), keys: z.array(z.string()).optional() }).strict()])).optional()
      .describe('Existing Secrets as <namespace>/<name>, or { name, keys }'),
    claims: z.array(z.union([z.string(), z.object({
      name: z.string().min(1), accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).optional(), storageClassName: z.string().optional(),
    }).strict()])).optional().describe('Existing PersistentVolumeClaims as <namespace>/<name>, or { name, accessModes, storageClassName }'),
    queues: z.array(z.string()).optional().describe('Existing KAI queues'),
  }).strict();
}

let clusterFileSchemaMemo: ReturnType<typeof buildClusterFileSchema> | undefined;
function clusterFileSchema(): ReturnType<typeof buildClusterFileSchema> {
  return (clusterFileSchemaMemo ??= buildClusterFileSchema());
}


/** The JSON Schema of the cluster file (for editors). */
export function clusterFileJsonSchema(): Record<string, unknown> {
  const { z } = require('zod') as typeof import('zod');
  return z.toJSONSchema(clusterFileSchema()) as Record<string, unknown>;
}

/** The file's problems (`field: message` each) as the one error type, located at `cluster file`. */
function clusterFileError(problems: readonly string[]): GroveValidationError {
  return new GroveValidationError(problems.map(p => {
    const at = p.indexOf(': ');
    return { constructPath: 'cluster file', field: at < 0 ? '<root>' : p.slice(0, at), message: at < 0 ? p : p.slice(at + 2) };
  }));
}

/**
 * Checks a parsed cluster file and builds the model.
 *
 * @throws GroveValidationError listing every problem (construct path `cluster file`, the field, the message)
 */
export function clusterModelFromFile(data: unknown): ClusterModel {
  const result = clusterFileSchema().safeParse(data);
  if (!result.success) {
    throw clusterFileError(result.error.issues.map(i => `${i.path.map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '<root>'}: ${i.message}`));
  }
  const file = result.data;
  const problems: string[] = [];
  const pools: PoolModel[] = [];
  file.pools.forEach((p, i) => {
    if (pools.some(x => x.name === p.name)) problems.push(`pools[${i}].name: repeats the pool name ${p.name}`);
    const sku = p.sku === undefined ? undefined : findNodeSku(p.sku);
    if (sku === undefined && p.allocatable === undefined) {
      problems.push(`pools[${i}]: give allocatable (cpu, memory, pods) for a pool whose sku is not a catalog GPU SKU (${nodeSkus().map(s => s.name).join(', ')})`);
      return;
    }
    const base: PoolModel = sku !== undefined
      ? gpuPool(sku, p.nodes, { name: p.name, kaiNodePool: p.kaiNodePool, zone: p.zone, maxPods: p.maxPods, minNodes: p.minNodes })
      : {
        name: p.name,
        ...(p.sku === undefined ? {} : { sku: p.sku }),
        nodes: p.nodes,
        labels: {
          [AGENT_POOL_LABEL]: p.name,
          ...(p.sku === undefined ? {} : { [INSTANCE_TYPE_LABEL]: p.sku }),
          ...(p.zone === undefined ? {} : { [ZONE_LABEL]: p.zone }),
          ...(p.kaiNodePool === undefined ? {} : { [file.kai?.nodePoolLabelKey ?? KAI_NODE_POOL_LABEL_KEY]: p.kaiNodePool }),
        },
        taints: [],
        allocatable: { [PODS]: p.maxPods ?? 110 },
      };
    const allocatable: Record<string, number> = { ...base.allocatable };
    for (const [k, q] of Object.entries(p.allocatable ?? {})) {
      const n = parseQuantity(q);
      if (n === undefined) problems.push(`pools[${i}].allocatable.${k}: not a quantity: ${JSON.stringify(q)}`);
      else allocatable[k] = n;
    }
    Object.assign(allocatable, p.extendedResources ?? {});
    for (const k of [CPU, MEMORY, EPHEMERAL_STORAGE]) if (allocatable[k] !== undefined && allocatable[k] < 0) problems.push(`pools[${i}].allocatable.${k}: must not be negative`);
    pools.push({
      ...base,
      labels: { ...base.labels, ...p.labels },
      taints: p.taints === undefined ? base.taints : p.taints.map(parseTaint),
      allocatable,
      ...(p.nvlinkNodes === undefined ? {} : { nvlinkNodes: p.nvlinkNodes }),
      ...(p.infiniband === undefined ? {} : { infiniband: p.infiniband }),
    });
  });
  if (problems.length > 0) throw clusterFileError(problems);
  return {
    pools,
    ...(file.kai?.nodePoolLabelKey === undefined ? {} : { kaiNodePoolLabelKey: file.kai.nodePoolLabelKey }),
    ...(file.kai?.shards === undefined ? {} : { kaiShards: file.kai.shards }),
    ...(file.devicePlugins === undefined ? {} : { devicePlugins: file.devicePlugins }),
    ...(file.crds === undefined ? {} : { crds: file.crds }),
    ...(file.secrets === undefined ? {} : { secrets: file.secrets }),
    ...(file.claims === undefined ? {} : { claims: file.claims }),
    ...(file.queues === undefined ? {} : { queues: file.queues }),
  };
}

/** `key=value:Effect` (or an object) as a taint. */
export function parseTaint(t: string | Taint): Taint {
  if (typeof t !== 'string') return t;
  const [kv, effect] = t.split(':');
  const [key, value] = kv.split('=');
  return { key, ...(value === undefined ? {} : { value }), effect: effect as Taint['effect'] };
}

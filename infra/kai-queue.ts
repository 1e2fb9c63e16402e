import { ValidationProblem } from '../lib/errors';
import { ArgProblem, integerProblems, isDnsLabel, isLabelValue } from './private/args';
import { JsonObject } from './private/helm';

/** The label naming a KAI queue, on a workload (PodCliqueSet or pod). */
export const KAI_QUEUE_LABEL = 'kai.scheduler/queue';
/**
 * The label binding nodes, queues and workloads to a KAI SchedulingShard (KAI's `global.nodePoolLabelKey` default).
 * KAI's `default` shard only schedules nodes without it.
 */
export const KAI_NODE_POOL_LABEL = 'kai.scheduler/node-pool';
/** KAI's scheduler name, as set in `podSpec.schedulerName`. */
export const KAI_SCHEDULER_NAME = 'kai-scheduler';
/** The parent queue the KAI chart creates on install (`defaultQueue.createDefaultQueue`). */
export const KAI_DEFAULT_PARENT_QUEUE = 'default-parent-queue';
/** The leaf queue the KAI chart creates on install; KAI's pod-grouper falls back to it. */
export const KAI_DEFAULT_QUEUE = 'default-queue';

/** Share of one resource (GPU, CPU or memory) a queue gets. */
export interface QueueResource {
  /**
   * Guaranteed amount (GPUs; CPU in millicores; memory in MB). `-1` is unlimited, `0` guarantees nothing.
   * Non-preemptible workloads (priority >= 100, e.g. `inference`) only use in-quota resources.
   * @default -1
   */
  readonly quota?: number;
  /**
   * Upper bound, `-1` for none.
   * @default -1
   */
  readonly limit?: number;
  /**
   * Weight when sharing resources above quota.
   * @default 1
   */
  readonly overQuotaWeight?: number;
}

/** A KAI queue (`scheduling.run.ai/v2` Queue, cluster-scoped). Only leaf queues (no children) accept workloads. */
export interface KaiQueue {
  /** Queue name (a DNS-1123 label); workloads name it in their `kai.scheduler/queue` label. */
  readonly name: string;
  /**
   * Parent queue, for hierarchical fair sharing.
   * @default - a top-level queue
   */
  readonly parentQueue?: string;
  /**
   * The KAI node pool (SchedulingShard) the queue belongs to: the `kai.scheduler/node-pool` value of the GPU
   * pool its workloads run on. Parent and child queues must agree.
   * @default - the default shard (nodes without the label)
   */
  readonly nodePool?: string;
  /**
   * Order in which queues get over-quota resources (higher first).
   * @default - KAI's default
   */
  readonly priority?: number;
  /** @default - unlimited quota and limit, weight 1 */
  readonly gpu?: QueueResource;
  /** @default - unlimited quota and limit, weight 1 */
  readonly cpu?: QueueResource;
  /** @default - unlimited quota and limit, weight 1 */
  readonly memory?: QueueResource;
}

function renderResource(r: QueueResource | undefined): JsonObject {
  return { quota: r?.quota ?? -1, limit: r?.limit ?? -1, overQuotaWeight: r?.overQuotaWeight ?? 1 };
}

/** The Kubernetes object of a queue. */
export function renderQueue(q: KaiQueue): JsonObject {
  return {
    apiVersion: 'scheduling.run.ai/v2',
    kind: 'Queue',
    metadata: {
      name: q.name,
      ...(q.nodePool === undefined ? {} : { labels: { [KAI_NODE_POOL_LABEL]: q.nodePool } }),
    },
    spec: {
      ...(q.parentQueue === undefined ? {} : { parentQueue: q.parentQueue }),
      ...(q.priority === undefined ? {} : { priority: q.priority }),
      resources: { gpu: renderResource(q.gpu), cpu: renderResource(q.cpu), memory: renderResource(q.memory) },
    },
  };
}

/** What the queues are checked against. */
export interface QueueContext {
  /** KAI node pools (SchedulingShard partition values) that exist. */
  readonly nodePools: readonly string[];
  /** Whether the KAI chart creates `default-parent-queue` and `default-queue`. */
  readonly defaultQueues: boolean;
}

/** The queues of a cluster: the given ones, plus `default-parent-queue` and `default-queue` when KAI creates them. */
export function allQueues(queues: readonly KaiQueue[], defaultQueues: boolean): KaiQueue[] {
  return [
    ...queues,
    ...(defaultQueues ? [{ name: KAI_DEFAULT_PARENT_QUEUE }, { name: KAI_DEFAULT_QUEUE, parentQueue: KAI_DEFAULT_PARENT_QUEUE }] : []),
  ];
}

/** The queues that accept workloads: those no other queue names as its parent. */
export function leafQueues(queues: readonly KaiQueue[]): KaiQueue[] {
  const parents = new Set(queues.map(q => q.parentQueue));
  return queues.filter(q => !parents.has(q.name));
}

/** Queues parents in front of children, so they can be created in order. Assumes `validateQueues` passed. */
export function sortQueues(queues: readonly KaiQueue[]): KaiQueue[] {
  const byName = new Map(queues.map(q => [q.name, q]));
  const out: KaiQueue[] = [];
  const seen = new Set<string>();
  const visit = (q: KaiQueue) => {
    if (seen.has(q.name)) {
      return;
    }
    seen.add(q.name);
    const parent = q.parentQueue === undefined ? undefined : byName.get(q.parentQueue);
    if (parent) {
      visit(parent);
    }
    out.push(q);
  };
  queues.forEach(visit);
  return out;
}

/** Every problem with a set of queues: names, parents, node pools, resource numbers. */
export function validateQueues(queues: readonly KaiQueue[], ctx: QueueContext): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const byName = new Map<string, KaiQueue>();
  queues.forEach((q, i) => {
    const at = `queues[${i}]`;
    if (!isDnsLabel(q.name)) {
      problems.push({ propertyPath: `${at}.name`, reason: `must be a DNS-1123 label, got ${JSON.stringify(q.name)}` });
    }
    if (byName.has(q.name) || (ctx.defaultQueues && (q.name === KAI_DEFAULT_QUEUE || q.name === KAI_DEFAULT_PARENT_QUEUE))) {
      problems.push({ propertyPath: `${at}.name`, reason: `queue ${JSON.stringify(q.name)} is defined twice (KAI creates ${KAI_DEFAULT_PARENT_QUEUE} and ${KAI_DEFAULT_QUEUE} itself); rename it` });
    }
    byName.set(q.name, q);
    if (q.nodePool !== undefined && (!isLabelValue(q.nodePool) || !ctx.nodePools.includes(q.nodePool))) {
      problems.push({
        propertyPath: `${at}.nodePool`,
        reason: `no KAI node pool ${JSON.stringify(q.nodePool)}; use one of the GPU pools' node pools (${ctx.nodePools.map(p => JSON.stringify(p)).join(', ') || 'none'}) or leave it unset for the default shard`,
      });
    }
    for (const kind of ['gpu', 'cpu', 'memory'] as const) {
      const r = q[kind];
      problems.push(...integerProblems(`${at}.${kind}.quota`, r?.quota, -1));
      problems.push(...integerProblems(`${at}.${kind}.limit`, r?.limit, -1));
      problems.push(...integerProblems(`${at}.${kind}.overQuotaWeight`, r?.overQuotaWeight, 0));
    }
  });
  queues.forEach((q, i) => {
    if (q.parentQueue === undefined) {
      return;
    }
    const parent = byName.get(q.parentQueue);
    const builtinParent = ctx.defaultQueues && q.parentQueue === KAI_DEFAULT_PARENT_QUEUE;
    if (!parent && !builtinParent) {
      problems.push({ propertyPath: `queues[${i}].parentQueue`, reason: `no queue named ${JSON.stringify(q.parentQueue)}; define it first` });
    } else if ((parent?.nodePool) !== q.nodePool) {
      problems.push({
        propertyPath: `queues[${i}].nodePool`,
        reason: `must equal the parent queue's node pool (${JSON.stringify(parent?.nodePool ?? null)}), got ${JSON.stringify(q.nodePool ?? null)}`,
      });
    }
    const chain = new Set([q.name]);
    for (let p = parent; p; p = p.parentQueue === undefined ? undefined : byName.get(p.parentQueue)) {
      if (chain.has(p.name)) {
        problems.push({ propertyPath: `queues[${i}].parentQueue`, reason: `queue ${JSON.stringify(q.name)} is its own ancestor; break the cycle` });
        break;
      }
      chain.add(p.name);
    }
  });
  return problems;
}

/** A workload object, as far as the checks here read it. */
interface PodCliqueSetLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly spec?: { template?: { cliques?: { name?: string; labels?: Record<string, string>; spec?: { podSpec?: { schedulerName?: string } } }[] } };
}

/** True for a Grove PodCliqueSet object. */
export function isPodCliqueSet(o: unknown): boolean {
  const x = o as PodCliqueSetLike | null;
  return typeof x === 'object' && x !== null && x.kind === 'PodCliqueSet' && (x.apiVersion ?? '').startsWith('grove.io/');
}

/** The KAI scheduling facts of one PodCliqueSet. */
export interface KaiPlacement {
  /** Whether any clique is scheduled by KAI. */
  readonly usesKai: boolean;
  /** The queue it is charged to, as KAI and Grove resolve it (PodCliqueSet label or annotation, else the cliques' label). */
  readonly queue: string | undefined;
  /** Its `kai.scheduler/node-pool` label. */
  readonly nodePool: string | undefined;
}

/** Reads how KAI will place a PodCliqueSet. */
export function kaiPlacementOf(pcs: unknown): KaiPlacement {
  const p = pcs as PodCliqueSetLike;
  const cliques = p.spec?.template?.cliques ?? [];
  const usesKai = cliques.some(c => c.spec?.podSpec?.schedulerName === KAI_SCHEDULER_NAME);
  const cliqueQueues = [...new Set(cliques.map(c => c.labels?.[KAI_QUEUE_LABEL]).filter((q): q is string => q !== undefined))];
  const queue = p.metadata?.labels?.[KAI_QUEUE_LABEL] ?? p.metadata?.annotations?.[KAI_QUEUE_LABEL]
    ?? (cliqueQueues.length === 1 ? cliqueQueues[0] : undefined);
  return { usesKai, queue, nodePool: p.metadata?.labels?.[KAI_NODE_POOL_LABEL] };
}

/** Where a workload object came from, for messages. */
export function workloadPath(app: string, o: unknown): string {
  const m = (o as PodCliqueSetLike).metadata ?? {};
  return `${app}/${(o as PodCliqueSetLike).kind ?? 'object'}/${m.namespace ? `${m.namespace}/` : ''}${m.name ?? '?'}`;
}

/**
 * Problems that would leave KAI-scheduled PodCliqueSets pending forever: a queue that does not exist or is not
 * a leaf, or a `kai.scheduler/node-pool` label that differs from its queue's node pool (the shard's scheduler
 * would never see the workload).
 */
export function checkWorkloadQueues(
  app: string, objects: readonly unknown[], queues: readonly KaiQueue[], ctx: QueueContext,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const all = allQueues(queues, ctx.defaultQueues);
  const byName = new Map(all.map(q => [q.name, q]));
  const declared = leafQueues(all).map(q => q.name);
  for (const o of objects.filter(isPodCliqueSet)) {
    const kai = kaiPlacementOf(o);
    if (!kai.usesKai) {
      continue;
    }
    const path = workloadPath(app, o);
    const queueName = kai.queue ?? KAI_DEFAULT_QUEUE;
    const queue = byName.get(queueName);
    if (!queue) {
      problems.push({
        constructPath: path,
        field: `metadata.labels["${KAI_QUEUE_LABEL}"]`,
        message: kai.queue === undefined ? 'names no KAI queue and the default queue is not created' : 'names a KAI queue the stack does not create',
        value: kai.queue,
        fix: `add a queue named ${JSON.stringify(queueName)} to the stack config key "queues", or use one of: ${declared.join(', ') || '(none declared)'}`,
      });
      continue;
    }
    if (!declared.includes(queueName)) {
      problems.push({
        constructPath: path,
        field: `metadata.labels["${KAI_QUEUE_LABEL}"]`,
        message: 'names a parent queue; only leaf queues accept workloads',
        value: queueName,
        fix: `use a leaf queue: ${declared.join(', ')}`,
      });
    }
    if (queue.nodePool !== kai.nodePool) {
      problems.push({
        constructPath: path,
        field: `metadata.labels["${KAI_NODE_POOL_LABEL}"]`,
        message: queue.nodePool === undefined
          ? `must be absent: queue ${JSON.stringify(queueName)} belongs to the default KAI shard`
          : `must be ${JSON.stringify(queue.nodePool)}, the node pool of queue ${JSON.stringify(queueName)}, or KAI's ${JSON.stringify(queue.nodePool)} shard never schedules it`,
        value: kai.nodePool,
        fix: queue.nodePool === undefined
          ? `remove the label, or use a queue whose nodePool is ${JSON.stringify(kai.nodePool)}`
          : `label the PodCliqueSet ${KAI_NODE_POOL_LABEL}=${queue.nodePool}`,
      });
    }
  }
  return problems;
}

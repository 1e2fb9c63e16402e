/** The KAI scheduler's name. */
export const KAI_SCHEDULER = 'kai-scheduler';
/** The label (on the PodCliqueSet and on pods) that names a KAI queue. */
export const KAI_QUEUE_LABEL = 'kai.scheduler/queue';
/** The label that confines a workload to one KAI node pool (a KAI scheduling shard). */
export const KAI_NODE_POOL_LABEL = 'kai.scheduler/node-pool';
/** The annotation that names a Volcano queue. */
export const VOLCANO_QUEUE_ANNOTATION = 'scheduling.grove.io/volcano-queue';

/** Options for scheduling with KAI. */
export interface KaiSchedulerOptions {
  /** The KAI queue the workload is charged to (a `scheduling.run.ai/v2 Queue` that must exist). */
  readonly queue: string;
  /**
   * The KAI node pool (scheduling shard) the workload belongs to: the `kai.scheduler/node-pool` label, set like
   * the queue on the PodCliqueSet and every clique.
   * @default - KAI's default shard (nodes without a node-pool label)
   */
  readonly nodePool?: string;
}

/**
 * Which gang scheduler places the pods of a PodCliqueSet. Grove requires every clique of a set to use the
 * same one; set it once on the PodCliqueSet.
 */
export class Scheduler {
  /**
   * The KAI scheduler, in a queue. Sets `schedulerName: kai-scheduler` on every clique and the
   * `kai.scheduler/queue` label on the PodCliqueSet and on every clique, so it works both with Grove's
   * PodGroup-based KAI integration (queue read from the PodCliqueSet) and with KAI's own pod-grouper
   * (queue read from pod labels).
   */
  public static kai(options: KaiSchedulerOptions): Scheduler {
    const labels = { [KAI_QUEUE_LABEL]: options.queue, ...(options.nodePool === undefined ? {} : { [KAI_NODE_POOL_LABEL]: options.nodePool }) };
    return new Scheduler(KAI_SCHEDULER, labels, {}, options.queue);
  }

  /** Volcano, in a queue (the `scheduling.grove.io/volcano-queue` annotation). */
  public static volcano(options: { readonly queue?: string } = {}): Scheduler {
    return new Scheduler('volcano', {}, options.queue ? { [VOLCANO_QUEUE_ANNOTATION]: options.queue } : {}, options.queue);
  }

  /**
   * The Grove operator's default profile (`schedulerName` left empty). With a stock install that is the
   * Kubernetes default scheduler, which does not gang-schedule.
   */
  public static operatorDefault(): Scheduler {
    return new Scheduler(undefined, {}, {}, undefined);
  }

  /** Any scheduler profile enabled in the Grove operator, by name. */
  public static named(schedulerName: string): Scheduler {
    return new Scheduler(schedulerName, {}, {}, undefined);
  }

  private constructor(
    /** The `podSpec.schedulerName` of every clique; undefined means the operator's default profile. */
    public readonly schedulerName: string | undefined,
    /** Labels put on the PodCliqueSet and on every clique. */
    public readonly labels: { readonly [key: string]: string },
    /** Annotations put on the PodCliqueSet. */
    public readonly annotations: { readonly [key: string]: string },
    /** The queue, when the scheduler has one. */
    public readonly queue: string | undefined,
  ) {}
}

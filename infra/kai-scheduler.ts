import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KaiQueue, renderQueue, sortQueues, validateQueues } from './kai-queue';
import { ArgProblem, integerProblems, isDnsLabel, throwIfArgProblems } from './private/args';
import { JsonObject, mergeValues, namespace, pinnedRelease } from './private/helm';
import { KAI_SCHEDULER } from './versions';

const TYPE = 'cdk8s-grove:infra:KaiScheduler';

/** Arguments of `KaiScheduler`. */
export interface KaiSchedulerArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespace of the scheduler (do not run workloads in it).
   * @default 'kai-scheduler'
   */
  readonly namespace?: string;
  /**
   * The queues workloads are charged to. Parents are created before their children.
   * @default - none beyond KAI's own `default-parent-queue` / `default-queue`
   */
  readonly queues?: KaiQueue[];
  /**
   * KAI node pools: one SchedulingShard (a dedicated scheduler) per value, for the nodes, queues and workloads
   * labelled `kai.scheduler/node-pool=<value>`. Give every GPU pool's `kaiNodePool` here.
   * @default - none: only the default shard, which schedules unlabelled nodes
   */
  readonly nodePools?: string[];
  /**
   * Let KAI cooperate with the cluster autoscaler (its node-scale-adjuster makes pending gangs visible to it).
   * @default false
   */
  readonly clusterAutoscaling?: boolean;
  /**
   * The scheduler's `default-staleness-grace-period`: how long a gang that lost members may run before KAI
   * evicts it. Negative disables KAI's own eviction, so Grove's gang termination (`terminationDelay`) decides.
   * @default '-1s'
   */
  readonly stalenessGracePeriod?: string;
  /**
   * Let the chart create `default-parent-queue` and `default-queue` on install.
   * @default true
   */
  readonly defaultQueues?: boolean;
  /**
   * More chart values, merged over the ones this component sets.
   * @default - none
   */
  readonly values?: JsonObject;
  /**
   * How long Helm waits for the release to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * How long the readiness gate waits for the KAI operator to report its Config `Available` (queue controller,
   * admission and scheduler Deployments available, their webhooks registered).
   * @default 600
   */
  readonly readyTimeoutSeconds?: number;
  /**
   * Pass the chart values as a secret output (set it when they come from a secret config key).
   * @default false
   */
  readonly secretValues?: boolean;
}

/** Name of the cluster-scoped KAI `Config` the chart's config deployer applies and the KAI operator reconciles. */
export const KAI_CONFIG_NAME = 'kai-config';

/**
 * The readiness gate of KAI's custom resources: a server-side-apply patch of the `Config` that only sets
 * Pulumi's await annotations, so Pulumi waits until the operator reports the condition `Available`.
 *
 * Why: the Helm release returns once the operator's own Deployment is ready, but the operator creates the queue
 * controller, the admission service and their fail-closed validating webhooks (`kai-queue-validation-v2`, ...)
 * only afterwards (NVIDIA/KAI-Scheduler pkg/operator/controller/config_controller.go). The Config's `Available`
 * condition is true once every operand's Deployments are available (pkg/operator/controller/status_reconciler/
 * status_reconciler.go, getAvailableCondition; pkg/operator/operands/queue_controller/queue_controller.go,
 * IsAvailable). The Config exists when the release returns: the chart applies it from a pre-install hook
 * (deployments/kai-scheduler/templates/kai-config.yaml). pulumi-kubernetes awaits `pulumi.com/waitFor` on patch
 * resources like on any other (provider/pkg/metadata/overrides.go, ReadyCondition).
 */
export function renderKaiReadinessPatch(timeoutSeconds: number): JsonObject {
  return {
    apiVersion: 'kai.scheduler/v1',
    kind: 'Config',
    metadata: {
      name: KAI_CONFIG_NAME,
      annotations: {
        'pulumi.com/waitFor': 'condition=Available',
        'pulumi.com/timeoutSeconds': String(timeoutSeconds),
      },
    },
  };
}

/** The scheduler flags every shard runs with. */
function schedulerArgs(args: Omit<KaiSchedulerArgs, 'provider'>): Record<string, string> {
  return { 'default-staleness-grace-period': args.stalenessGracePeriod ?? '-1s' };
}

/** The chart values `KaiScheduler` installs with. */
export function kaiSchedulerValues(args: Omit<KaiSchedulerArgs, 'provider'>): JsonObject {
  return mergeValues({
    global: { clusterAutoscaling: args.clusterAutoscaling ?? false },
    scheduler: { args: schedulerArgs(args) },
    defaultQueue: { createDefaultQueue: args.defaultQueues ?? true },
  }, args.values);
}

/** The SchedulingShard object for one KAI node pool. */
export function renderSchedulingShard(nodePool: string, args: Omit<KaiSchedulerArgs, 'provider'>): JsonObject {
  return {
    apiVersion: 'kai.scheduler/v1',
    kind: 'SchedulingShard',
    metadata: { name: nodePool },
    spec: {
      partitionLabelValue: nodePool,
      args: schedulerArgs(args),
      placementStrategy: { gpu: 'binpack', cpu: 'binpack' },
    },
  };
}

/** Every problem with `KaiSchedulerArgs`. */
export function validateKaiSchedulerArgs(args: Omit<KaiSchedulerArgs, 'provider'>): ArgProblem[] {
  const nodePools = args.nodePools ?? [];
  const problems: ArgProblem[] = [];
  nodePools.forEach((p, i) => {
    if (!isDnsLabel(p) || p === 'default') {
      problems.push({ propertyPath: `nodePools[${i}]`, reason: `must be a DNS-1123 label other than "default" (KAI's own shard), got ${JSON.stringify(p)}` });
    }
    if (nodePools.indexOf(p) !== i) {
      problems.push({ propertyPath: `nodePools[${i}]`, reason: `${JSON.stringify(p)} is listed twice` });
    }
  });
  if (!/^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(args.stalenessGracePeriod ?? '-1s')) {
    problems.push({ propertyPath: 'stalenessGracePeriod', reason: `must be a Go duration such as "-1s" or "60s", got ${JSON.stringify(args.stalenessGracePeriod)}` });
  }
  if (!isDnsLabel(args.namespace ?? 'kai-scheduler')) {
    problems.push({ propertyPath: 'namespace', reason: `must be a DNS-1123 label, got ${JSON.stringify(args.namespace)}` });
  }
  problems.push(...integerProblems('timeoutSeconds', args.timeoutSeconds, 60));
  problems.push(...integerProblems('readyTimeoutSeconds', args.readyTimeoutSeconds, 60));
  problems.push(...validateQueues(args.queues ?? [], { nodePools, defaultQueues: args.defaultQueues ?? true }));
  return problems;
}

/**
 * The KAI scheduler: a Helm release at the version pinned in `versions.ts` (a real Helm release, because the
 * chart applies its configuration from a post-install hook), one SchedulingShard per KAI node pool, and the
 * queues the workloads use, created once the CRDs exist.
 */
export class KaiScheduler extends pulumi.ComponentResource {
  /** The namespace of the scheduler. */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The Helm release. */
  public readonly release: k8s.helm.v3.Release;
  /** What every KAI custom resource (SchedulingShard, Queue) depends on: see `renderKaiReadinessPatch`. */
  public readonly readinessGate: k8s.apiextensions.CustomResourcePatch;
  /** SchedulingShards by node pool. */
  public readonly shards: Readonly<Record<string, k8s.apiextensions.CustomResource>>;
  /** Queues by name. */
  public readonly queues: Readonly<Record<string, k8s.apiextensions.CustomResource>>;

  constructor(name: string, args: KaiSchedulerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    throwIfArgProblems('KaiScheduler', name, validateKaiSchedulerArgs(args));
    const childOpts = { parent: this, provider: args.provider };

    this.namespace = namespace(`${name}-ns`, args.namespace ?? 'kai-scheduler', false, childOpts);
    this.release = pinnedRelease(`${name}-release`, {
      pin: KAI_SCHEDULER,
      releaseName: 'kai-scheduler',
      namespace: this.namespace.metadata.name,
      values: kaiSchedulerValues(args),
      timeoutSeconds: args.timeoutSeconds ?? 600,
      secretValues: args.secretValues,
    }, childOpts);
    this.readinessGate = new k8s.apiextensions.CustomResourcePatch(`${name}-ready`,
      renderKaiReadinessPatch(args.readyTimeoutSeconds ?? 600) as k8s.apiextensions.CustomResourcePatchArgs,
      { ...childOpts, dependsOn: [this.release] });

    const shards: Record<string, k8s.apiextensions.CustomResource> = {};
    for (const pool of args.nodePools ?? []) {
      shards[pool] = new k8s.apiextensions.CustomResource(`${name}-shard-${pool}`,
        renderSchedulingShard(pool, args) as k8s.apiextensions.CustomResourceArgs,
        { ...childOpts, dependsOn: [this.readinessGate] });
    }
    this.shards = shards;

    const queues: Record<string, k8s.apiextensions.CustomResource> = {};
    for (const q of sortQueues(args.queues ?? [])) {
      const parent = q.parentQueue === undefined ? undefined : queues[q.parentQueue];
      const shard = q.nodePool === undefined ? undefined : shards[q.nodePool];
      queues[q.name] = new k8s.apiextensions.CustomResource(`${name}-queue-${q.name}`,
        renderQueue(q) as k8s.apiextensions.CustomResourceArgs,
        { ...childOpts, dependsOn: [this.readinessGate, ...(parent ? [parent] : []), ...(shard ? [shard] : [])] });
    }
    this.queues = queues;

    this.registerOutputs({ status: this.release.status });
  }
}

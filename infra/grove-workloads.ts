import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as cdk8s from 'cdk8s';
import { JsonObject } from './private/helm';

const TYPE = 'cdk8s-grove:infra:GroveWorkloads';

/** Namespaces that always exist and are never created for workloads. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

const synthesized = new WeakMap<cdk8s.App, readonly JsonObject[]>();

/**
 * The Kubernetes objects of a cdk8s app, in memory, in dependency order (no files are written). cdk8s
 * validates the whole construct tree first, so invalid Grove objects fail here. Synthesizes each app once.
 */
export function synthObjects(app: cdk8s.App): readonly JsonObject[] {
  let objects = synthesized.get(app);
  if (!objects) {
    objects = app.charts.flatMap(c => c.toJson() as JsonObject[]);
    synthesized.set(app, objects);
  }
  return objects;
}

/** Namespace objects for the namespaces `objects` use but do not define themselves (built-in ones excepted). */
export function missingNamespaces(objects: readonly JsonObject[]): JsonObject[] {
  const meta = (o: JsonObject) => (o.metadata ?? {}) as { name?: string; namespace?: string };
  const defined = new Set(objects.filter(o => o.kind === 'Namespace' && o.apiVersion === 'v1').map(o => meta(o).name));
  const used = [...new Set(objects.map(o => meta(o).namespace).filter((n): n is string => n !== undefined))];
  return used
    .filter(n => !defined.has(n) && !BUILTIN_NAMESPACES.has(n))
    .sort()
    .map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/** The default of `GroveWorkloadsArgs.readyTimeoutSeconds`: model download and engine start of a large model. */
export const DEFAULT_WORKLOAD_READY_TIMEOUT_SECONDS = 3600;

/**
 * A PodCliqueSet that Pulumi awaits on Grove's own status: `status.availableReplicas` (a replica is available
 * when all its standalone cliques and scaling groups have at least `minAvailable` ready pods; grove.io_podcliquesets
 * CRD, `status.availableReplicas`) reaching `spec.replicas`, through pulumi-kubernetes' `pulumi.com/waitFor`
 * (provider/pkg/metadata/overrides.go). Other objects, and PodCliqueSets of zero replicas, are returned unchanged.
 */
export function awaitedPodCliqueSet(obj: JsonObject, timeoutSeconds: number): JsonObject {
  if (obj.kind !== 'PodCliqueSet' || typeof obj.apiVersion !== 'string' || !obj.apiVersion.startsWith('grove.io/')) {
    return obj;
  }
  const replicas = ((obj.spec ?? {}) as { replicas?: number }).replicas ?? 1;
  if (replicas === 0) {
    return obj;
  }
  const metadata = (obj.metadata ?? {}) as JsonObject & { annotations?: Record<string, string> };
  return {
    ...obj,
    metadata: {
      ...metadata,
      annotations: {
        ...metadata.annotations,
        'pulumi.com/waitFor': `jsonpath={.status.availableReplicas}=${replicas}`,
        'pulumi.com/timeoutSeconds': String(timeoutSeconds),
      },
    },
  };
}

/** Arguments of `GroveWorkloads`. */
export interface GroveWorkloadsArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * The cdk8s app whose charts are applied. It is synthesized in memory (once per app) when the component is
   * created: add every chart before.
   */
  readonly app: cdk8s.App;
  /**
   * Create the namespaces the objects use but the app does not define. Turn it off when several apps share a
   * namespace, and create the namespace once for all of them (as the program does): each app's copy would fail to
   * create after the first, and removing one app would delete the namespace under the others.
   * @default true
   */
  readonly createNamespaces?: boolean;
  /**
   * Do not wait for the objects to become ready.
   * @default false
   */
  readonly skipAwait?: boolean;
  /**
   * How long `pulumi up` waits for each PodCliqueSet to have all its replicas available (Grove's status).
   * @default 3600
   */
  readonly readyTimeoutSeconds?: number;
  /**
   * Resolves when the update is safe to apply (the program's update-safety check); the objects are applied
   * only then.
   * @default - applied without waiting
   */
  readonly safeToApply?: pulumi.Output<unknown>;
}

/**
 * Applies a cdk8s app (PodCliqueSets and whatever else its charts hold) to a cluster as one `ConfigGroup`.
 * Give it `dependsOn` on the operators (at least `GroveOperator` and `KaiScheduler`), so the CRDs, the Grove
 * webhooks and the KAI queues exist before the first PodCliqueSet is applied.
 */
export class GroveWorkloads extends pulumi.ComponentResource {
  /** The objects applied, in order. */
  public readonly objects: readonly JsonObject[];
  /** The ConfigGroup holding them. */
  public readonly configGroup: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, args: GroveWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const objects = synthObjects(args.app);
    const timeout = args.readyTimeoutSeconds ?? DEFAULT_WORKLOAD_READY_TIMEOUT_SECONDS;
    this.objects = [...(args.createNamespaces ?? true ? missingNamespaces(objects) : []), ...objects]
      .map(o => (args.skipAwait ?? false) ? o : awaitedPodCliqueSet(o, timeout));
    const objs = [...this.objects];
    this.configGroup = new k8s.yaml.v2.ConfigGroup(`${name}-objects`, {
      objs: args.safeToApply === undefined ? objs : args.safeToApply.apply(() => objs),
      skipAwait: args.skipAwait ?? false,
    }, { parent: this, provider: args.provider });

    this.registerOutputs({});
  }
}

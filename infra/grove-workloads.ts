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
    this.objects = [...(args.createNamespaces ?? true ? missingNamespaces(objects) : []), ...objects];
    this.configGroup = new k8s.yaml.v2.ConfigGroup(`${name}-objects`, {
      objs: [...this.objects],
      skipAwait: args.skipAwait ?? false,
    }, { parent: this, provider: args.provider });

    this.registerOutputs({});
  }
}

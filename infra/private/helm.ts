import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ChartPin } from '../versions';

/** A plain JSON object (Helm values, Kubernetes object fragments). */
export type JsonObject = { [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges `override` into `base` the way Helm merges values files: objects merge key by key, everything else
 * (arrays included) is replaced. Neither argument is modified.
 */
export function mergeValues(base: JsonObject, override: JsonObject | undefined): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** The Pod Security Admission labels for namespaces whose pods need host access (drivers, device plugins). */
export const PRIVILEGED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'privileged',
};

/** A Namespace with a fixed name (no auto-naming suffix), optionally labelled privileged. */
export function namespace(
  resourceName: string, name: string, privileged: boolean, opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(resourceName, {
    metadata: { name, labels: privileged ? { ...PRIVILEGED_NAMESPACE_LABELS } : undefined },
  }, opts);
}

/** Common arguments of a pinned Helm release installed with `helm.v3.Release`. */
export interface PinnedReleaseArgs {
  readonly pin: ChartPin;
  readonly releaseName: string;
  readonly namespace: pulumi.Input<string>;
  readonly values: JsonObject;
  readonly timeoutSeconds: number;
  /** Pass the values as a secret output (they come from a secret config key). */
  readonly secretValues?: boolean;
}

/** Chart values as given, or as a secret output when they hold secrets. */
export function chartValues(values: JsonObject, secret: boolean | undefined): pulumi.Input<JsonObject> {
  return secret ? pulumi.secret(values) as pulumi.Input<JsonObject> : values;
}

/**
 * A `helm.v3.Release` of a pinned chart. Used for charts with Helm hooks (GPU Operator, Network Operator,
 * KAI), which `helm.v4.Chart` would skip. Waits for readiness; never reuses values from the last release.
 */
export function pinnedRelease(resourceName: string, a: PinnedReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(resourceName, {
    name: a.releaseName,
    chart: a.pin.chart,
    version: a.pin.version,
    repositoryOpts: a.pin.repo === undefined ? undefined : { repo: a.pin.repo },
    namespace: a.namespace,
    createNamespace: false,
    values: chartValues(a.values, a.secretValues),
    timeout: a.timeoutSeconds,
    skipAwait: false,
    reuseValues: false,
  }, opts);
}

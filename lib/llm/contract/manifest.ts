/**
 * A view of any Kubernetes manifest set (construct output, hand-written YAML, the Dynamo operator's own output) as
 * the Dynamo components the contract checks look at: the pods of PodCliqueSet cliques, Services, and the objects
 * pods reference. Pure and plain-JSON; `cdk8s-grove lint` and the tests both use it.
 */
import { DynamoLabel } from './contract';

/** Plain JSON object. */
export type Json = Record<string, any>;

/** One PodCliqueSet clique seen as a Dynamo component pod. */
export interface ComponentPod<S> {
  /** Where it came from (a lint source object, or an index). */
  readonly src: S;
  /** Field path of the clique in its object, e.g. `spec.template.cliques[1]`. */
  readonly at: string;
  /** Clique name. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podSpec: Json;
  /** The clique's own autoscaler, or its scaling group's (with the path of that field). */
  readonly autoScaling?: { readonly at: string; readonly config: Json };
  /** Pods of the clique (`spec.replicas`, 1 when unset). */
  readonly replicas: number;
  /** Pods of the clique across the PodCliqueSet: times the scaling group's and the PodCliqueSet's replicas. */
  readonly totalPods: number;
  /** GPUs the pod requests (`nvidia.com/gpu`, summed over containers). */
  readonly gpus: number;
  /** `nvidia.com/dynamo-component-type`, or '' when the pod is no Dynamo component. */
  readonly componentType: string;
  /** `nvidia.com/dynamo-namespace`, or ''. */
  readonly dynamoNamespace: string;
  /** The first container (the operator's `main`). */
  readonly main: Json;
  /** The main container's command and args as whitespace-separated tokens (shell lines split too). */
  readonly tokens: readonly string[];
  /** The main container's env as name → literal value ('' for `valueFrom`). */
  readonly env: Readonly<Record<string, string>>;
}

/** A Service of the input. */
export interface ServiceView<S> {
  readonly src: S;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}

const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 1);
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter(([, x]) => typeof x === 'string')) as Record<string, string>;

/** The namespace of an object, `default` when it names none. */
export function namespaceOf(obj: Json, fallback = 'default'): string {
  const ns = rec(obj.metadata).namespace;
  return typeof ns === 'string' && ns !== '' ? ns : fallback;
}

function gpusOf(podSpec: Json): number {
  let total = 0;
  for (const c of arr(podSpec.containers)) {
    const r = rec(rec(c).resources);
    const v = rec(r.limits)['nvidia.com/gpu'] ?? rec(r.requests)['nvidia.com/gpu'];
    const n = Number(v);
    if (Number.isFinite(n)) total += n;
  }
  return total;
}

/** The command and args of a container as tokens; shell lines (`sh -c "..."`) split on whitespace. */
export function containerTokens(container: Json): string[] {
  return [...arr(container.command), ...arr(container.args)].filter((t): t is string => typeof t === 'string')
    .flatMap(t => t.split(/\s+/)).filter(t => t !== '');
}

function envOf(container: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of arr(container.env)) {
    const env = rec(e);
    if (typeof env.name === 'string') out[env.name] = typeof env.value === 'string' ? env.value : '';
  }
  return out;
}

/** Every clique of every `grove.io` PodCliqueSet, as component pods. */
export function componentPods<S>(objects: readonly { readonly src: S; readonly object: Json }[]): ComponentPod<S>[] {
  const out: ComponentPod<S>[] = [];
  for (const { src, object } of objects) {
    if (object.kind !== 'PodCliqueSet') continue;
    const template = rec(rec(object.spec).template);
    const groups = arr(template.podCliqueScalingGroups).map(g => rec(g));
    arr(template.cliques).forEach((c, i) => {
      const clique = rec(c);
      const spec = rec(clique.spec);
      const podSpec = rec(spec.podSpec);
      const name = typeof clique.name === 'string' ? clique.name : '';
      const labels = strings(clique.labels);
      const main = rec(arr(podSpec.containers)[0]);
      const gi = groups.findIndex(g => arr(g.cliqueNames).includes(name));
      const autoScaling = spec.autoScalingConfig !== undefined
        ? { at: `spec.template.cliques[${i}].spec.autoScalingConfig`, config: rec(spec.autoScalingConfig) }
        : gi >= 0 && groups[gi].scaleConfig !== undefined
          ? { at: `spec.template.podCliqueScalingGroups[${gi}].scaleConfig`, config: rec(groups[gi].scaleConfig) }
          : undefined;
      out.push({
        src, at: `spec.template.cliques[${i}]`, name, namespace: namespaceOf(object),
        labels, annotations: strings(clique.annotations), podSpec, autoScaling, gpus: gpusOf(podSpec),
        replicas: num(spec.replicas),
        totalPods: num(spec.replicas) * (gi >= 0 ? num(groups[gi].replicas) : 1) * num(rec(object.spec).replicas),
        componentType: labels['nvidia.com/dynamo-component-type'] ?? '', dynamoNamespace: labels['nvidia.com/dynamo-namespace'] ?? '',
        main, tokens: containerTokens(main), env: envOf(main),
      });
    });
  }
  return out;
}

/** Every v1 Service of the input. */
export function serviceViews<S>(objects: readonly { readonly src: S; readonly object: Json }[]): ServiceView<S>[] {
  return objects.filter(o => o.object.kind === 'Service' && (o.object.apiVersion === 'v1' || o.object.apiVersion === undefined)).map(o => ({
    src: o.src, name: String(rec(o.object.metadata).name ?? ''), namespace: namespaceOf(o.object),
    labels: strings(rec(o.object.metadata).labels), selector: strings(rec(o.object.spec).selector),
  }));
}

/** The value following `flag` in tokens (`--flag v` or `--flag=v`). */
export function flagValue(tokens: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === flag) return tokens[i + 1];
    if (tokens[i].startsWith(`${flag}=`)) return tokens[i].slice(flag.length + 1);
  }
  return undefined;
}

/** The engine a worker runs, from its command (`python3 -m dynamo.<engine>`, `trtllm-llmapi-launch`). */
export function engineOf(tokens: readonly string[]): 'vllm' | 'sglang' | 'trtllm' | undefined {
  const line = tokens.join(' ');
  if (/dynamo\.vllm\b/.test(line)) return 'vllm';
  if (/dynamo\.sglang\b/.test(line)) return 'sglang';
  if (/dynamo\.trtllm\b/.test(line)) return 'trtllm';
  return undefined;
}

/**
 * Whether a pod is a Dynamo component: it carries the operator's component labels or the runtime's environment
 * (`DYN_NAMESPACE`, `DYN_COMPONENT`, `DYN_DISCOVERY_BACKEND`), as the operator's output and the constructs' do.
 */
export function isDynamoComponent(pod: ComponentPod<unknown>): boolean {
  return pod.componentType !== '' || pod.dynamoNamespace !== ''
    || ['DYN_NAMESPACE', 'DYN_COMPONENT', 'DYN_DISCOVERY_BACKEND'].some(n => pod.env[n] !== undefined);
}

/** Whether a pod uses Kubernetes discovery (env, or labels as the operator sets them). */
export function usesKubernetesDiscovery(pod: ComponentPod<unknown>): boolean {
  return pod.env.DYN_DISCOVERY_BACKEND === 'kubernetes' || pod.labels[DynamoLabel.DISCOVERY_BACKEND] === 'kubernetes';
}


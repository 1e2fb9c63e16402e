/**
 * The filters kube-scheduler and KAI apply to one pod on one node, and the scheduler's own kind of message.
 *
 * Order and wording follow kube-scheduler's default filter plugins (kubernetes
 * `pkg/scheduler/apis/config/v1/default_plugins.go`: TaintToleration, NodeAffinity, NodeResourcesFit in that
 * order; a node is rejected by the first filter that fails):
 * - TaintToleration (`pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go`): the first NoSchedule or
 *   NoExecute taint no toleration tolerates, `node(s) had untolerated taint {<key>: <value>}`;
 * - NodeAffinity (`plugins/nodeaffinity/node_affinity.go`): `nodeSelector` and required node affinity,
 *   `node(s) didn't match Pod's node affinity/selector`;
 * - NodeResourcesFit (`plugins/noderesources/fit.go`): `Insufficient <resource>` for every resource the node lacks,
 *   `Too many pods` for the pod count. A standard resource (cpu, memory, ephemeral-storage) the model does not give
 *   a node is not checked; an extended resource it does not list is 0 there.
 * KAI's shard filter comes before all of them: a shard's scheduler never sees nodes of another shard
 * (NVIDIA/KAI-Scheduler `pkg/scheduler/conf/scheduler_conf.go`), reported here as
 * `node(s) didn't match the KAI node pool <value>` (or `the KAI default node pool`).
 * The summary is kube-scheduler's FitError: `0/<n> nodes are available: <count> <reason>, ...` with the reasons
 * sorted (`pkg/scheduler/framework/types.go`).
 */
import { CPU, EPHEMERAL_STORAGE, MEMORY, ModelNode, PODS, Taint } from './model';
import { NodeSelectorRequirement, NodeSelectorTerm, SimPod, Toleration } from './workload';

const STANDARD = new Set([CPU, MEMORY, EPHEMERAL_STORAGE]);

/** Whether a toleration tolerates a taint (k8s.io/api `core/v1/toleration.go` `ToleratesTaint`). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint that repels the pod. */
export function untoleratedTaint(pod: Pick<SimPod, 'tolerations'>, node: Pick<ModelNode, 'taints'>): Taint | undefined {
  return node.taints.find(taint => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !pod.tolerations.some(t => tolerates(t, taint)));
}

function matchRequirement(r: NodeSelectorRequirement, get: (k: string) => string | undefined): boolean {
  const v = get(r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return v !== undefined && values.includes(v);
    case 'NotIn': return v === undefined || !values.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && values.length === 1 && Number(v) > Number(values[0]);
    case 'Lt': return v !== undefined && values.length === 1 && Number(v) < Number(values[0]);
    default: return false;
  }
}

/** nodeSelector and required node affinity (terms ORed, requirements ANDed; an empty term matches nothing). */
export function matchesNodeAffinity(pod: Pick<SimPod, 'nodeSelector' | 'affinity'>, node: Pick<ModelNode, 'labels' | 'name'>): boolean {
  for (const [k, v] of Object.entries(pod.nodeSelector)) {
    if (node.labels[k] !== v) return false;
  }
  if (pod.affinity.length === 0) return true;
  return pod.affinity.some((term: NodeSelectorTerm) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (exprs.length + fields.length === 0) return false;
    return exprs.every(r => matchRequirement(r, k => node.labels[k]))
      && fields.every(r => matchRequirement(r, k => (k === 'metadata.name' ? node.name : undefined)));
  });
}

/** Whether a node belongs to a KAI shard (null: the default shard, nodes without the label). */
export function inShard(node: Pick<ModelNode, 'labels'>, shard: string | null, labelKey: string): boolean {
  const v = node.labels[labelKey];
  return shard === null ? v === undefined || v === '' : v === shard;
}

/** The resources a node lacks for a pod, given what is free. */
export function insufficient(pod: Pick<SimPod, 'requests'>, node: Pick<ModelNode, 'allocatable'>, free: Readonly<Record<string, number>>): string[] {
  const out: string[] = [];
  for (const [name, amount] of Object.entries(pod.requests)) {
    if (amount <= 0) continue;
    if (node.allocatable[name] === undefined && STANDARD.has(name)) continue;
    if ((free[name] ?? 0) + 1e-9 < amount) out.push(name === PODS ? 'Too many pods' : `Insufficient ${name}`);
  }
  return out.sort();
}

/** Why a node rejects a pod (empty when it fits). */
export function nodeReasons(pod: SimPod, node: ModelNode, free: Readonly<Record<string, number>>,
  shard: { readonly value: string | null; readonly labelKey: string } | undefined): string[] {
  if (shard !== undefined && !inShard(node, shard.value, shard.labelKey)) {
    return [shard.value === null ? "node(s) didn't match the KAI default node pool" : `node(s) didn't match the KAI node pool ${shard.value}`];
  }
  const taint = untoleratedTaint(pod, node);
  if (taint !== undefined) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  if (!matchesNodeAffinity(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  return insufficient(pod, node, free);
}

/** `0/5 nodes are available: 2 <reason>, 3 <reason>.` from the reasons per node. */
export function fitError(total: number, perNode: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const reasons of perNode) {
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const parts = [...counts.entries()].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available${parts.length === 0 ? '' : `: ${parts.join(', ')}`}.`;
}

/**
 * What the scheduler sees of a PodCliqueSet: the PodGangs Grove creates (structure from `lib/catalog/gangs.ts`),
 * each pod with its scheduling requirements (requests, node selector, required node affinity, tolerations), the
 * pack constraints as a tree of units, and the KAI shard that judges the gang.
 *
 * A gang is one KAI PodGroup: Grove's KAI backend builds one PodGroup per PodGang, named after it, with the
 * PodGang's labels (ai-dynamo/grove `operator/internal/scheduler/kai/backend.go` `buildPodGroupForPodGang`); KAI's
 * own pod-grouper copies the top owner's labels and then the pod's `kai.scheduler/node-pool` label onto the
 * PodGroup (NVIDIA/KAI-Scheduler `pkg/podgrouper/podgrouper/plugins/grove/grove_grouper.go`,
 * `pkg/podgrouper/pod_controller.go` `addNodePoolLabel`). Each shard's scheduler sees only the nodes whose label
 * equals its value; the default shard only those without it (`pkg/scheduler/conf/scheduler_conf.go`
 * `GetLabelSelector`). So every pod of a gang, CPU-only or not, must fit the nodes of the gang's one shard.
 */
import { PodGang, parseQuantity, podCliqueSetGangs, PodCliqueSetGangs } from '../catalog';
import { readPcs, requiredDomain, PcsInfo } from '../cli/pcs-model';
import { KAI_NODE_POOL_LABEL_KEY, PODS } from './model';

/** A node selector requirement (core/v1). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** A node selector term: its requirements are ANDed. */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** A toleration (core/v1). */
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** One pod as the scheduler sees it. */
export interface SimPod {
  /** `<podclique>-<k>`. */
  readonly name: string;
  readonly gang: string;
  readonly podClique: string;
  /** Clique template name (the role). */
  readonly clique: string;
  /** Effective requests, `pods: 1` included. */
  readonly requests: Readonly<Record<string, number>>;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Required node affinity terms (ORed); empty when none. */
  readonly affinity: readonly NodeSelectorTerm[];
  readonly tolerations: readonly Toleration[];
}

/** Pods placed together, optionally inside one pack domain. */
export interface SimUnit {
  readonly id: string;
  /** For messages: `clique frontend`, `scaling group dec replica 0`. */
  readonly label: string;
  /**
   * `pack.required` domain.
   * @default - none
   */
  readonly domain?: string;
  readonly pods: readonly SimPod[];
  readonly children: readonly SimUnit[];
}

/** A PodGang with its pods' requirements. */
export interface SimGang {
  readonly name: string;
  readonly kind: 'base' | 'scaled';
  readonly podCliqueSet: string;
  /**
   * The base gang that must be placed first.
   * @default - none (base gangs)
   */
  readonly baseGang?: string;
  /**
   * The KAI shard (node-pool label value; null for the default shard); undefined when KAI does not schedule it.
   * @default - not KAI
   */
  readonly shard?: string | null;
  readonly root: SimUnit;
  readonly pods: readonly SimPod[];
}

/** A PodCliqueSet read for placement. */
export interface SimWorkload {
  readonly name: string;
  readonly gangs: PodCliqueSetGangs;
  /** Gangs at the template's replica counts. */
  readonly template: readonly SimGang[];
  /** Gangs at the autoscalers' maximum. */
  readonly maximum: readonly SimGang[];
}

/**
 * Reads a PodCliqueSet (plain object).
 *
 * @throws GroveValidationError when the gangs cannot be computed (see `podCliqueSetGangs`)
 */
export function readWorkload(pcs: unknown, options: { kaiNodePoolLabelKey?: string } = {}): SimWorkload {
  const gangs = podCliqueSetGangs(pcs);
  const obj = pcs as Record<string, any>;
  const info = readPcs(obj);
  const key = options.kaiNodePoolLabelKey ?? KAI_NODE_POOL_LABEL_KEY;
  const rawCliques: any[] = Array.isArray(obj.spec?.template?.cliques) ? obj.spec.template.cliques : [];
  const podOf = new Map(rawCliques.map(c => [c?.name as string, readPodSpec(c?.spec?.podSpec)]));
  const convert = (g: PodGang): SimGang => {
    const pods: SimPod[] = g.pods.map(p => ({ name: p.name, gang: g.name, podClique: p.podClique, clique: p.clique, ...(podOf.get(p.clique) as PodReqs) }));
    const shard = gangShard(obj, g.pods.map(p => p.clique), key);
    return {
      name: g.name,
      kind: g.kind,
      podCliqueSet: g.podCliqueSet,
      ...(g.baseGang === undefined ? {} : { baseGang: g.baseGang }),
      ...(shard === undefined ? {} : { shard }),
      root: gangUnit(info, gangs, g, pods),
      pods,
    };
  };
  return { name: gangs.name, gangs, template: gangs.gangs.map(convert), maximum: gangs.maxGangs.map(convert) };
}

type PodReqs = Pick<SimPod, 'requests' | 'nodeSelector' | 'affinity' | 'tolerations'>;

/**
 * The KAI shard of a gang of `pcs` made of pods of `cliques` (clique template names): the PodCliqueSet's node-pool
 * label, else the first such clique label; null for the default shard; undefined when KAI does not schedule the set.
 */
export function gangShard(pcs: unknown, cliques: readonly string[], labelKey: string = KAI_NODE_POOL_LABEL_KEY): string | null | undefined {
  const obj = (pcs ?? {}) as Record<string, any>;
  const rawCliques: any[] = Array.isArray(obj.spec?.template?.cliques) ? obj.spec.template.cliques : [];
  if (!rawCliques.some(c => c?.spec?.podSpec?.schedulerName === 'kai-scheduler')) return undefined;
  const cliqueLabels = new Map(rawCliques.map(c => [c?.name as string, (c?.labels ?? {}) as Record<string, string>]));
  const value = (obj.metadata?.labels?.[labelKey] as string | undefined) ?? cliques.map(c => cliqueLabels.get(c)?.[labelKey]).find(v => v !== undefined);
  return value === undefined || value === '' ? null : value;
}

/** The scheduling requirements of a pod spec. */
export function readPodSpec(podSpec: any): PodReqs {
  const spec = podSpec ?? {};
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return {
    requests: podRequests(spec),
    nodeSelector: Object.fromEntries(Object.entries(spec.nodeSelector ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    affinity: Array.isArray(terms) ? terms : [],
    tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : [],
  };
}

/**
 * Effective pod requests, by Kubernetes' rules (kubernetes `pkg/api/v1/resource/helpers.go` `PodRequests`): per
 * resource the larger of the app containers plus sidecars and the init phase's peak, plus `overhead`; a container
 * without a request uses its limit. Adds `pods: 1`.
 */
export function podRequests(spec: any): Record<string, number> {
  const of = (c: any): Record<string, number> => {
    const out: Record<string, number> = {};
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const name of new Set([...Object.keys(req), ...Object.keys(lim)])) {
      const q = parseQuantity(req[name] ?? lim[name]);
      if (q !== undefined && q > 0) out[name] = q;
    }
    return out;
  };
  const add = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const max = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
    return out;
  };
  let app: Record<string, number> = {};
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) app = add(app, of(c));
  let sidecars: Record<string, number> = {};
  let peak: Record<string, number> = {};
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    if (c?.restartPolicy === 'Always') {
      sidecars = add(sidecars, of(c));
      peak = max(peak, sidecars);
    } else {
      peak = max(peak, add(sidecars, of(c)));
    }
  }
  let total = max(add(app, sidecars), peak);
  total = add(total, of({ resources: { requests: spec.overhead ?? {} } }));
  return { ...total, [PODS]: 1 };
}

/**
 * A gang as pack units: the gang (PodCliqueSet constraint; for a scaled gang the scaling group's, else the
 * PodCliqueSet's), its scaling-group replicas (their constraint) and its PodCliques (their constraint).
 */
function gangUnit(info: PcsInfo, gangs: PodCliqueSetGangs, gang: PodGang, pods: readonly SimPod[]): SimUnit {
  const prefix = `${gang.podCliqueSet}-${gang.replicaIndex}`;
  const cliqueUnit = (fqn: string, name: string, label: string): SimUnit => {
    const domain = requiredDomain(info.cliques.find(c => c.name === name)?.topologyConstraint);
    return { id: fqn, label, ...(domain === undefined ? {} : { domain }), pods: pods.filter(p => p.podClique === fqn), children: [] };
  };
  const groupUnit = (name: string, j: number, id: string, label: string, domain: string | undefined): SimUnit => ({
    id,
    label,
    ...(domain === undefined ? {} : { domain }),
    pods: [],
    children: (gangs.scalingGroups.find(g => g.name === name)?.cliqueNames ?? [])
      .map(c => cliqueUnit(`${prefix}-${name}-${j}-${c}`, c, `clique ${c} of scaling group ${name} replica ${j}`)),
  });
  const groupDomain = (name: string): string | undefined => requiredDomain(info.scalingGroups.find(g => g.name === name)?.topologyConstraint);
  const pcsDomain = requiredDomain(info.topologyConstraint);
  let root: SimUnit;
  if (gang.kind === 'scaled') {
    const name = gang.scalingGroup as string;
    root = groupUnit(name, gang.scalingGroupReplica as number, gang.name, `scaled gang ${gang.name}`, groupDomain(name) ?? pcsDomain);
  } else {
    const children: SimUnit[] = gangs.cliques.filter(c => c.scalingGroup === undefined)
      .map(c => cliqueUnit(`${prefix}-${c.name}`, c.name, `clique ${c.name}`));
    for (const g of gangs.scalingGroups) {
      for (let j = 0; j < g.minAvailable; j++) {
        children.push(groupUnit(g.name, j, `${prefix}-${g.name}-${j}`, `scaling group ${g.name} replica ${j}`, groupDomain(g.name)));
      }
    }
    root = { id: gang.name, label: `gang ${gang.name}`, ...(pcsDomain === undefined ? {} : { domain: pcsDomain }), pods: [], children };
  }
  const covered = new Set(unitPods(root).map(p => p.name));
  const rest = pods.filter(p => !covered.has(p.name));
  return rest.length === 0 ? root : { ...root, pods: [...root.pods, ...rest] };
}

/** Every pod of a unit and its children. */
export function unitPods(unit: SimUnit): SimPod[] {
  return [...unit.pods, ...unit.children.flatMap(unitPods)];
}

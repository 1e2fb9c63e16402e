/**
 * A lenient reading of a PodCliqueSet manifest for the CLI's own checks and pictures: cliques, scaling groups,
 * startup order, topology and queue references. Never throws; missing or mistyped values take Grove's defaults
 * (clique `replicas` 0 → 1, `minAvailable` → replicas, scaling group `replicas`/`minAvailable` → 1), and the admission
 * port reports them.
 */

/** A plain JSON object. */
export type Json = Record<string, unknown>;

/** Startup types without their `CliqueStartupType` prefix. */
export type StartupType = 'AnyOrder' | 'InOrder' | 'Explicit';

/** One clique template. */
export interface CliqueInfo {
  /** Position in `spec.template.cliques`. */
  readonly index: number;
  readonly name: string;
  /** `spec.roleName`, empty when missing. */
  readonly roleName: string;
  /** Pods per PodClique (per scaling-group replica for members), after defaulting. */
  readonly replicas: number;
  readonly minAvailable: number;
  /**
   * `autoScalingConfig.maxReplicas`.
   * @default - no autoscaler
   */
  readonly maxReplicas?: number;
  readonly startsAfter: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.podSpec` (empty object when missing). */
  readonly podSpec: Json;
  /**
   * The scaling group the clique belongs to.
   * @default - a standalone clique
   */
  readonly scalingGroup?: string;
  /**
   * `topologyConstraint`.
   * @default - none
   */
  readonly topologyConstraint?: Json;
}

/** One scaling group (`podCliqueScalingGroups[]`). */
export interface ScalingGroupInfo {
  readonly index: number;
  readonly name: string;
  readonly cliqueNames: readonly string[];
  readonly replicas: number;
  readonly minAvailable: number;
  /**
   * `scaleConfig.maxReplicas`.
   * @default - no autoscaler
   */
  readonly maxReplicas?: number;
  /**
   * `topologyConstraint`.
   * @default - none
   */
  readonly topologyConstraint?: Json;
}

/** A PodCliqueSet as the CLI reads it. */
export interface PcsInfo {
  readonly name: string;
  readonly namespace: string;
  /** `spec.replicas` (Grove's default is 0). */
  readonly replicas: number;
  /** Whether `spec.replicas` is written in the manifest. */
  readonly replicasSet: boolean;
  readonly startupType: StartupType;
  /** `spec.updateStrategy.type`, `RollingRecreate` when unset. */
  readonly updateStrategy: string;
  readonly priorityClassName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly cliques: readonly CliqueInfo[];
  readonly scalingGroups: readonly ScalingGroupInfo[];
  /**
   * `spec.template.topologyConstraint`.
   * @default - none
   */
  readonly topologyConstraint?: Json;
}

/** "`from` must be ready before `to` starts". */
export interface StartupEdge {
  readonly from: string;
  readonly to: string;
}

/** Reads a PodCliqueSet object. */
export function readPcs(obj: Json): PcsInfo {
  const metadata = record(obj.metadata);
  const spec = record(obj.spec);
  const template = record(spec.template);
  const rawGroups = list(template.podCliqueScalingGroups);
  const groupOf = new Map<string, string>();
  const scalingGroups: ScalingGroupInfo[] = rawGroups.map((g, index) => {
    const group = record(g);
    const name = str(group.name);
    const cliqueNames = list(group.cliqueNames).filter((c): c is string => typeof c === 'string');
    for (const c of cliqueNames) {
      if (!groupOf.has(c)) groupOf.set(c, name);
    }
    const replicas = positive(group.replicas) ?? 1;
    const max = positive(record(group.scaleConfig).maxReplicas);
    return {
      index,
      name,
      cliqueNames,
      replicas,
      minAvailable: Math.min(positive(group.minAvailable) ?? 1, replicas),
      ...(max === undefined ? {} : { maxReplicas: max }),
      ...(isRecord(group.topologyConstraint) ? { topologyConstraint: group.topologyConstraint } : {}),
    };
  });
  const cliques: CliqueInfo[] = list(template.cliques).map((c, index) => {
    const clique = record(c);
    const cspec = record(clique.spec);
    const name = str(clique.name);
    const replicas = positive(cspec.replicas) ?? 1;
    const max = positive(record(cspec.autoScalingConfig).maxReplicas);
    const scalingGroup = groupOf.get(name);
    return {
      index,
      name,
      roleName: str(cspec.roleName),
      replicas,
      minAvailable: Math.min(positive(cspec.minAvailable) ?? replicas, replicas),
      ...(max === undefined ? {} : { maxReplicas: max }),
      startsAfter: list(cspec.startsAfter).filter((s): s is string => typeof s === 'string'),
      labels: stringMap(clique.labels),
      annotations: stringMap(clique.annotations),
      podSpec: record(cspec.podSpec),
      ...(scalingGroup === undefined ? {} : { scalingGroup }),
      ...(isRecord(clique.topologyConstraint) ? { topologyConstraint: clique.topologyConstraint } : {}),
    };
  });
  const startup = str(template.cliqueStartupType);
  return {
    name: str(metadata.name),
    namespace: str(metadata.namespace),
    replicas: typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas : 0,
    replicasSet: spec.replicas !== undefined,
    startupType: startup === 'CliqueStartupTypeInOrder' ? 'InOrder' : startup === 'CliqueStartupTypeExplicit' ? 'Explicit' : 'AnyOrder',
    updateStrategy: str(record(spec.updateStrategy).type) || 'RollingRecreate',
    priorityClassName: str(template.priorityClassName),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    cliques,
    scalingGroups,
    ...(isRecord(template.topologyConstraint) ? { topologyConstraint: template.topologyConstraint } : {}),
  };
}

/**
 * The startup dependencies Grove enforces: none for AnyOrder, each clique after the previous one for InOrder, the
 * `startsAfter` lists for Explicit (names that are no clique and self-references are left out).
 */
export function startupEdges(pcs: PcsInfo): StartupEdge[] {
  if (pcs.startupType === 'InOrder') {
    return pcs.cliques.slice(1).map((c, i) => ({ from: pcs.cliques[i].name, to: c.name }));
  }
  if (pcs.startupType !== 'Explicit') {
    return [];
  }
  const names = new Set(pcs.cliques.map(c => c.name));
  const edges: StartupEdge[] = [];
  for (const c of pcs.cliques) {
    for (const parent of new Set(c.startsAfter)) {
      if (names.has(parent) && parent !== c.name) {
        edges.push({ from: parent, to: c.name });
      }
    }
  }
  return edges;
}

/**
 * Dependency cycles among the cliques, each as a closed path `[a, b, a]` in "starts after" direction (a starts
 * after b, which starts after a), one per strongly connected component of two or more cliques, in clique order.
 */
export function startupCycles(pcs: PcsInfo): string[][] {
  const edges = startupEdges(pcs);
  const after = new Map<string, string[]>(pcs.cliques.map(c => [c.name, []]));
  for (const e of edges) {
    after.get(e.to)?.push(e.from);
  }
  const components = stronglyConnected([...after.keys()], n => after.get(n) ?? []).filter(c => c.length > 1);
  return components.map(component => {
    const members = new Set(component);
    const start = pcs.cliques.map(c => c.name).find(n => members.has(n)) as string;
    // Walk "starts after" edges inside the component until a clique repeats.
    const path = [start];
    const seen = new Map([[start, 0]]);
    let current = start;
    for (;;) {
      const next = (after.get(current) ?? []).find(n => members.has(n)) as string;
      if (seen.has(next)) {
        return [...path.slice(seen.get(next)), next];
      }
      seen.set(next, path.length);
      path.push(next);
      current = next;
    }
  });
}

/**
 * Startup rank of each clique: 0 for cliques that wait for nobody, else one more than the highest rank they wait
 * for. Cliques on a cycle get the rank their position allows after `cliques.length` rounds.
 */
export function startupRanks(pcs: PcsInfo): Map<string, number> {
  const rank = new Map(pcs.cliques.map(c => [c.name, 0]));
  const edges = startupEdges(pcs);
  for (let round = 0; round < pcs.cliques.length; round++) {
    let changed = false;
    for (const e of edges) {
      const r = (rank.get(e.from) ?? 0) + 1;
      if (r > (rank.get(e.to) ?? 0) && r < pcs.cliques.length) {
        rank.set(e.to, r);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return rank;
}

/** Tarjan's algorithm; components in discovery order, members in node order. */
function stronglyConnected(nodes: readonly string[], next: (n: string) => readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const order = new Map(nodes.map((n, i) => [n, i]));
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
    }
  };
  for (const n of nodes) {
    if (!index.has(n)) visit(n);
  }
  return out.sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
}

/** The required pack domain of a topology constraint (`pack.required`, else the legacy `packDomain`). */
export function requiredDomain(constraint: Json | undefined): string | undefined {
  if (constraint === undefined) return undefined;
  const required = record(constraint.pack).required;
  if (typeof required === 'string' && required !== '') return required;
  return typeof constraint.packDomain === 'string' && constraint.packDomain !== '' ? constraint.packDomain : undefined;
}

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function record(v: unknown): Json {
  return isRecord(v) ? v : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(record(v))) {
    if (typeof x === 'string') out[k] = x;
  }
  return out;
}

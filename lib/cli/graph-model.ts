/**
 * The picture model of a PodCliqueSet for `graph`: cliques with their startup rank, scaling groups, gangs and startup
 * edges, plus the text snippets every output format shares.
 */
import { defaultPodCliqueSet } from '../admission';
import { podGpuRequest } from '../catalog';
import { GroveApiLevel } from '../schema';
import { plural } from './output';
import { Json, StartupEdge, readPcs, record, str, startupCycles, startupEdges, startupRanks } from './pcs-model';

/** One clique in the picture. */
export interface GraphClique {
  readonly name: string;
  readonly roleName: string;
  /** Pods per PodClique (per scaling-group replica for members). */
  readonly replicas: number;
  readonly minAvailable: number;
  /**
   * HPA `maxReplicas`.
   * @default - no autoscaler
   */
  readonly maxReplicas?: number;
  readonly gpusPerPod: number;
  /**
   * Scaling group the clique belongs to.
   * @default - standalone
   */
  readonly scalingGroup?: string;
  /** Startup rank: 0 waits for nobody; otherwise 1 + the highest rank it waits for. */
  readonly rank: number;
}

/** One scaling group in the picture. */
export interface GraphScalingGroup {
  readonly name: string;
  readonly cliqueNames: readonly string[];
  readonly replicas: number;
  /** Replicas `0..minAvailable-1` are in the base gang. */
  readonly minAvailable: number;
  /**
   * `scaleConfig.maxReplicas`.
   * @default - no autoscaler
   */
  readonly maxReplicas?: number;
  /** Scaled gangs of PodCliqueSet replica 0 at the template's replicas. */
  readonly scaledGangs: readonly string[];
  /** Scaled gangs per PodCliqueSet replica at the autoscaler's maximum. */
  readonly maxScaledGangs: number;
}

/** The structure of one PodCliqueSet. */
export interface GraphModel {
  readonly name: string;
  readonly replicas: number;
  readonly startupType: string;
  readonly updateStrategy: string;
  /** Name of the base gang of PodCliqueSet replica 0 (each replica has its own). */
  readonly baseGang: string;
  readonly cliques: readonly GraphClique[];
  readonly scalingGroups: readonly GraphScalingGroup[];
  /** `from` starts before `to`. */
  readonly edges: readonly StartupEdge[];
  /** Startup cycles (an invalid manifest), each closed: `[a, b, a]`. */
  readonly cycles: readonly (readonly string[])[];
}

/**
 * The picture model of a PodCliqueSet object, at the Grove API level the cluster runs: an unset update strategy is
 * shown as that level's default (the defaulting webhook's), e.g. `Coherent` at `next`.
 */
export function graphModel(obj: Json, groveApi: GroveApiLevel = 'pinned'): GraphModel {
  const pcs = readPcs(obj);
  const defaulted = str(record(record(record(defaultPodCliqueSet(obj, groveApi)).spec).updateStrategy).type);
  const ranks = startupRanks(pcs);
  const name = pcs.name || '<unnamed>';
  return {
    name,
    replicas: pcs.replicas,
    startupType: pcs.startupType,
    updateStrategy: defaulted || pcs.updateStrategy,
    baseGang: `${name}-0`,
    cliques: pcs.cliques.map(c => ({
      name: c.name,
      roleName: c.roleName,
      replicas: c.replicas,
      minAvailable: c.minAvailable,
      ...(c.maxReplicas === undefined || c.scalingGroup !== undefined ? {} : { maxReplicas: c.maxReplicas }),
      gpusPerPod: podGpuRequest(c.podSpec).gpus,
      ...(c.scalingGroup === undefined ? {} : { scalingGroup: c.scalingGroup }),
      rank: ranks.get(c.name) ?? 0,
    })),
    scalingGroups: pcs.scalingGroups.map(g => ({
      name: g.name,
      cliqueNames: g.cliqueNames,
      replicas: g.replicas,
      minAvailable: g.minAvailable,
      ...(g.maxReplicas === undefined ? {} : { maxReplicas: g.maxReplicas }),
      scaledGangs: Array.from({ length: g.replicas - g.minAvailable }, (_, k) => `${name}-0-${g.name}-${k}`),
      maxScaledGangs: Math.max(g.replicas, g.maxReplicas ?? 0) - g.minAvailable,
    })),
    edges: startupEdges(pcs),
    cycles: startupCycles(pcs),
  };
}

/** `1 pod x 8 GPUs`, `3 pods, no GPU`. */
export function podsText(c: GraphClique): string {
  const pods = plural(c.replicas, 'pod');
  return c.gpusPerPod === 0 ? `${pods}, no GPU` : `${pods} x ${plural(c.gpusPerPod, 'GPU')}`;
}

/** `minAvailable 1, HPA max 3`. */
export function floorText(c: GraphClique): string {
  return `minAvailable ${c.minAvailable}${c.maxReplicas === undefined ? '' : `, HPA max ${c.maxReplicas}`}`;
}

/** `scaling group worker: 2 replicas, minAvailable 1, HPA max 4`. */
export function groupText(g: GraphScalingGroup): string {
  return `scaling group ${g.name}: ${plural(g.replicas, 'replica')}, minAvailable ${g.minAvailable}${g.maxReplicas === undefined ? '' : `, HPA max ${g.maxReplicas}`}`;
}

/** `replica 0 in the base gang`, `replicas 0-1 in the base gang`. */
export function baseReplicasText(g: GraphScalingGroup): string {
  return g.minAvailable === 1 ? 'replica 0 in the base gang' : `replicas 0-${g.minAvailable - 1} in the base gang`;
}

/** `scaled gangs: a-0-w-0, a-0-w-1 (2, up to 3 with HPA)`. */
export function scaledText(g: GraphScalingGroup): string {
  const names = g.scaledGangs.length === 0 ? 'none yet' : g.scaledGangs.join(', ');
  const upTo = g.maxScaledGangs > g.scaledGangs.length ? `, up to ${g.maxScaledGangs} with HPA` : '';
  return `scaled gangs: ${names} (${g.scaledGangs.length}${upTo})`;
}

/** Title line of a PodCliqueSet. */
export function titleText(m: GraphModel): string {
  return `PodCliqueSet ${m.name}: ${plural(m.replicas, 'replica')}, startup ${m.startupType}, update ${m.updateStrategy}`;
}

/** Edges that lie on a startup cycle, as `from>to`. */
export function cycleEdges(m: GraphModel): Set<string> {
  const out = new Set<string>();
  for (const cycle of m.cycles) {
    // The cycle lists "starts after" order: a starts after b, so the edge is b -> a.
    for (let i = 0; i + 1 < cycle.length; i++) out.add(`${cycle[i + 1]}>${cycle[i]}`);
  }
  return out;
}

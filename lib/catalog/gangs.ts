/**
 * The PodGangs Grove forms from a PodCliqueSet, computed offline from the manifest.
 *
 * Per PCS replica `i` (API.md §5, §6):
 * - the **base** PodGang `<pcs>-<i>` holds every standalone clique's PodClique `<pcs>-<i>-<clq>` and, for each
 *   PodCliqueScalingGroup, the PodCliques of PCSG replicas `j` in `[0, minAvailable)`, named
 *   `<pcs>-<i>-<pcsg>-<j>-<clq>`;
 * - every PCSG replica `j >= minAvailable` forms its own **scaled** PodGang `<pcs>-<i>-<pcsg>-<j - minAvailable>`,
 *   which is only released after the base gang is scheduled.
 *
 * Each PodClique is one pod group of its gang, with `replicas` pods (hostnames `<pclq>-<k>`) and a gang floor of
 * `minAvailable` pods. Pod groups are listed standalone cliques first (template order), then PCSG replicas (member
 * cliques in `cliqueNames` order); the order inside a PodGang carries no meaning for scheduling.
 *
 * Defaulting follows the Grove API server and webhook, so an object can be passed as synthesized or as applied:
 * `spec.replicas` defaults to 0 (CRD), clique `replicas` 0 becomes 1 and a missing `minAvailable` becomes the
 * replicas (webhook), PCSG `replicas` and `minAvailable` default to 1 (CRD). Grove up to v0.1.0-alpha.12-rc1 takes the
 * clique `minAvailable` default from the *submitted* replicas, so `replicas: 0` without `minAvailable` is rejected at
 * admission (VALIDATION.md Q3); this module uses the defaulted replicas there, as later Grove versions do.
 *
 * The names follow the Grove release the CRDs are pinned to. Post-alpha.12 Grove (PR #649) switches to epoch-based
 * PodGang names (API.md §14).
 */
import { GroveValidationError, ValidationProblem } from '../errors';

/** The extended resource counted as GPUs unless told otherwise. */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

/** One pod of a gang. */
export interface GangPod {
  /** Deterministic pod host name `<podclique>-<k>` (the pod's own name has a random suffix). */
  readonly name: string;
  /** Fully qualified PodClique name. */
  readonly podClique: string;
  /** Clique template name. */
  readonly clique: string;
  /** GPUs the pod requests (effective pod request, init containers included). */
  readonly gpus: number;
  /** The clique's `podSpec.nodeSelector` (empty when unset). */
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/** One PodClique inside a gang (a `podgroups[]` entry of the PodGang). */
export interface GangPodGroup {
  /** Fully qualified PodClique name. */
  readonly name: string;
  /** Clique template name. */
  readonly clique: string;
  /** Pods in the PodClique. */
  readonly replicas: number;
  /** Gang floor: the PodClique's `minAvailable`. */
  readonly minReplicas: number;
  /** GPUs per pod. */
  readonly gpusPerPod: number;
}

/** Base gang of a PCS replica, or scaled gang of one PCSG replica above `minAvailable`. */
export type PodGangKind = 'base' | 'scaled';

/** A PodGang as Grove would create it. */
export interface PodGang {
  /** PodGang name: `<pcs>-<i>` (base) or `<pcs>-<i>-<pcsg>-<j - minAvailable>` (scaled). */
  readonly name: string;
  readonly kind: PodGangKind;
  /** Name of the PodCliqueSet. */
  readonly podCliqueSet: string;
  /** PCS replica index `i`. */
  readonly replicaIndex: number;
  /**
   * PCSG config name, for scaled gangs.
   * @default - undefined for base gangs
   */
  readonly scalingGroup?: string;
  /**
   * PCSG replica index `j`, for scaled gangs.
   * @default - undefined for base gangs
   */
  readonly scalingGroupReplica?: number;
  /**
   * The base gang that must be scheduled first, for scaled gangs.
   * @default - undefined for base gangs
   */
  readonly baseGang?: string;
  /** The PodCliques of the gang. */
  readonly podGroups: readonly GangPodGroup[];
  /** Every pod of the gang. */
  readonly pods: readonly GangPod[];
  /** Total GPUs of all pods. */
  readonly gpus: number;
  /** Pods the scheduler needs at least (sum of the pod groups' `minReplicas`). */
  readonly minPods: number;
}

/** Replica counts of one clique after defaulting. */
export interface CliqueScaling {
  /** Clique template name. */
  readonly name: string;
  /**
   * PCSG the clique belongs to.
   * @default - undefined for standalone cliques
   */
  readonly scalingGroup?: string;
  /** Pods per PodClique (per PCSG replica for PCSG members). */
  readonly replicas: number;
  readonly minAvailable: number;
  /** Pods per PodClique the HPA may reach (`autoScalingConfig.maxReplicas`, never below `replicas`). */
  readonly maxReplicas: number;
  readonly gpusPerPod: number;
}

/** Replica counts of one PCSG after defaulting. */
export interface ScalingGroupScaling {
  readonly name: string;
  readonly cliqueNames: readonly string[];
  readonly replicas: number;
  readonly minAvailable: number;
  /** PCSG replicas the HPA may reach (`scaleConfig.maxReplicas`, never below `replicas`). */
  readonly maxReplicas: number;
}

/** Everything `podCliqueSetGangs` computes. */
export interface PodCliqueSetGangs {
  /** Name of the PodCliqueSet. */
  readonly name: string;
  /** PCS replicas (`spec.replicas`, default 0). */
  readonly replicas: number;
  /** Gangs at the template's replica counts: base gangs of all PCS replicas, then scaled gangs. */
  readonly gangs: readonly PodGang[];
  /**
   * Gangs at the autoscalers' maximum (clique HPA and PCSG `scaleConfig` `maxReplicas`; PCS replicas as given), in
   * the same order. Same gang names as `gangs` where both exist.
   */
  readonly maxGangs: readonly PodGang[];
  readonly cliques: readonly CliqueScaling[];
  readonly scalingGroups: readonly ScalingGroupScaling[];
  /** GPUs of `gangs`. */
  readonly gpus: number;
  /** GPUs of `maxGangs`. */
  readonly maxGpus: number;
}

/** Options of `podCliqueSetGangs`. */
export interface PodCliqueSetGangsOptions {
  /**
   * Extended resource counted as a GPU.
   * @default 'nvidia.com/gpu'
   */
  readonly gpuResource?: string;
}

interface ResolvedClique {
  readonly name: string;
  readonly index: number;
  readonly scaling: CliqueScaling;
  readonly nodeSelector: Record<string, string>;
}

/**
 * Computes the PodGangs of a PodCliqueSet (a plain object, as synthesized or applied).
 *
 * @throws GroveValidationError when the object lacks what the computation needs (name, cliques, clique names, valid
 * GPU quantities, scaling groups that reference existing cliques)
 */
export function podCliqueSetGangs(pcs: unknown, options: PodCliqueSetGangsOptions = {}): PodCliqueSetGangs {
  const gpuResource = options.gpuResource ?? NVIDIA_GPU_RESOURCE;
  const problems: ValidationProblem[] = [];
  const root = asRecord(pcs);
  const metadata = asRecord(root?.metadata);
  const name = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
  const at = `PodCliqueSet/${name ?? '<unnamed>'}`;
  const problem = (field: string, message: string, value?: unknown, fix?: string): void => {
    problems.push({ constructPath: at, field, message, ...(value === undefined ? {} : { value }), ...(fix === undefined ? {} : { fix }) });
  };

  if (root === undefined) {
    throw new GroveValidationError([{ constructPath: at, field: '<root>', message: 'a PodCliqueSet must be an object', value: pcs }]);
  }
  if (root.kind !== undefined && root.kind !== 'PodCliqueSet') {
    problem('kind', 'must be PodCliqueSet', root.kind);
  }
  if (name === undefined) {
    problem('metadata.name', 'is required to name the PodGangs', metadata?.name);
  }
  const spec = asRecord(root.spec);
  const template = asRecord(spec?.template);
  const pcsReplicas = spec?.replicas === undefined ? 0 : spec.replicas;
  if (!isNonNegativeInt(pcsReplicas)) {
    problem('spec.replicas', 'must be a whole number >= 0', pcsReplicas);
  }
  const rawCliques = template?.cliques;
  if (!Array.isArray(rawCliques)) {
    problem('spec.template.cliques', 'must be a list of cliques', rawCliques);
  }
  const rawGroups = template?.podCliqueScalingGroups === undefined ? [] : template.podCliqueScalingGroups;
  if (!Array.isArray(rawGroups)) {
    problem('spec.template.podCliqueScalingGroups', 'must be a list', rawGroups);
  }

  // Scaling groups first: they decide which cliques are standalone.
  const groupOf = new Map<string, string>();
  const groups: ScalingGroupScaling[] = [];
  (Array.isArray(rawGroups) ? rawGroups : []).forEach((g, gi) => {
    const field = `spec.template.podCliqueScalingGroups[${gi}]`;
    const group = asRecord(g);
    if (group === undefined || typeof group.name !== 'string' || group.name === '') {
      problem(`${field}.name`, 'is required', group?.name);
      return;
    }
    if (groups.some(x => x.name === group.name)) {
      problem(`${field}.name`, 'duplicate scaling group name', group.name);
      return;
    }
    const cliqueNames = Array.isArray(group.cliqueNames) ? group.cliqueNames.filter((c): c is string => typeof c === 'string') : [];
    if (!Array.isArray(group.cliqueNames) || cliqueNames.length !== group.cliqueNames.length) {
      problem(`${field}.cliqueNames`, 'must be a list of clique names', group.cliqueNames);
    }
    for (const c of cliqueNames) {
      if (groupOf.has(c)) {
        problem(`${field}.cliqueNames`, `clique "${c}" already belongs to scaling group "${groupOf.get(c)}"`, c);
      }
      groupOf.set(c, group.name);
    }
    const replicas = group.replicas === undefined ? 1 : group.replicas;
    const minAvailable = group.minAvailable === undefined ? 1 : group.minAvailable;
    if (!isPositiveInt(replicas)) {
      problem(`${field}.replicas`, 'must be a whole number > 0', replicas);
    }
    if (!isPositiveInt(minAvailable) || (isPositiveInt(replicas) && minAvailable > replicas)) {
      problem(`${field}.minAvailable`, 'must be a whole number > 0 and <= replicas', minAvailable);
    }
    const hpaMax = asRecord(group.scaleConfig)?.maxReplicas;
    if (hpaMax !== undefined && !isPositiveInt(hpaMax)) {
      problem(`${field}.scaleConfig.maxReplicas`, 'must be a whole number > 0', hpaMax);
    }
    const r = isPositiveInt(replicas) ? replicas : 1;
    groups.push({
      name: group.name,
      cliqueNames,
      replicas: r,
      minAvailable: isPositiveInt(minAvailable) ? Math.min(minAvailable, r) : 1,
      maxReplicas: Math.max(r, isPositiveInt(hpaMax) ? hpaMax : r),
    });
  });

  const cliques: ResolvedClique[] = [];
  (Array.isArray(rawCliques) ? rawCliques : []).forEach((c, ci) => {
    const field = `spec.template.cliques[${ci}]`;
    const clique = asRecord(c);
    if (clique === undefined || typeof clique.name !== 'string' || clique.name === '') {
      problem(`${field}.name`, 'is required', clique?.name);
      return;
    }
    if (cliques.some(x => x.name === clique.name)) {
      problem(`${field}.name`, 'duplicate clique name', clique.name);
      return;
    }
    const cspec = asRecord(clique.spec);
    const submitted = cspec?.replicas === undefined ? 0 : cspec.replicas;
    if (!isNonNegativeInt(submitted)) {
      problem(`${field}.spec.replicas`, 'must be a whole number > 0 (0 is defaulted to 1)', submitted);
    }
    const replicas = isPositiveInt(submitted) ? submitted : 1;
    const minAvailable = cspec?.minAvailable === undefined ? replicas : cspec.minAvailable;
    if (!isPositiveInt(minAvailable) || minAvailable > replicas) {
      problem(`${field}.spec.minAvailable`, 'must be a whole number > 0 and <= replicas', minAvailable);
    }
    const scalingGroup = groupOf.get(clique.name);
    const hpaMax = scalingGroup === undefined ? asRecord(cspec?.autoScalingConfig)?.maxReplicas : undefined;
    if (hpaMax !== undefined && !isPositiveInt(hpaMax)) {
      problem(`${field}.spec.autoScalingConfig.maxReplicas`, 'must be a whole number > 0', hpaMax);
    }
    const podSpec = cspec?.podSpec;
    const gpu = podGpuRequest(podSpec, gpuResource);
    for (const p of gpu.problems) {
      problem(`${field}.spec.podSpec.${p.field}`, p.message, p.value);
    }
    cliques.push({
      name: clique.name,
      index: ci,
      nodeSelector: stringMap(asRecord(podSpec)?.nodeSelector),
      scaling: {
        name: clique.name,
        ...(scalingGroup === undefined ? {} : { scalingGroup }),
        replicas,
        minAvailable: isPositiveInt(minAvailable) ? Math.min(minAvailable, replicas) : replicas,
        maxReplicas: Math.max(replicas, isPositiveInt(hpaMax) ? hpaMax : replicas),
        gpusPerPod: gpu.gpus,
      },
    });
  });

  groups.forEach((g, gi) => {
    const unknown = g.cliqueNames.filter(c => !cliques.some(x => x.name === c));
    if (unknown.length > 0) {
      problem(`spec.template.podCliqueScalingGroups[${gi}].cliqueNames`, 'references cliques that do not exist', unknown, 'list only names of spec.template.cliques');
    }
  });

  if (problems.length > 0) {
    throw new GroveValidationError(problems);
  }

  const pcsName = name as string;
  const replicaCount = pcsReplicas as number;
  const byName = new Map(cliques.map(c => [c.name, c]));
  const standalone = cliques.filter(c => c.scaling.scalingGroup === undefined);

  const build = (atMax: boolean): PodGang[] => {
    const base: PodGang[] = [];
    const scaled: PodGang[] = [];
    for (let i = 0; i < replicaCount; i++) {
      const prefix = `${pcsName}-${i}`;
      const baseGroups: GroupSpec[] = standalone.map(c => ({
        fqn: `${prefix}-${c.name}`,
        clique: c,
        replicas: atMax ? c.scaling.maxReplicas : c.scaling.replicas,
      }));
      for (const g of groups) {
        for (let j = 0; j < g.minAvailable; j++) {
          baseGroups.push(...pcsgReplicaGroups(prefix, g, j, byName));
        }
      }
      base.push(makeGang({ name: prefix, kind: 'base', podCliqueSet: pcsName, replicaIndex: i }, baseGroups));

      for (const g of groups) {
        const total = atMax ? g.maxReplicas : g.replicas;
        for (let j = g.minAvailable; j < total; j++) {
          scaled.push(makeGang({
            name: `${prefix}-${g.name}-${j - g.minAvailable}`,
            kind: 'scaled',
            podCliqueSet: pcsName,
            replicaIndex: i,
            scalingGroup: g.name,
            scalingGroupReplica: j,
            baseGang: prefix,
          }, pcsgReplicaGroups(prefix, g, j, byName)));
        }
      }
    }
    return [...base, ...scaled];
  };

  const gangs = build(false);
  const maxGangs = build(true);
  return {
    name: pcsName,
    replicas: replicaCount,
    gangs,
    maxGangs,
    cliques: cliques.map(c => c.scaling),
    scalingGroups: groups,
    gpus: sum(gangs.map(g => g.gpus)),
    maxGpus: sum(maxGangs.map(g => g.gpus)),
  };
}

interface GroupSpec {
  readonly fqn: string;
  readonly clique: ResolvedClique;
  readonly replicas: number;
}

/** Pod groups of PCSG replica `j`: one PodClique per member clique, in `cliqueNames` order. */
function pcsgReplicaGroups(prefix: string, g: ScalingGroupScaling, j: number, byName: Map<string, ResolvedClique>): GroupSpec[] {
  return g.cliqueNames.map(n => byName.get(n) as ResolvedClique).map(c => ({
    fqn: `${prefix}-${g.name}-${j}-${c.name}`,
    clique: c,
    replicas: c.scaling.replicas,
  }));
}

function makeGang(head: Omit<PodGang, 'podGroups' | 'pods' | 'gpus' | 'minPods'>, groups: GroupSpec[]): PodGang {
  const podGroups: GangPodGroup[] = groups.map(g => ({
    name: g.fqn,
    clique: g.clique.name,
    replicas: g.replicas,
    minReplicas: Math.min(g.clique.scaling.minAvailable, g.replicas),
    gpusPerPod: g.clique.scaling.gpusPerPod,
  }));
  const pods: GangPod[] = groups.flatMap(g => Array.from({ length: g.replicas }, (_, k) => ({
    name: `${g.fqn}-${k}`,
    podClique: g.fqn,
    clique: g.clique.name,
    gpus: g.clique.scaling.gpusPerPod,
    nodeSelector: g.clique.nodeSelector,
  })));
  return {
    ...head,
    podGroups,
    pods,
    gpus: sum(pods.map(p => p.gpus)),
    minPods: sum(podGroups.map(g => g.minReplicas)),
  };
}

/** A problem found while reading GPU requests, relative to the pod spec. */
export interface PodGpuProblem {
  readonly field: string;
  readonly message: string;
  readonly value?: unknown;
}

/**
 * The effective GPU request of a pod, by Kubernetes' rules: the larger of (a) the sum over app containers plus
 * restartable (sidecar) init containers and (b) the peak of the init phase, where each regular init container runs
 * alongside the sidecars started before it. A container's request is `resources.requests[<gpu>]`, or its limit when
 * only the limit is set (extended resources cannot be overcommitted). GPUs claimed through DRA `resourceClaims` are
 * not counted.
 *
 * @param podSpec a core/v1 PodSpec
 * @param resource the extended resource to count, `nvidia.com/gpu` unless given
 */
export function podGpuRequest(podSpec: unknown, resource: string = NVIDIA_GPU_RESOURCE): { gpus: number; problems: PodGpuProblem[] } {
  const problems: PodGpuProblem[] = [];
  const spec = asRecord(podSpec);
  const request = (list: string, c: unknown, i: number): number => {
    const resources = asRecord(asRecord(c)?.resources);
    const req = asRecord(resources?.requests)?.[resource];
    const lim = asRecord(resources?.limits)?.[resource];
    const raw = req !== undefined ? req : lim;
    if (raw === undefined) {
      return 0;
    }
    const where = `${list}[${i}].resources.${req !== undefined ? 'requests' : 'limits'}[${resource}]`;
    const n = parseQuantity(raw);
    if (n === undefined || n < 0 || !Number.isInteger(n)) {
      problems.push({ field: where, message: 'must be a whole, non-negative quantity', value: raw });
      return 0;
    }
    if (req !== undefined && lim !== undefined && parseQuantity(lim) !== n) {
      problems.push({ field: `${list}[${i}].resources`, message: `requests and limits of ${resource} must be equal`, value: { requests: req, limits: lim } });
    }
    return n;
  };

  const containers = Array.isArray(spec?.containers) ? spec.containers : [];
  const initContainers = Array.isArray(spec?.initContainers) ? spec.initContainers : [];
  let appSum = sum(containers.map((c, i) => request('containers', c, i)));
  let sidecars = 0;
  let initPeak = 0;
  initContainers.forEach((c, i) => {
    const r = request('initContainers', c, i);
    if (asRecord(c)?.restartPolicy === 'Always') {
      sidecars += r;
      initPeak = Math.max(initPeak, sidecars);
    } else {
      initPeak = Math.max(initPeak, sidecars + r);
    }
  });
  appSum += sidecars;
  return { gpus: Math.max(appSum, initPeak), problems };
}

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * Parses a Kubernetes quantity (`8`, `"8"`, `"500m"`, `"1Gi"`, `"1e3"`) into a number.
 *
 * @returns the value, or undefined when it is not a quantity
 */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') {
    return Number.isFinite(q) ? q : undefined;
  }
  if (typeof q !== 'string') {
    return undefined;
  }
  const m = QUANTITY.exec(q.trim());
  if (m === null) {
    return undefined;
  }
  const base = Number(m[1]);
  if (m[2] !== undefined) {
    return Number(`${m[1]}${m[2]}`);
  }
  const v = m[3] === undefined ? base : base * SUFFIX[m[3]];
  // Round away float noise such as 0.1 * 1e3 or 3800 * 1e-3.
  return Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v) : Number(v.toPrecision(15));
}

function asRecord(v: unknown): Record<string, any> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, any> : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(asRecord(v) ?? {})) {
    if (typeof x === 'string') {
      out[k] = x;
    }
  }
  return out;
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/**
 * `cdk8s-grove plan`: the PodGangs of each PodCliqueSet and whether they fit on GPU node pools.
 *
 * Gangs come from the catalog (`podCliqueSetGangs`); packing is `pack.ts` (GPUs per node, pack constraints). The
 * placement runs in the order Grove releases gangs: the base gangs of every PodCliqueSet, then the scaled gangs at the
 * template's replica counts, then what the autoscalers may add (clique HPA pods one by one, extra scaled gangs all or
 * nothing) up to their `maxReplicas`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { GroveValidationError } from '../errors';
import { NodeSku, PodCliqueSetGangs, PodGang, UnplacedGang as CatalogUnplacedGang, findNodeSku, nodeSkus, podCliqueSetGangs } from '../catalog';
import { HELP_OPTION, ParsedArgs, UsageError } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import { InputIo, LoadedInput, SourceObject, isKind, loadInputs } from './input';
import { Finding, Io, formatFinding, plural, toJson } from './output';
import { PackPool, PackUnit, Packer, PoolUsage, sum, unitPods } from './pack';
import { PcsInfo, readPcs, requiredDomain } from './pcs-model';

/** A node pool as given on the command line. */
export interface PlanPool {
  /**
   * Pool name (matched against `kubernetes.azure.com/agentpool` node selectors).
   * @default - the SKU name
   */
  readonly name?: string;
  /** Azure VM size, e.g. `Standard_ND96isr_H100_v5`. */
  readonly sku: string;
  readonly nodes: number;
}

/** Nodes a gang (or a stage) uses in one pool. */
export interface PoolNodes {
  readonly pool: string;
  readonly sku: string;
  readonly nodes: number;
}

/** One gang of a PodCliqueSet. */
export interface GangPlan {
  readonly name: string;
  readonly kind: 'base' | 'scaled';
  /** Present at the template's replica counts (false: only at the autoscalers' maximum). */
  readonly atTemplate: boolean;
  readonly pods: number;
  readonly gpus: number;
  /** Pods the gang needs at least (sum of `minAvailable`). */
  readonly minPods: number;
  /** Nodes the gang needs on its own, per pool, on empty pools as large as needed. */
  readonly nodesNeeded: readonly PoolNodes[];
  /**
   * Why the gang can never be placed on these pools' SKUs.
   * @default - it can be placed on enough empty nodes
   */
  readonly impossible?: string;
}

/** How far one autoscaler can go. */
export interface AutoscalerPlan {
  /** `scaling group <name>` or `clique <name>`. */
  readonly target: string;
  readonly templateReplicas: number;
  readonly maxReplicas: number;
  /** Extra scaled gangs (scaling group) or extra pods (clique), over all PodCliqueSet replicas. */
  readonly extra: number;
  /** How many of them fit after the template's gangs. */
  readonly extraPlaced: number;
  /** GPUs of one extra gang or pod. */
  readonly gpusEach: number;
}

/** The plan of one PodCliqueSet. */
export interface PodCliqueSetPlan {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly replicas: number;
  readonly gangs: readonly GangPlan[];
  readonly autoscalers: readonly AutoscalerPlan[];
}

/** A gang that was not placed (the catalog's record, without its per-SKU node counts). */
export type UnplacedGang = Omit<CatalogUnplacedGang, 'nodesNeeded'>;

/** The cluster after one stage of placement. */
export interface StagePlan {
  /** Everything of this stage and the stages before it was placed. */
  readonly fits: boolean;
  /** Gangs placed so far, in placement order. */
  readonly placed: readonly string[];
  /** What did not fit in this stage. */
  readonly unplaced: readonly UnplacedGang[];
  readonly pools: readonly PoolUsage[];
  readonly gpusUsed: number;
  /** Free GPUs on nodes that have GPUs allocated. */
  readonly gpusStranded: number;
}

/** Everything `plan` found. */
export interface PlanReport {
  /** True when the base gangs of every PodCliqueSet fit together (and every PodCliqueSet could be read). */
  readonly ok: boolean;
  readonly pools: readonly (PoolNodes & { readonly gpusPerNode: number })[];
  readonly podCliqueSets: readonly PodCliqueSetPlan[];
  /**
   * Nodes needed per pool, with pools as large as needed: for the base gangs, the template's replicas and the
   * autoscalers' maximum. Gangs in `neverFit` are left out.
   */
  readonly nodesNeeded: {
    readonly baseGangs: readonly PoolNodes[];
    readonly template: readonly PoolNodes[];
    readonly maximum: readonly PoolNodes[];
    /** Gangs that fit on no number of nodes of these pools (a pod or a packed group too large for its domain). */
    readonly neverFit: readonly string[];
  };
  readonly baseGangs: StagePlan;
  readonly template: StagePlan;
  readonly maximum: StagePlan;
  /** PodCliqueSets that could not be read, and inputs that could not be parsed. */
  readonly problems: readonly Finding[];
}

interface PcsGangs {
  readonly src: SourceObject;
  readonly info: PcsInfo;
  readonly gangs: PodCliqueSetGangs;
}

/** Plans the PodCliqueSets of the input on the pools. Pure. */
export function planObjects(input: LoadedInput, pools: readonly PlanPool[]): PlanReport {
  const packPools = resolvePools(pools);
  const problems: Finding[] = input.problems.map(p => ({
    severity: 'error', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: p.message, fix: 'correct the YAML syntax', rule: 'yaml',
  }));
  const sets: PcsGangs[] = [];
  for (const src of input.objects.filter(o => isKind(o.object, 'grove.io', 'PodCliqueSet'))) {
    try {
      sets.push({ src, info: readPcs(src.object), gangs: podCliqueSetGangs(src.object) });
    } catch (e) {
      if (!(e instanceof GroveValidationError)) throw e;
      for (const p of e.problems) {
        problems.push({
          severity: 'error', file: src.file, line: src.lineOf(p.field), objectLine: src.line, object: p.constructPath, field: p.field,
          message: `${p.message}${p.value === undefined ? '' : `, got ${JSON.stringify(p.value)}`}`,
          fix: p.fix ?? 'run cdk8s-grove lint for details', rule: 'gangs',
        });
      }
    }
  }

  const run = runStages(new Packer(packPools), sets);
  const bound = Math.max(1, sum(sets.flatMap(s => s.gangs.maxGangs.map(g => g.pods.filter(p => p.gpus > 0).length))));
  const unlimited = runStages(new Packer(packPools.map(p => ({ ...p, nodes: bound }))), sets);

  const podCliqueSets: PodCliqueSetPlan[] = sets.map(s => {
    const templateNames = new Set(s.gangs.gangs.map(g => g.name));
    const shown = [...s.gangs.gangs, ...s.gangs.maxGangs.filter(g => !templateNames.has(g.name))];
    return {
      name: s.gangs.name,
      file: s.src.file,
      line: s.src.line,
      replicas: s.gangs.replicas,
      gangs: shown.map(g => gangPlan(g, templateNames.has(g.name), s, packPools)),
      autoscalers: run.autoscalers.filter(a => a.set === s).map(a => a.plan),
    };
  });

  return {
    ok: problems.length === 0 && run.base.fits,
    pools: packPools.map(p => ({ pool: p.name, sku: p.sku.name, nodes: p.nodes, gpusPerNode: p.sku.gpusPerNode })),
    podCliqueSets,
    nodesNeeded: {
      baseGangs: usedNodes(unlimited.base.pools),
      template: usedNodes(unlimited.template.pools),
      maximum: usedNodes(unlimited.maximum.pools),
      neverFit: podCliqueSets.flatMap(p => p.gangs.filter(g => g.impossible !== undefined).map(g => g.name)),
    },
    baseGangs: run.base,
    template: run.template,
    maximum: run.maximum,
    problems,
  };
}

/** Pools with their SKUs; names default to the SKU. */
function resolvePools(pools: readonly PlanPool[]): PackPool[] {
  const out: PackPool[] = [];
  for (const p of pools) {
    const sku = findNodeSku(p.sku);
    if (sku === undefined) {
      throw new UsageError(`unknown GPU node SKU "${p.sku}"; known: ${nodeSkus().map(s => s.name).join(', ')}`);
    }
    if (!Number.isInteger(p.nodes) || p.nodes < 0) {
      throw new UsageError(`pool ${p.name ?? p.sku}: nodes must be a whole number >= 0, got ${p.nodes}`);
    }
    const name = p.name ?? sku.name;
    if (out.some(x => x.name === name)) {
      throw new UsageError(`two pools are named ${name}; give pools of the same SKU distinct names (NAME:SKU=N)`);
    }
    out.push({ name, sku, nodes: p.nodes });
  }
  return out;
}

function usedNodes(usage: readonly PoolUsage[]): PoolNodes[] {
  return usage.filter(u => u.nodesUsed > 0).map(u => ({ pool: u.name, sku: u.sku, nodes: u.nodesUsed }));
}

/** One gang, with the nodes it needs on its own. */
function gangPlan(gang: PodGang, atTemplate: boolean, set: PcsGangs, pools: readonly PackPool[]): GangPlan {
  const gpuPods = gang.pods.filter(p => p.gpus > 0).length;
  const alone = new Packer(pools.map(p => ({ ...p, nodes: Math.max(1, gpuPods) })));
  const failure = alone.place(gangUnit(set, gang));
  return {
    name: gang.name,
    kind: gang.kind,
    atTemplate,
    pods: gang.pods.length,
    gpus: gang.gpus,
    minPods: gang.minPods,
    nodesNeeded: failure === undefined ? usedNodes(alone.usage()) : [],
    ...(failure === undefined ? {} : { impossible: failure.reason }),
  };
}

/**
 * A gang as pack units: the gang (PodCliqueSet constraint; for a scaled gang the scaling group's, else the
 * PodCliqueSet's), its scaling-group replicas (their constraint) and its PodCliques (their constraint).
 */
export function gangUnit(set: { readonly info: PcsInfo; readonly gangs: PodCliqueSetGangs }, gang: PodGang): PackUnit {
  const { info } = set;
  const prefix = `${gang.podCliqueSet}-${gang.replicaIndex}`;
  const cliqueUnit = (fqn: string, name: string, label: string): PackUnit => {
    const clique = info.cliques.find(c => c.name === name);
    const domain = requiredDomain(clique?.topologyConstraint);
    return { id: fqn, label, ...(domain === undefined ? {} : { domain }), pods: gang.pods.filter(p => p.podClique === fqn), children: [] };
  };
  const groupUnit = (name: string, j: number, id: string, label: string, domain: string | undefined): PackUnit => {
    const group = set.gangs.scalingGroups.find(g => g.name === name);
    return {
      id,
      label,
      ...(domain === undefined ? {} : { domain }),
      pods: [],
      children: (group?.cliqueNames ?? []).map(c => cliqueUnit(`${prefix}-${name}-${j}-${c}`, c, `clique ${c} of scaling group ${name} replica ${j}`)),
    };
  };
  const groupDomain = (name: string): string | undefined => requiredDomain(info.scalingGroups.find(g => g.name === name)?.topologyConstraint);
  const pcsDomain = requiredDomain(info.topologyConstraint);

  let root: PackUnit;
  if (gang.kind === 'scaled') {
    const name = gang.scalingGroup as string;
    root = groupUnit(name, gang.scalingGroupReplica as number, gang.name, `scaled gang ${gang.name}`, groupDomain(name) ?? pcsDomain);
  } else {
    const children: PackUnit[] = set.gangs.cliques.filter(c => c.scalingGroup === undefined)
      .map(c => cliqueUnit(`${prefix}-${c.name}`, c.name, `clique ${c.name}`));
    for (const g of set.gangs.scalingGroups) {
      for (let j = 0; j < g.minAvailable; j++) {
        children.push(groupUnit(g.name, j, `${prefix}-${g.name}-${j}`, `scaling group ${g.name} replica ${j}`, groupDomain(g.name)));
      }
    }
    root = { id: gang.name, label: `gang ${gang.name}`, ...(pcsDomain === undefined ? {} : { domain: pcsDomain }), pods: [], children };
  }
  // Every pod belongs to a unit; anything the naming did not match stays with the gang.
  const covered = new Set(unitPods(root).map(p => p.name));
  const rest = gang.pods.filter(p => !covered.has(p.name));
  return rest.length === 0 ? root : { ...root, pods: [...root.pods, ...rest] };
}

interface StageRun {
  readonly base: StagePlan;
  readonly template: StagePlan;
  readonly maximum: StagePlan;
  readonly autoscalers: { readonly set: PcsGangs; readonly plan: AutoscalerPlan }[];
}

/** Places base gangs, then scaled gangs, then autoscaler growth, snapshotting the pools after each stage. */
function runStages(packer: Packer, sets: readonly PcsGangs[]): StageRun {
  const placed: string[] = [];
  const placedSet = new Set<string>();
  const setOf = new Map<PodGang, PcsGangs>();
  for (const s of sets) {
    for (const g of [...s.gangs.gangs, ...s.gangs.maxGangs]) setOf.set(g, s);
  }
  const placeGang = (gang: PodGang): UnplacedGang | undefined => {
    const set = setOf.get(gang) as PcsGangs;
    if (gang.baseGang !== undefined && !placedSet.has(gang.baseGang)) {
      return unplaced(gang, `gang ${gang.name} waits for its base gang ${gang.baseGang}, which was not placed`);
    }
    const failure = packer.place(gangUnit(set, gang));
    if (failure === undefined) {
      placed.push(gang.name);
      placedSet.add(gang.name);
      return undefined;
    }
    return unplaced(gang, `gang ${gang.name} (${plural(gang.pods.length, 'pod')}, ${gang.gpus} GPUs) does not fit: ${capacityReason(packer, set, gang, failure.reason)}`);
  };
  let fitsSoFar = true;
  const stage = (failed: UnplacedGang[]): StagePlan => {
    const pools = packer.usage();
    fitsSoFar = fitsSoFar && failed.length === 0;
    return {
      fits: fitsSoFar,
      placed: [...placed],
      unplaced: failed,
      pools,
      gpusUsed: sum(pools.map(p => p.gpusUsed)),
      gpusStranded: sum(pools.map(p => p.gpusStranded)),
    };
  };

  const all = sets.flatMap(s => s.gangs.gangs);
  const base = stage(all.filter(g => g.kind === 'base').map(placeGang).filter(isDefined));
  const template = stage(all.filter(g => g.kind === 'scaled').map(placeGang).filter(isDefined));

  const autoscalers: { set: PcsGangs; plan: AutoscalerPlan }[] = [];
  const growthFailures: UnplacedGang[] = [];
  for (const s of sets) {
    const initialPods = new Set(s.gangs.gangs.flatMap(g => g.pods.map(p => p.name)));
    const counts = new Map<string, { extra: number; placed: number; gpus: number }>();
    for (const gang of s.gangs.maxGangs.filter(g => g.kind === 'base')) {
      const extra = gang.pods.filter(p => !initialPods.has(p.name));
      const left: typeof extra = [];
      for (const pod of extra) {
        const c = counts.get(pod.clique) ?? { extra: 0, placed: 0, gpus: pod.gpus };
        c.extra++;
        if (placedSet.has(gang.name) && packer.placeExtraPod(pod.podClique, pod)) c.placed++;
        else left.push(pod);
        counts.set(pod.clique, c);
      }
      if (left.length > 0) {
        growthFailures.push({
          gang: gang.name, kind: 'autoscaled-pods', pods: left.length, gpus: sum(left.map(p => p.gpus)),
          reason: placedSet.has(gang.name)
            ? `${left.length} of ${extra.length} autoscaled pod(s) of gang ${gang.name} find no node with enough free GPUs`
            : `autoscaled pods of gang ${gang.name} wait for the gang, which was not placed`,
        });
      }
    }
    for (const c of s.gangs.cliques.filter(x => x.scalingGroup === undefined && x.maxReplicas > x.replicas)) {
      const n = counts.get(c.name) ?? { extra: 0, placed: 0, gpus: c.gpusPerPod };
      autoscalers.push({
        set: s,
        plan: { target: `clique ${c.name}`, templateReplicas: c.replicas, maxReplicas: c.maxReplicas, extra: n.extra, extraPlaced: n.placed, gpusEach: c.gpusPerPod },
      });
    }
    const templateNames = new Set(s.gangs.gangs.map(g => g.name));
    for (const g of s.gangs.scalingGroups.filter(x => x.maxReplicas > x.replicas)) {
      const extra = s.gangs.maxGangs.filter(x => x.kind === 'scaled' && x.scalingGroup === g.name && !templateNames.has(x.name));
      let ok = 0;
      for (const gang of extra) {
        const failure = placeGang(gang);
        if (failure === undefined) ok++;
        else growthFailures.push(failure);
      }
      autoscalers.push({
        set: s,
        plan: { target: `scaling group ${g.name}`, templateReplicas: g.replicas, maxReplicas: g.maxReplicas, extra: extra.length, extraPlaced: ok, gpusEach: extra[0]?.gpus ?? 0 },
      });
    }
  }
  return { base, template, maximum: stage(growthFailures), autoscalers };
}

/** Why a gang does not fit: what it needs on its own versus what the pools have left. */
function capacityReason(packer: Packer, set: PcsGangs, gang: PodGang, reason: string): string {
  const gpuPods = gang.pods.filter(p => p.gpus > 0).length;
  const alone = new Packer(packer.pools.map(p => ({ ...p, nodes: Math.max(1, gpuPods) })));
  const failure = alone.place(gangUnit(set, gang));
  if (failure !== undefined) {
    return `it can never fit on these pools: ${failure.reason}`;
  }
  const needs = usedNodes(alone.usage()).map(n => `${n.nodes} ${n.sku} node(s)`).join(' and ');
  const have = packer.usage().map((u, i) => `pool ${u.name} has ${packer.emptyNodes(i)} empty of ${u.nodes} node(s) and ${u.gpusFree} free GPUs`).join('; ');
  return `needs ${needs} on its own; ${have}${reason.includes('pack.required') ? ` (${reason})` : ''}`;
}

function unplaced(gang: PodGang, reason: string): UnplacedGang {
  return { gang: gang.name, kind: gang.kind, pods: gang.pods.length, gpus: gang.gpus, reason };
}

function isDefined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

/** `Standard_ND96isr_H100_v5=4` or `NAME:Standard_ND96isr_H100_v5=4`. */
export function parsePoolFlag(flag: string): PlanPool {
  const m = /^(?:([^:=]+):)?([^:=]+)=(\d+)$/.exec(flag.trim());
  if (m === null) {
    throw new UsageError(`--pool must look like SKU=NODES or NAME:SKU=NODES (e.g. Standard_ND96isr_H100_v5=4), got "${flag}"`);
  }
  return { ...(m[1] === undefined ? {} : { name: m[1] }), sku: m[2], nodes: Number(m[3]) };
}

/** Reads `--pools file.yaml`: a list of `{name?, sku, nodes}`, or `{pools: [...]}`. */
export function readPoolsFile(file: string, io: InputIo): PlanPool[] {
  let data: unknown;
  try {
    data = parse(fs.readFileSync(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the pools file ${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof import('zod');
  const pool = z.object({ name: z.string().min(1).optional(), sku: z.string().min(1), nodes: z.number().int().min(0) }).strict();
  const schema = Array.isArray(data) ? z.array(pool) : z.object({ pools: z.array(pool) }).strict();
  const result = schema.safeParse(data);
  if (!result.success) {
    const shown = result.error.issues.map(i => `${i.path.map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '<root>'}: ${i.message}`);
    throw new UsageError(`${file}: invalid pools (expected a list of {name?, sku, nodes} or {pools: [...]}):\n  ${shown.join('\n  ')}`);
  }
  const parsed = result.data as PlanPool[] | { pools: PlanPool[] };
  return Array.isArray(parsed) ? parsed : parsed.pools;
}

/** The text report. */
export function formatPlanText(report: PlanReport): string {
  const lines: string[] = [];
  const nodeText = (nodes: readonly PoolNodes[]): string => (nodes.length === 0 ? '0 nodes' : nodes.map(n => `${n.nodes} ${n.pool === n.sku ? n.sku : `${n.sku} (pool ${n.pool})`}`).join(' + '));
  for (const f of report.problems) lines.push(formatFinding(f));
  if (report.problems.length > 0) lines.push('');
  for (const pcs of report.podCliqueSets) {
    lines.push(`PodCliqueSet ${pcs.name} (${pcs.file}:${pcs.line}): ${plural(pcs.replicas, 'replica')}`);
    const rows = pcs.gangs.map(g => [
      g.name, g.kind + (g.atTemplate ? '' : ' (autoscaled)'), String(g.pods), String(g.gpus),
      g.impossible === undefined ? nodeText(g.nodesNeeded) : `never fits: ${g.impossible}`,
    ]);
    lines.push(...table(['gang', 'kind', 'pods', 'GPUs', 'nodes needed on its own'], rows).map(l => `  ${l}`));
    if (pcs.gangs.length === 0) lines.push('  no gangs: spec.replicas is 0');
    for (const a of pcs.autoscalers) {
      const unit = a.target.startsWith('clique') ? 'pod' : 'scaled gang';
      const gpus = a.gpusEach === 0 ? 'no GPUs' : `${a.gpusEach} GPUs each`;
      lines.push(`  autoscaler: ${a.target} ${a.templateReplicas} -> ${a.maxReplicas} replicas: ${a.extraPlaced} of ${plural(a.extra, `extra ${unit}`)} fit (${gpus})`);
    }
    lines.push('');
  }
  lines.push(`pools: ${report.pools.map(p => `${p.pool === p.sku ? p.sku : `${p.pool} (${p.sku})`} ${plural(p.nodes, 'node')} x ${p.gpusPerNode} GPUs`).join(', ')}`);
  lines.push(`nodes needed: base gangs ${nodeText(report.nodesNeeded.baseGangs)}; template replicas ${nodeText(report.nodesNeeded.template)}; `
    + `autoscaler maximum ${nodeText(report.nodesNeeded.maximum)}`
    + `${report.nodesNeeded.neverFit.length === 0 ? '' : ` (leaving out ${report.nodesNeeded.neverFit.join(', ')}, which never fit${report.nodesNeeded.neverFit.length === 1 ? 's' : ''})`}`);
  const stageText = (name: string, s: StagePlan): string => {
    const used = s.pools.map(p => `${p.nodesUsed} of ${p.nodes} ${p.name === p.sku ? p.sku : `pool ${p.name}`} nodes`).join(', ');
    return s.fits
      ? `${name}: fit (${plural(s.placed.length, 'gang')} placed, ${s.gpusUsed} GPUs on ${used}; ${s.gpusStranded} GPUs stranded)`
      : `${name}: DO NOT FIT (${plural(s.placed.length, 'gang')} placed, ${s.gpusUsed} GPUs on ${used}; ${s.gpusStranded} GPUs stranded)`
        + `${s.unplaced.length === 0 ? ': an earlier stage does not fit' : `: ${s.unplaced.map(u => u.reason).join('; ')}`}`;
  };
  lines.push(stageText('base gangs', report.baseGangs));
  lines.push(stageText('template replicas', report.template));
  lines.push(stageText('autoscaler maximum', report.maximum));
  lines.push(report.ok ? 'plan: the base gangs fit' : `plan: ${report.problems.length > 0 ? 'some PodCliqueSets could not be read' : 'the base gangs do not fit'}`);
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
  const numeric = [false, false, true, true, false];
  return all.map(r => r.map((c, i) => (i === r.length - 1 ? c : numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}

/** `cdk8s-grove plan`. */
export const PLAN_COMMAND: CommandSpec = {
  name: 'plan',
  summary: 'show the PodGangs of each PodCliqueSet and whether they fit on GPU node pools',
  usage: 'cdk8s-grove plan --pool SKU=NODES... [options] PATH...',
  description: `
For each PodCliqueSet: its gangs (base and scaled, up to the autoscalers' maximum) with pods, GPUs and the nodes
each needs on its own; then whether the base gangs fit together on the pools, whether the template's replicas
fit, how far the autoscalers can go, and how many GPUs are stranded (free on partly used nodes).

Packing counts nvidia.com/gpu per node (a pod never spans nodes) and keeps each group with a pack.required
constraint inside one domain: host/numa = one node, rack = one NVLink domain (GB200 NVL72) or else one pool,
other domains = one pool (one InfiniBand fabric), zone/region/datacenter = anywhere.

Pools: --pool SKU=NODES or --pool NAME:SKU=NODES (repeatable), or --pools FILE with a YAML list of
{name, sku, nodes}. Known SKUs: ${nodeSkus().map((s: NodeSku) => s.name).join(', ')}.
Exit status: 0 when the base gangs fit, 1 when a base gang cannot fit (or a PodCliqueSet cannot be read), 2 bad usage.`,
  options: [
    formatOption(['text', 'json']),
    { name: 'pool', kind: 'list', valueName: '[NAME:]SKU=NODES', description: 'a GPU node pool' },
    { name: 'pools', kind: 'value', valueName: 'FILE', description: 'YAML file with a list of pools ({name, sku, nodes})' },
    HELP_OPTION,
  ],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length === 0) {
      throw new UsageError('plan needs at least one PATH (a file, a folder or - for stdin)');
    }
    const pools = [...(args.lists.get('pool') ?? []).map(parsePoolFlag)];
    const poolsFile = args.values.get('pools');
    if (poolsFile !== undefined) pools.push(...readPoolsFile(poolsFile, io));
    if (pools.length === 0) {
      throw new UsageError('plan needs node pools: --pool SKU=NODES (e.g. --pool Standard_ND96isr_H100_v5=4) or --pools FILE');
    }
    const input = loadInputs(args.positionals, io);
    const report = planObjects(input, pools);
    io.stdout(args.values.get('format') === 'json' ? toJson({ command: 'plan', ...report }) : formatPlanText(report));
    return report.ok ? EXIT_OK : EXIT_PROBLEMS;
  },
};

/**
 * `cdk8s-grove plan`: the PodGangs of each PodCliqueSet and whether they can be placed on a cluster, with the
 * scheduler's own "why pending" answer for every pod that cannot.
 *
 * The cluster is a model (`lib/cluster`): from a YAML file (`--cluster`), or from `--pool SKU=N` flags, each the
 * pool a `GpuNodePool` creates by default (AKS labels, the `nvidia.com/gpu=present:NoSchedule` taint, allocatable
 * CPU, memory, pods and GPUs, and the SKU's InfiniBand RDMA device `rdma/ib`, one per HCA, as the SR-IOV device
 * plugin advertises it). Placement is the cluster model's engine (`simulate`): base gangs, then scaled gangs, then
 * the autoscalers' maxima.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { GroveValidationError } from '../errors';
import { findNodeSku, nodeSkus } from '../catalog';
import {
  AutoscalerResult, ClusterModel, clusterModelFromFile, gpuPool, GPU, PoolModel, PoolUsage, readWorkload, simulate,
  SimWorkload, StageResult, sum, withPoolsOfAtLeast,
} from '../cluster';
import { HELP_OPTION, ParsedArgs, UsageError } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import { InputIo, LoadedInput, SourceObject, isKind, loadInputs } from './input';
import { Finding, Io, toJson } from './output';
import { formatPlanText } from './plan-text';
import { placementMermaid, placementSvg } from './plan-picture';

/** A node pool as given on the command line. */
export interface PlanPool {
  /**
   * Pool name (the `kubernetes.azure.com/agentpool` label and, when given, the `kai.scheduler/node-pool` label).
   * @default - the SKU name, in KAI's default shard
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
  /** Nodes the gang needs on its own, per pool, on pools as large as needed. */
  readonly nodesNeeded: readonly PoolNodes[];
  /**
   * Why the gang can never be placed on this cluster's kinds of nodes.
   * @default - it can be placed on enough empty nodes
   */
  readonly impossible?: string;
}

/** How far one autoscaler can go. */
export type AutoscalerPlan = Omit<AutoscalerResult, 'podCliqueSet'>;

/** The plan of one PodCliqueSet. */
export interface PodCliqueSetPlan {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly replicas: number;
  readonly gangs: readonly GangPlan[];
  readonly autoscalers: readonly AutoscalerPlan[];
}

/** A pod on its node, for the report. */
export interface PodPlacement {
  readonly pod: string;
  readonly gang: string;
  readonly clique: string;
  readonly node: string;
  readonly gpus: number;
}

/** The cluster after one stage of placement, with each pod on its node. */
export type StagePlan = Omit<StageResult, 'placements'> & { readonly placements: readonly PodPlacement[] };

/** Everything `plan` found. */
export interface PlanReport {
  /** True when the base gangs of every PodCliqueSet fit together (and every PodCliqueSet could be read). */
  readonly ok: boolean;
  readonly pools: readonly (PoolNodes & { readonly gpusPerNode: number })[];
  /** The cluster model placed on. */
  readonly cluster: ClusterModel;
  readonly podCliqueSets: readonly PodCliqueSetPlan[];
  /** Nodes needed per pool, with pools as large as needed. Gangs in `neverFit` are left out. */
  readonly nodesNeeded: {
    readonly baseGangs: readonly PoolNodes[];
    readonly template: readonly PoolNodes[];
    readonly maximum: readonly PoolNodes[];
    readonly neverFit: readonly string[];
  };
  readonly baseGangs: StagePlan;
  readonly template: StagePlan;
  readonly maximum: StagePlan;
  readonly problems: readonly Finding[];
}

/** The model of `--pool` flags: each pool as a `GpuNodePool` creates it by default. */
export function poolsModel(pools: readonly PlanPool[]): ClusterModel {
  const out: PoolModel[] = [];
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
    out.push(gpuPool(sku, p.nodes, {
      name,
      ...(p.name === undefined ? {} : { kaiNodePool: p.name }),
      ...(sku.rdmaResource === undefined ? {} : { extendedResources: { [sku.rdmaResource]: sku.infinibandHcas } }),
    }));
  }
  return { pools: out };
}

interface PcsEntry {
  readonly src: SourceObject;
  readonly workload: SimWorkload;
}

/** Plans the PodCliqueSets of the input on a cluster model (or `--pool` pools). Pure. */
export function planObjects(input: LoadedInput, cluster: ClusterModel | readonly PlanPool[]): PlanReport {
  const model = Array.isArray(cluster) ? poolsModel(cluster as readonly PlanPool[]) : cluster as ClusterModel;
  const problems: Finding[] = input.problems.map(p => ({
    severity: 'error', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: p.message, fix: 'correct the YAML syntax', rule: 'yaml',
  }));
  const sets: PcsEntry[] = [];
  for (const src of input.objects.filter(o => isKind(o.object, 'grove.io', 'PodCliqueSet'))) {
    try {
      sets.push({ src, workload: readWorkload(src.object, { kaiNodePoolLabelKey: model.kaiNodePoolLabelKey }) });
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
  const workloads = sets.map(s => s.workload);
  const run = simulate(model, workloads);
  const bound = Math.max(1, sum(workloads.flatMap(w => w.maximum.map(g => g.pods.length))));
  const large = withPoolsOfAtLeast(model, bound);
  const unlimited = simulate(large, workloads);

  const podCliqueSets: PodCliqueSetPlan[] = sets.map(s => {
    const w = s.workload;
    const templateNames = new Set(w.template.map(g => g.name));
    const shown = [...w.template, ...w.maximum.filter(g => !templateNames.has(g.name))];
    const catalogGang = new Map(w.gangs.maxGangs.map(g => [g.name, g]));
    return {
      name: w.name,
      file: s.src.file,
      line: s.src.line,
      replicas: w.gangs.replicas,
      gangs: shown.map(g => {
        const { baseGang: _base, ...solo } = g;
        const alone = simulate(withPoolsOfAtLeast(model, Math.max(1, g.pods.length)), [{ ...w, template: [solo], maximum: [solo] }]);
        const failure = alone.base.unplaced[0] ?? alone.template.unplaced[0];
        return {
          name: g.name,
          kind: g.kind,
          atTemplate: templateNames.has(g.name),
          pods: g.pods.length,
          gpus: sum(g.pods.map(p => p.requests[GPU] ?? 0)),
          minPods: catalogGang.get(g.name)?.minPods ?? g.pods.length,
          nodesNeeded: failure === undefined ? usedNodes(alone.template.pools) : [],
          ...(failure === undefined ? {} : { impossible: failure.reason }),
        };
      }),
      autoscalers: run.autoscalers.filter(a => a.podCliqueSet === w.name)
        .map(a => ({ target: a.target, templateReplicas: a.templateReplicas, maxReplicas: a.maxReplicas, extra: a.extra, extraPlaced: a.extraPlaced, gpusEach: a.gpusEach })),
    };
  });

  return {
    ok: problems.length === 0 && run.base.fits,
    pools: model.pools.map(p => ({ pool: p.name, sku: p.sku ?? p.name, nodes: p.nodes, gpusPerNode: p.allocatable[GPU] ?? 0 })),
    cluster: model,
    podCliqueSets,
    nodesNeeded: {
      baseGangs: usedNodes(unlimited.base.pools),
      template: usedNodes(unlimited.template.pools),
      maximum: usedNodes(unlimited.maximum.pools),
      neverFit: podCliqueSets.flatMap(p => p.gangs.filter(g => g.impossible !== undefined).map(g => g.name)),
    },
    baseGangs: stagePlan(run.base),
    template: stagePlan(run.template),
    maximum: stagePlan(run.maximum),
    problems,
  };
}

function usedNodes(usage: readonly PoolUsage[]): PoolNodes[] {
  return usage.filter(u => u.nodesUsed > 0).map(u => ({ pool: u.name, sku: u.sku, nodes: u.nodesUsed }));
}

function stagePlan(s: StageResult): StagePlan {
  const { placements, ...rest } = s;
  return {
    ...rest,
    placements: placements.map(p => ({ pod: p.pod.name, gang: p.pod.gang, clique: p.pod.clique, node: p.node, gpus: p.pod.requests[GPU] ?? 0 })),
  };
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

/** Reads `--cluster FILE` (see `lib/cluster/file.ts`). */
export function readClusterFile(file: string, io: InputIo): ClusterModel {
  let data: unknown;
  try {
    data = parse(fs.readFileSync(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the cluster file ${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  try {
    return clusterModelFromFile(data);
  } catch (e) {
    if (e instanceof GroveValidationError) throw new UsageError(`${file}: invalid cluster file:\n  ${e.problems.map(p => `${p.field}: ${p.message}`).join('\n  ')}`);
    throw e;
  }
}

/** `cdk8s-grove plan`. */
export const PLAN_COMMAND: CommandSpec = {
  name: 'plan',
  summary: 'place the PodGangs of each PodCliqueSet on a cluster model, with why each unplaced pod stays Pending',
  usage: 'cdk8s-grove plan (--pool SKU=NODES... | --cluster FILE) [options] PATH...',
  description: `
For each PodCliqueSet: its gangs (base and scaled, up to the autoscalers' maximum) with pods, GPUs and the nodes
each needs on its own; then whether the base gangs can be placed together, whether the template's replicas can,
how far the autoscalers can go, and how many GPUs are stranded (free on partly used nodes).

Each gang is placed all or nothing, pod by pod, with the filters kube-scheduler and KAI apply: the KAI node
pool (shard) of the gang, taints and tolerations, nodeSelector and required node affinity, and CPU, memory,
ephemeral storage, GPUs, extended resources and pods against each node's allocatable. A pod that finds no node
gets the scheduler's own answer ("0/4 nodes are available: 4 node(s) had untolerated taint {...}").
Groups with a pack.required constraint stay inside one domain: host/numa = one node, rack = one NVLink domain
(GB200 NVL72) or else one pool, zone = one zone, region/datacenter = anywhere, other domains = one pool (one
InfiniBand fabric).

Cluster: --cluster FILE (a YAML cluster model: pools with SKU or allocatable, labels, taints, KAI node pool),
or --pool SKU=NODES / --pool NAME:SKU=NODES (repeatable) / --pools FILE ({name, sku, nodes} list): pools as a
GpuNodePool creates them (AKS labels, taint nvidia.com/gpu=present:NoSchedule, allocatable after AKS's
reservations, the SKU's rdma/ib devices; a named pool carries kai.scheduler/node-pool=NAME, an unnamed one is
in KAI's default shard). Known SKUs: ${nodeSkus().map(s => s.name).join(', ')}.
Formats: text, json, svg (a picture of pools, nodes and pods) and mermaid.
Exit status: 0 when the base gangs fit, 1 when a base gang cannot fit (or a PodCliqueSet cannot be read), 2 bad usage.`,
  options: [
    formatOption(['text', 'json', 'svg', 'mermaid']),
    { name: 'pool', kind: 'list', valueName: '[NAME:]SKU=NODES', description: 'a GPU node pool' },
    { name: 'pools', kind: 'value', valueName: 'FILE', description: 'YAML file with a list of pools ({name, sku, nodes})' },
    { name: 'cluster', kind: 'value', valueName: 'FILE', description: 'YAML cluster model (pools, labels, taints, allocatable)' },
    HELP_OPTION,
  ],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length === 0) {
      throw new UsageError('plan needs at least one PATH (a file, a folder or - for stdin)');
    }
    const pools = [...(args.lists.get('pool') ?? []).map(parsePoolFlag)];
    const poolsFile = args.values.get('pools');
    if (poolsFile !== undefined) pools.push(...readPoolsFile(poolsFile, io));
    const clusterFile = args.values.get('cluster');
    if (clusterFile !== undefined && pools.length > 0) {
      throw new UsageError('give either --cluster FILE or --pool/--pools, not both');
    }
    if (clusterFile === undefined && pools.length === 0) {
      throw new UsageError('plan needs node pools: --pool SKU=NODES (e.g. --pool Standard_ND96isr_H100_v5=4), --pools FILE or --cluster FILE');
    }
    const model = clusterFile === undefined ? poolsModel(pools) : readClusterFile(clusterFile, io);
    const input = loadInputs(args.positionals, io);
    const report = planObjects(input, model);
    const format = args.values.get('format') ?? 'text';
    io.stdout(format === 'json' ? toJson({ command: 'plan', ...report })
      : format === 'svg' ? placementSvg(report)
        : format === 'mermaid' ? placementMermaid(report)
          : formatPlanText(report));
    return report.ok ? EXIT_OK : EXIT_PROBLEMS;
  },
};

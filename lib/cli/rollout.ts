/**
 * `cdk8s-grove rollout OLD NEW`: the plan Grove follows to roll each changed PodCliqueSet from OLD to NEW (the
 * planner is lib/rollout; this file reads the inputs and prints).
 */
import type { GroveApiLevel } from '../schema/api-level';
import { OperatorConfig } from '../admission';
import { ClusterModel } from '../cluster';
import { formatRolloutMermaid, formatRolloutText, planRollout, RolloutReport } from '../rollout';
import { groveApiOf, HELP_OPTION, ParsedArgs, UsageError } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import { OPERATOR_OPTIONS, operatorConfigFromArgs } from './config';
import { LoadedInput, loadInputs } from './input';
import { Io, toJson } from './output';
import { parsePoolFlag, poolsModel, readClusterFile, readPoolsFile } from './plan';

/** Options of `rolloutObjects`. */
export interface RolloutCommandOptions {
  /** The Grove API level of the cluster (`--grove-api`). */
  readonly groveApi: GroveApiLevel;
  /** The operator configuration UPDATE admission runs with. */
  readonly operatorConfig: OperatorConfig;
  /**
   * The cluster model to check each step against (`--pool`/`--pools`/`--cluster`, built as `plan` builds it).
   * @default - no capacity check
   */
  readonly cluster?: ClusterModel;
}

/** Plans the update from OLD to NEW. Pure. */
export function rolloutObjects(oldInput: LoadedInput, newInput: LoadedInput, options: RolloutCommandOptions): RolloutReport & { readonly problems: readonly string[] } {
  const problems = [...newInput.problems, ...oldInput.problems].map(p => `${p.file}:${p.line}: ${p.message}`);
  const report = planRollout(oldInput.objects.map(o => o.object), newInput.objects.map(o => o.object), {
    groveApi: options.groveApi,
    operatorConfig: options.operatorConfig,
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
  });
  return { ...report, ok: report.ok && problems.length === 0, problems };
}

/** `cdk8s-grove rollout`. */
export const ROLLOUT_COMMAND: CommandSpec = {
  name: 'rollout',
  summary: 'show the steps Grove takes to roll PodCliqueSets from OLD to NEW, with capacity per step',
  usage: 'cdk8s-grove rollout [options] OLD NEW',
  description: `
For each PodCliqueSet whose pods the update replaces (a clique's labels, annotations or podSpec, or the
template's priorityClassName changed), the plan of PodCliqueSet replica 0 under the strategy in force:
  Coherent         GREP-393's step plan (--grove-api next): MPG steps that each create a gang of
                   minAvailable of every changed component, tail sub-steps bounded by maxUnavailable,
                   and a TPG-only step for the leftover
  RollingRecreate  every changed clique replaces one pod, every changed scaling group one replica,
                   at a time (at the next API level: up to rollingUpdate.maxUnavailable), all at once
  OnDelete         nothing until you delete pods
For every step and sub-step: pods and GPUs down, serving capacity on the old and on the new version in
complete units (minAvailable of every component; the rest of a version's pods are stranded) and, with
a cluster, whether the new pods fit on what the cluster has free (everything else running and the pods
that stay up placed first), judged as plan judges them: KAI node pool, taints and tolerations, node
selector and affinity, CPU, memory, GPUs, extended resources and pods per node. The cluster is given as
for plan: --cluster FILE, or --pool SKU=NODES / --pool NAME:SKU=NODES / --pools FILE (pools as a
GpuNodePool creates them). Refusals and stalls are reported.
Exit status: 0 when every update runs to its end, 1 when one is refused or would stall, 2 bad usage.`,
  options: [
    formatOption(['text', 'json', 'mermaid']),
    { name: 'pool', kind: 'list', valueName: '[NAME:]SKU=NODES', description: 'a GPU node pool to check each step against' },
    { name: 'pools', kind: 'value', valueName: 'FILE', description: 'YAML file with a list of pools ({name, sku, nodes})' },
    { name: 'cluster', kind: 'value', valueName: 'FILE', description: 'YAML cluster model (pools, labels, taints, allocatable), as for plan' },
    ...OPERATOR_OPTIONS,
    HELP_OPTION,
  ],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length !== 2) {
      throw new UsageError(`rollout needs exactly two paths, OLD and NEW, got ${args.positionals.length}`);
    }
    const [oldPath, newPath] = args.positionals;
    if (oldPath === '-' && newPath === '-') {
      throw new UsageError('only one of OLD and NEW can be - (stdin)');
    }
    const pools = (args.lists.get('pool') ?? []).map(parsePoolFlag);
    const poolsFile = args.values.get('pools');
    if (poolsFile !== undefined) pools.push(...readPoolsFile(poolsFile, io));
    const clusterFile = args.values.get('cluster');
    if (clusterFile !== undefined && pools.length > 0) {
      throw new UsageError('give either --cluster FILE or --pool/--pools, not both');
    }
    const cluster = clusterFile !== undefined ? readClusterFile(clusterFile, io) : pools.length > 0 ? poolsModel(pools) : undefined;
    const report = rolloutObjects(loadInputs([oldPath], io), loadInputs([newPath], io), {
      groveApi: groveApiOf(args), operatorConfig: operatorConfigFromArgs(args, io), ...(cluster === undefined ? {} : { cluster }),
    });
    const format = args.values.get('format') ?? 'text';
    if (format === 'json') {
      io.stdout(toJson({ command: 'rollout', ...report }));
    } else if (format === 'mermaid') {
      io.stdout(formatRolloutMermaid(report));
    } else {
      io.stdout(formatRolloutText(report) + report.problems.map(p => `error: ${p}\n`).join(''));
    }
    return report.ok ? EXIT_OK : EXIT_PROBLEMS;
  },
};

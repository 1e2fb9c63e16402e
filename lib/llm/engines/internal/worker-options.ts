/**
 * Validation and defaulting shared by the three engines' `worker()`.
 */
import { GroveValidationError, ValidationProblem } from '../../../errors';
import { DEFAULT_COMPONENT_NAME } from '../dynamo-runtime';
import { cliqueNameProblems } from '../multi-node';
import { EngineKind, MultiNodePart, WORKER_ROLES, WorkerOptions } from '../types';

/** Multi-node options with the clique names resolved. */
export interface ResolvedMultiNode {
  /** Pods per engine instance. */
  readonly nodes: number;
  /** GPUs per pod. */
  readonly gpusPerNode: number;
  /** Which pod. */
  readonly part: MultiNodePart;
  /** Leader clique name (defaulted). */
  readonly leaderClique: string;
  /** Worker clique name (defaulted). */
  readonly workerClique: string;
}

/** The locator used in error messages, e.g. `engines/vllm/prefill`. */
export function locatorFor(kind: EngineKind, opts: WorkerOptions): string {
  return `engines/${kind}/${opts.role}`;
}

function positiveInteger(locator: string, field: string, value: number, min: number): ValidationProblem[] {
  if (Number.isInteger(value) && value >= min) {
    return [];
  }
  return [{ constructPath: locator, field, message: `must be an integer >= ${min}`, value }];
}

/**
 * Problems common to every engine: role, model, parallel sizes, multi-node shape and clique names, and
 * extra flags that repeat a flag the engine manages.
 *
 * @param kind the engine
 * @param opts the worker options
 * @param managedFlags flags the engine emits itself (must not appear in `extraArgs`)
 */
export function commonProblems(kind: EngineKind, opts: WorkerOptions, managedFlags: readonly string[]): ValidationProblem[] {
  const at = locatorFor(kind, opts);
  const problems: ValidationProblem[] = [];
  if (!WORKER_ROLES.includes(opts.role)) {
    problems.push({ constructPath: at, field: 'role', message: `must be one of ${WORKER_ROLES.join(', ')}`, value: opts.role });
  }
  if (opts.model.trim().length === 0) {
    problems.push({ constructPath: at, field: 'model', message: 'must not be empty', value: opts.model });
  }
  problems.push(...positiveInteger(at, 'tensorParallel', opts.tensorParallel, 1));
  problems.push(...positiveInteger(at, 'pipelineParallel', opts.pipelineParallel, 1));
  if (opts.dataParallel !== undefined) {
    problems.push(...positiveInteger(at, 'dataParallel', opts.dataParallel, 1));
  }
  for (const arg of opts.extraArgs ?? []) {
    const flag = arg.split('=')[0];
    if (managedFlags.includes(flag)) {
      problems.push({
        constructPath: at,
        field: 'extraArgs',
        message: `must not repeat ${flag}, which the ${kind} engine sets from the typed options`,
        value: arg,
        fix: 'remove it from extraArgs and set the corresponding option instead',
      });
    }
  }
  const mn = opts.multiNode;
  if (mn !== undefined) {
    problems.push(...positiveInteger(at, 'multiNode.nodes', mn.nodes, 2));
    problems.push(...positiveInteger(at, 'multiNode.gpusPerNode', mn.gpusPerNode, 1));
    if (mn.part !== MultiNodePart.LEADER && mn.part !== MultiNodePart.WORKER) {
      problems.push({ constructPath: at, field: 'multiNode.part', message: 'must be leader or worker', value: mn.part });
    }
    if (mn.leaderClique !== undefined) {
      problems.push(...cliqueNameProblems(at, 'multiNode.leaderClique', mn.leaderClique));
    }
    if (mn.workerClique !== undefined) {
      problems.push(...cliqueNameProblems(at, 'multiNode.workerClique', mn.workerClique));
    }
  }
  return problems;
}

/** Throws a `GroveValidationError` holding the problems, if there are any. */
export function throwIf(problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) {
    throw new GroveValidationError(problems);
  }
}

/**
 * The multi-node options with clique names defaulted to `<component>-ldr` / `<component>-wkr`.
 *
 * @param opts the (validated) worker options
 */
export function resolveMultiNode(opts: WorkerOptions): ResolvedMultiNode | undefined {
  const mn = opts.multiNode;
  if (mn === undefined) {
    return undefined;
  }
  const component = DEFAULT_COMPONENT_NAME[opts.role];
  return {
    nodes: mn.nodes,
    gpusPerNode: mn.gpusPerNode,
    part: mn.part,
    leaderClique: mn.leaderClique ?? `${component}-ldr`,
    workerClique: mn.workerClique ?? `${component}-wkr`,
  };
}

/**
 * The problem reported when the engine instance's world size does not use exactly the GPUs its pods request.
 *
 * @param at locator
 * @param what description of the world size (e.g. `tensorParallel × pipelineParallel`)
 * @param worldSize the computed world size
 * @param mn the multi-node shape
 */
export function worldSizeProblem(at: string, what: string, worldSize: number, mn: ResolvedMultiNode): ValidationProblem {
  return {
    constructPath: at,
    field: 'multiNode',
    message: `${what} must equal multiNode.nodes × multiNode.gpusPerNode (${mn.nodes} × ${mn.gpusPerNode} = ${mn.nodes * mn.gpusPerNode})`,
    value: worldSize,
    fix: 'change the parallel sizes or the node shape so that every requested GPU runs one rank',
  };
}

/**
 * The served-model-name and parallelism flags vLLM and TensorRT-LLM share (`--served-model-name`,
 * `--tensor-parallel-size`, `--pipeline-parallel-size`; sizes of 1 are the engines' defaults and left out).
 */
export function servedNameAndParallelismArgs(opts: WorkerOptions): string[] {
  const args: string[] = [];
  if (opts.servedModelName !== undefined) {
    args.push('--served-model-name', opts.servedModelName);
  }
  if (opts.tensorParallel > 1) {
    args.push('--tensor-parallel-size', String(opts.tensorParallel));
  }
  if (opts.pipelineParallel > 1) {
    args.push('--pipeline-parallel-size', String(opts.pipelineParallel));
  }
  return args;
}

/**
 * SGLang launch knowledge (`python3 -m dynamo.sglang`).
 *
 * Worker flags (reference folder `dynamo/` unless marked upstream):
 * - recipes/deepseek-r1_sglang_disagg-16gpu_deploy.yaml: `--model-path`, `--served-model-name`, TP 16 over two
 *   8-GPU pods, `--skip-tokenizer-init`, `--disaggregation-mode prefill|decode`,
 *   `--disaggregation-bootstrap-port 30001`, `--host 0.0.0.0`; decode adds `--dp 16 --enable-dp-attention`.
 * - upstream examples/backends/sglang/deploy/v1beta1/disagg.yaml and disagg-multinode.yaml (Dynamo 1.3.x):
 *   `--disaggregation-transfer-backend nixl` for NIXL KV transfer, `--tp-size`, working directory
 *   `/workspace/examples/backends/sglang`, and `GLOO_SOCKET_IFNAME=eth0` on multi-node graphs;
 *   upstream agg_router.yaml: `--kv-events-config {"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}`.
 * The recipe writes `--tp`/`--dp`, which SGLang only accepts as argparse abbreviations of `--tp-size`/`--dp-size`;
 * the canonical spellings are emitted.
 *
 * Multi-node follows the Dynamo operator's SGLang backend (GROVE_TRANSLATION.md §5; GOLDEN.md G2):
 * `--dist-init-addr <leader>:29500 --nnodes N --node-rank <r>`, leader rank 0, worker rank from the pod index.
 */
import { ValidationProblem } from '../../errors';
import { runtimeImage, WORKER_PORTS, workerProbes, workerRuntimeEnv } from './dynamo-runtime';
import { shellJoin } from './internal/shell';
import { commonProblems, locatorFor, resolveMultiNode, throwIf, worldSizeProblem } from './internal/worker-options';
import { GROVE_WORKER_NODE_RANK, groveLeaderHost, startsAfterFor } from './multi-node';
import { Engine, EngineKind, EnvVar, LaunchSpec, MultiNodePart, MultiNodeStartOrder, ServingRole, WorkerOptions, WorkerRole } from './types';

/** Port of SGLang's torch.distributed rendezvous on the leader (`--dist-init-addr <leader>:29500`, GOLDEN.md G2). */
export const SGLANG_DIST_INIT_PORT = 29500;

/** Bootstrap port the prefill server listens on for decode handshakes (recipe and multi-node example: 30001). */
export const SGLANG_DEFAULT_BOOTSTRAP_PORT = 30001;

/** Working directory of the Dynamo 1.3.x SGLang examples (the 0.7.0 recipe image used `/sgl-workspace/dynamo`). */
export const SGLANG_WORKING_DIR = '/workspace/examples/backends/sglang';

/** KV-event publisher configuration of upstream examples/backends/sglang/deploy/v1beta1/agg_router.yaml. */
export const SGLANG_KV_EVENTS_CONFIG = { publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:5557' } as const;

/** Flags the SGLang engine sets from typed options; they must not appear in `extraArgs`. */
export const SGLANG_MANAGED_FLAGS: readonly string[] = [
  '--model-path', '--served-model-name', '--tp-size', '--tp', '--tensor-parallel-size', '--pp-size', '--pipeline-parallel-size',
  '--dp-size', '--dp', '--data-parallel-size', '--skip-tokenizer-init', '--disaggregation-mode', '--disaggregation-transfer-backend',
  '--disaggregation-bootstrap-port', '--kv-events-config', '--dist-init-addr', '--nnodes', '--node-rank',
];

/** Options of `sglangEngine()`. */
export interface SglangEngineOptions {
  /**
   * Runtime image.
   * @default - `nvcr.io/nvidia/ai-dynamo/sglang-runtime:<DYNAMO_VERSION>`
   */
  readonly image?: string;
  /**
   * Disaggregation bootstrap port (`--disaggregation-bootstrap-port`), the same on prefill and decode.
   * @default SGLANG_DEFAULT_BOOTSTRAP_PORT
   */
  readonly bootstrapPort?: number;
}

const MODULE = 'dynamo.sglang';
const PYTHON = ['python3', '-m', MODULE];

/**
 * An SGLang engine.
 *
 * @param options image and bootstrap port
 */
export function sglangEngine(options: SglangEngineOptions = {}): Engine {
  const image = options.image ?? runtimeImage(EngineKind.SGLANG);
  const bootstrapPort = options.bootstrapPort ?? SGLANG_DEFAULT_BOOTSTRAP_PORT;
  const kvEventsRoles: readonly WorkerRole[] = [ServingRole.PREFILL, ServingRole.DECODE, ServingRole.AGGREGATED];
  const startOrder = MultiNodeStartOrder.ANY_ORDER;

  function worker(opts: WorkerOptions): LaunchSpec {
    const at = locatorFor(EngineKind.SGLANG, opts);
    throwIf(commonProblems(EngineKind.SGLANG, opts, SGLANG_MANAGED_FLAGS));
    const mn = resolveMultiNode(opts);
    if (mn !== undefined) {
      const world = opts.tensorParallel * opts.pipelineParallel;
      const problems: ValidationProblem[] = [];
      // With --enable-dp-attention SGLang's data parallelism lives inside the TP group, so DP does not
      // multiply the GPU count (the recipe's decode runs TP 16 and DP 16 on 16 GPUs).
      if (world !== mn.nodes * mn.gpusPerNode) {
        problems.push(worldSizeProblem(at, 'tensorParallel × pipelineParallel', world, mn));
      }
      throwIf(problems);
    }
    const base = engineArgs(opts, bootstrapPort, kvEventsRoles);
    const env: EnvVar[] = [...workerRuntimeEnv()];
    if (mn !== undefined) {
      env.push({ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' });
    }
    env.push(...(opts.extraEnv ?? []));
    const common = { image, env, ports: WORKER_PORTS, sharedMemory: true, workingDir: SGLANG_WORKING_DIR };
    if (mn === undefined) {
      return { ...common, command: PYTHON, args: base, ...workerProbes() };
    }
    const dist = ['--dist-init-addr', `${groveLeaderHost(mn.leaderClique)}:${SGLANG_DIST_INIT_PORT}`, '--nnodes', String(mn.nodes)];
    if (mn.part === MultiNodePart.LEADER) {
      return { ...common, command: PYTHON, args: [...base, ...dist, '--node-rank', '0'], ...workerProbes() };
    }
    // Non-leader ranks keep no probes (GOLDEN.md G2 worker-wkr), and need a shell for the rank arithmetic.
    const line = `exec ${shellJoin([...PYTHON, ...base])} ${dist.join(' ')} --node-rank ${GROVE_WORKER_NODE_RANK}`;
    return { ...common, command: ['/bin/sh', '-c'], args: [line] };
  }

  return {
    kind: EngineKind.SGLANG,
    defaultImage: image,
    workingDir: SGLANG_WORKING_DIR,
    pythonModule: MODULE,
    ports: WORKER_PORTS,
    multiNode: { startOrder, rendezvousPort: SGLANG_DIST_INIT_PORT, workerNodeRank: GROVE_WORKER_NODE_RANK, workerProbe: 'none' },
    kvTransfer: {
      mechanism: 'NIXL through SGLang\'s disaggregation transfer backend: --disaggregation-transfer-backend nixl on both roles, '
        + `plus a shared --disaggregation-bootstrap-port (${bootstrapPort})`,
      requiredOn: [ServingRole.PREFILL, ServingRole.DECODE],
      parallelismMustMatch: false,
      source:
        'upstream examples/backends/sglang/deploy/v1beta1/disagg*.yaml set the transfer backend on both roles; '
        + 'recipes/deepseek-r1_sglang_disagg-16gpu_deploy.yaml runs prefill without DP and decode with --dp 16 --enable-dp-attention',
    },
    kvEventsRoles,
    worker,
    multiNodeStartsAfter: cliques => startsAfterFor(startOrder, cliques),
    instanceGpus: p => p.tensorParallel * p.pipelineParallel,
  };
}

/** The default SGLang engine (pinned runtime image, bootstrap port 30001). */
export const SGLANG: Engine = sglangEngine();

function engineArgs(opts: WorkerOptions, bootstrapPort: number, kvEventsRoles: readonly WorkerRole[]): string[] {
  const args = ['--model-path', opts.model];
  if (opts.servedModelName !== undefined) {
    args.push('--served-model-name', opts.servedModelName);
  }
  args.push('--tp-size', String(opts.tensorParallel));
  if (opts.pipelineParallel > 1) {
    args.push('--pp-size', String(opts.pipelineParallel));
  }
  if (opts.dataParallel !== undefined) {
    args.push('--dp-size', String(opts.dataParallel));
  }
  // Every Dynamo SGLang example skips the engine tokenizer: the Dynamo frontend tokenizes.
  args.push('--skip-tokenizer-init');
  if (opts.role !== ServingRole.AGGREGATED) {
    args.push('--disaggregation-mode', opts.role);
    if (opts.kvTransfer) {
      args.push('--disaggregation-transfer-backend', 'nixl');
    }
    args.push('--disaggregation-bootstrap-port', String(bootstrapPort), '--host', '0.0.0.0');
  }
  if (opts.kvEvents && kvEventsRoles.includes(opts.role)) {
    args.push('--kv-events-config', JSON.stringify(SGLANG_KV_EVENTS_CONFIG));
  }
  args.push(...(opts.extraArgs ?? []));
  return args;
}

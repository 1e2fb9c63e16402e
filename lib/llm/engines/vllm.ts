/**
 * vLLM launch knowledge (`python3 -m dynamo.vllm`).
 *
 * Worker flags follow the v1beta1 examples (reference folder `dynamo/`):
 * - examples/vllm_disagg.v1beta1.yaml and examples/vllm_disagg_router.v1beta1.yaml: prefill
 *   `--disaggregation-mode prefill --kv-transfer-config {"kv_connector":"NixlConnector","kv_role":"kv_both"}`,
 *   decode `--disaggregation-mode decode`, KV events on prefill
 *   `--kv-events-config {"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:20080","enable_kv_cache_events":true}`;
 * - examples/vllm_disagg-multinode.v1beta1.yaml: `--tensor-parallel-size` across two pods, a
 *   `--kv-transfer-config` on both roles that pins `engine_id`;
 * - recipes/llama-3-70b_vllm_disagg-*-node_deploy.yaml: `--served-model-name`, `--data-parallel-size`.
 * The older `--is-prefill-worker` / `--is-decode-worker` (examples/*.v1alpha1.yaml) are not emitted.
 *
 * Multi-node rewriting follows the Dynamo operator's vLLM backend (GROVE_TRANSLATION.md §5; GOLDEN.md G3,
 * G5): when TP×PP exceeds one pod's GPUs the instance runs distributed, with the multiprocessing executor
 * (`mp`, the operator default for graphs created by operator ≥ 1.0.0) or Ray; when only TP×PP×DP exceeds
 * it, every pod runs its own data-parallel ranks in hybrid load-balancing mode.
 */
import { ValidationProblem } from '../../errors';
import { runtimeImage, WORKER_PORTS, workerProbes, workerRuntimeEnv } from './dynamo-runtime';
import { shellJoin } from './internal/shell';
import { commonProblems, locatorFor, servedNameAndParallelismArgs, ResolvedMultiNode, resolveMultiNode, throwIf, worldSizeProblem } from './internal/worker-options';
import { GROVE_INSTANCE_ID, GROVE_WORKER_NODE_RANK, GroveEnv, groveLeaderHost, startsAfterFor } from './multi-node';
import { Engine, EngineKind, EnvVar, LaunchSpec, MultiNodePart, MultiNodeStartOrder, ServingRole, WorkerOptions, WorkerRole } from './types';

/** vLLM's distributed executor for TP/PP spanning several pods. */
export const VllmExecutor = {
  /**
   * vLLM native multiprocessing: the leader runs with `--node-rank 0`, workers run headless with their own
   * rank. The operator's choice for graphs created by operator ≥ 1.0.0 (`VLLMMultiprocessing` gate).
   */
  MP: 'mp',
  /** Ray: the leader starts a Ray head and vLLM; workers only join the Ray cluster (GOLDEN.md G3). */
  RAY: 'ray',
} as const;

/** One of the `VllmExecutor` values. */
export type VllmExecutor = (typeof VllmExecutor)[keyof typeof VllmExecutor];

/** Coordination port of the `mp` executor (`--master-port`; `VLLMMpMasterPort` in the operator). */
export const VLLM_MP_MASTER_PORT = 29500;

/** Port of the Ray head the leader starts (GOLDEN.md G3: `ray start --head --port=6379`). */
export const VLLM_RAY_PORT = 6379;

/** RPC port of hybrid data-parallel coordination (`--data-parallel-rpc-port`). */
export const VLLM_DP_RPC_PORT = 13445;

/** Working directory of every vLLM example container (examples/vllm_*.yaml). */
export const VLLM_WORKING_DIR = '/workspace/examples/backends/vllm';

/** The NIXL connector configuration every example passes to `--kv-transfer-config`. */
export const VLLM_NIXL_KV_TRANSFER_CONFIG = { kv_connector: 'NixlConnector', kv_role: 'kv_both' } as const;

/** The KV-event publisher configuration of examples/vllm_disagg_router.v1beta1.yaml (`--kv-events-config`). */
export const VLLM_KV_EVENTS_CONFIG = {
  publisher: 'zmq',
  topic: 'kv-events',
  endpoint: 'tcp://*:20080',
  enable_kv_cache_events: true,
} as const;

/** Flags the vLLM engine sets from typed options; they must not appear in `extraArgs`. */
export const VLLM_MANAGED_FLAGS: readonly string[] = [
  '--model', '--served-model-name', '--tensor-parallel-size', '--pipeline-parallel-size', '--data-parallel-size',
  '--disaggregation-mode', '--is-prefill-worker', '--is-decode-worker', '--kv-transfer-config', '--kv-events-config',
  '--distributed-executor-backend', '--nnodes', '--node-rank', '--master-addr', '--master-port', '--headless',
  '--data-parallel-hybrid-lb', '--data-parallel-size-local', '--data-parallel-start-rank', '--data-parallel-address',
  '--data-parallel-rpc-port',
];

/** Options of `vllmEngine()`. */
export interface VllmEngineOptions {
  /**
   * Runtime image.
   * @default - `nvcr.io/nvidia/ai-dynamo/vllm-runtime:<DYNAMO_VERSION>`
   */
  readonly image?: string;
  /**
   * Executor for TP/PP spanning several pods.
   * @default VllmExecutor.MP
   */
  readonly executor?: VllmExecutor;
}

const MODULE = 'dynamo.vllm';
const PYTHON = ['python3', '-m', MODULE];

/** How a multi-node vLLM instance is launched. */
type MultiNodeMode =
  | { readonly kind: 'distributed' }
  | { readonly kind: 'data-parallel'; readonly dpLocal: number };

/**
 * A vLLM engine.
 *
 * @param options image and executor
 */
export function vllmEngine(options: VllmEngineOptions = {}): Engine {
  const image = options.image ?? runtimeImage(EngineKind.VLLM);
  const executor = options.executor ?? VllmExecutor.MP;
  const kvEventsRoles: readonly WorkerRole[] = [ServingRole.PREFILL, ServingRole.AGGREGATED];
  const startOrder = MultiNodeStartOrder.ANY_ORDER;

  function worker(opts: WorkerOptions): LaunchSpec {
    const at = locatorFor(EngineKind.VLLM, opts);
    const problems: ValidationProblem[] = commonProblems(EngineKind.VLLM, opts, VLLM_MANAGED_FLAGS);
    throwIf(problems);
    const mn = resolveMultiNode(opts);
    const mode = mn === undefined ? undefined : multiNodeMode(at, opts, mn);
    const base = engineArgs(opts, kvEventsRoles, mn !== undefined);
    const env: EnvVar[] = [...workerRuntimeEnv()];
    if (mn !== undefined && executor === VllmExecutor.MP) {
      // The operator pins the NIXL side channel to the pod IP on mp multi-node pods.
      env.push({ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFromField: 'status.podIP' });
    }
    env.push(...(opts.extraEnv ?? []));
    const common = { image, env, ports: WORKER_PORTS, sharedMemory: true, workingDir: VLLM_WORKING_DIR };

    if (mn === undefined || mode === undefined) {
      return { ...common, command: PYTHON, args: base, ...workerProbes() };
    }
    const leader = groveLeaderHost(mn.leaderClique);
    const isLeader = mn.part === MultiNodePart.LEADER;
    if (mode.kind === 'data-parallel') {
      const dpFlags = (startRank: string): string[] => [
        '--data-parallel-hybrid-lb', '--data-parallel-size-local', String(mode.dpLocal),
        '--data-parallel-start-rank', startRank, '--data-parallel-address', leader,
        '--data-parallel-rpc-port', String(VLLM_DP_RPC_PORT),
      ];
      if (isLeader) {
        return { ...common, command: PYTHON, args: [...base, ...dpFlags('0')], ...workerProbes() };
      }
      const startRank = `$(( ${mode.dpLocal} * (${GroveEnv.PCLQ_POD_INDEX} + 1) ))`;
      return { ...common, command: ['/bin/sh', '-c'], args: [`exec ${shellJoin([...PYTHON, ...base])} ${dpFlags(startRank).join(' ')}`] };
    }
    if (executor === VllmExecutor.RAY) {
      if (isLeader) {
        const line = `ray start --head --port=${VLLM_RAY_PORT} && ${shellJoin([...PYTHON, ...base])} --distributed-executor-backend ray`;
        return { ...common, command: ['/bin/sh', '-c'], args: [line], ...workerProbes() };
      }
      // Ray workers only host actors the leader places; nothing serves the system port, so no probes.
      return { ...common, command: ['/bin/sh', '-c'], args: [`ray start --address=${leader}:${VLLM_RAY_PORT} --block`] };
    }
    const mpFlags = ['--distributed-executor-backend', 'mp', '--nnodes', String(mn.nodes), '--master-addr', leader, '--master-port', String(VLLM_MP_MASTER_PORT)];
    if (isLeader) {
      return { ...common, command: PYTHON, args: [...base, ...mpFlags, '--node-rank', '0'], ...workerProbes() };
    }
    const line = `exec ${shellJoin([...PYTHON, ...base])} ${mpFlags.join(' ')} --node-rank ${GROVE_WORKER_NODE_RANK} --headless`;
    // backend_vllm.go (UpdatePodSpec): mp followers wait for the leader's master port in an init container.
    return { ...common, command: ['/bin/sh', '-c'], args: [line], waitForLeader: { host: leader, port: VLLM_MP_MASTER_PORT } };
  }

  return {
    kind: EngineKind.VLLM,
    defaultImage: image,
    workingDir: VLLM_WORKING_DIR,
    pythonModule: MODULE,
    ports: WORKER_PORTS,
    multiNode: {
      startOrder,
      rendezvousPort: executor === VllmExecutor.RAY ? VLLM_RAY_PORT : VLLM_MP_MASTER_PORT,
      workerNodeRank: GROVE_WORKER_NODE_RANK,
      workerProbe: 'none',
    },
    kvTransfer: {
      mechanism: 'NIXL through vLLM\'s NixlConnector: --kv-transfer-config {"kv_connector":"NixlConnector","kv_role":"kv_both"}',
      requiredOn: [ServingRole.PREFILL],
      parallelismMustMatch: false,
      source:
        'dynamo.vllm refuses --disaggregation-mode prefill without --kv-transfer-config (components/src/dynamo/vllm/args.py); '
        + 'examples/vllm_disagg.v1beta1.yaml and vllm_disagg_router.v1beta1.yaml set it on prefill only, '
        + 'examples/vllm_disagg-multinode.v1beta1.yaml on both roles; '
        + 'recipes/llama-3-70b_vllm_disagg-single-node_deploy.yaml pairs prefill TP 2 with decode TP 4',
    },
    kvEventsRoles,
    worker,
    multiNodeStartsAfter: cliques => startsAfterFor(startOrder, cliques),
    instanceGpus: p => p.tensorParallel * p.pipelineParallel * (p.dataParallel ?? 1),
  };
}

/** The default vLLM engine (pinned runtime image, `mp` executor). */
export const VLLM: Engine = vllmEngine();

function engineArgs(opts: WorkerOptions, kvEventsRoles: readonly WorkerRole[], multiNode: boolean): string[] {
  const args = ['--model', opts.model, ...servedNameAndParallelismArgs(opts)];
  if (opts.dataParallel !== undefined) {
    args.push('--data-parallel-size', String(opts.dataParallel));
  }
  if (opts.role !== ServingRole.AGGREGATED) {
    args.push('--disaggregation-mode', opts.role);
  }
  if (opts.kvTransfer) {
    // The pods of one multi-node instance must agree on the NIXL engine id (the upstream multi-node example
    // pins it); deriving it from the scaling-group replica keeps replicas apart.
    const config = multiNode ? { ...VLLM_NIXL_KV_TRANSFER_CONFIG, engine_id: GROVE_INSTANCE_ID } : VLLM_NIXL_KV_TRANSFER_CONFIG;
    args.push('--kv-transfer-config', JSON.stringify(config));
  }
  // dynamo.vllm disables KV events on decode workers, so the flag is only emitted where it has an effect.
  if (opts.kvEvents && kvEventsRoles.includes(opts.role)) {
    args.push('--kv-events-config', JSON.stringify(VLLM_KV_EVENTS_CONFIG));
  }
  args.push(...(opts.extraArgs ?? []));
  return args;
}

function multiNodeMode(at: string, opts: WorkerOptions, mn: ResolvedMultiNode): MultiNodeMode {
  const world = opts.tensorParallel * opts.pipelineParallel;
  const dp = opts.dataParallel ?? 1;
  const problems: ValidationProblem[] = [];
  let mode: MultiNodeMode;
  if (world > mn.gpusPerNode) {
    mode = { kind: 'distributed' };
    if (world !== mn.nodes * mn.gpusPerNode) {
      problems.push(worldSizeProblem(at, 'tensorParallel × pipelineParallel', world, mn));
    }
    if (dp !== 1) {
      problems.push({
        constructPath: at,
        field: 'dataParallel',
        message: 'must be 1 when tensorParallel × pipelineParallel spans several pods',
        value: opts.dataParallel,
        fix: 'scale data parallelism with more scaling-group replicas instead',
      });
    }
  } else if (world * dp > mn.gpusPerNode) {
    mode = { kind: 'data-parallel', dpLocal: Math.floor(mn.gpusPerNode / world) };
    if (mn.gpusPerNode % world !== 0) {
      problems.push({
        constructPath: at,
        field: 'multiNode.gpusPerNode',
        message: `must be a multiple of tensorParallel × pipelineParallel (${world}) for multi-node data parallelism`,
        value: mn.gpusPerNode,
      });
    } else if (world * dp !== mn.nodes * mn.gpusPerNode) {
      problems.push(worldSizeProblem(at, 'tensorParallel × pipelineParallel × dataParallel', world * dp, mn));
    }
  } else {
    mode = { kind: 'distributed' };
    problems.push({
      constructPath: at,
      field: 'multiNode',
      message: `tensorParallel × pipelineParallel × dataParallel (${world * dp}) fits in one pod of ${mn.gpusPerNode} GPUs`,
      value: mn.nodes,
      fix: 'drop multiNode and scale with replicas, or raise the parallel sizes',
    });
  }
  throwIf(problems);
  return mode;
}

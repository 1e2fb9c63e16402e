/**
 * TensorRT-LLM launch knowledge (`python3 -m dynamo.trtllm`).
 *
 * No TRT-LLM file is in the reference folder; worker flags come from the upstream Dynamo examples
 * (ai-dynamo/dynamo `examples/backends/trtllm/deploy/v1beta1/{disagg,disagg_router,disagg-multinode}.yaml`,
 * Dynamo 1.3.x): `--model-path`, `--served-model-name`, `--disaggregation-mode prefill|decode`,
 * `--publish-events-and-metrics` on the KV-routed prefill worker, working directory `/workspace/`, and
 * `OMPI_ALLOW_RUN_AS_ROOT=1` / `OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1` on multi-node graphs. KV transfer is the
 * TRT-LLM cache transceiver, which the examples enable with `cache_transceiver_config: {backend: DEFAULT}` in
 * the engine YAML; here it is passed inline through `--override-engine-args`. TP/PP use `dynamo.trtllm`'s
 * `--tensor-parallel-size` / `--pipeline-parallel-size` (an `--extra-engine-args` YAML still wins over them).
 *
 * Multi-node follows the Dynamo operator's TRT-LLM backend (GROVE_TRANSLATION.md §5; GOLDEN.md G5; operator
 * `backend_trtllm.go`): worker pods run only an SSH daemon on port 2222 and are ready when it accepts TCP;
 * the leader copies the SSH key pair from the `mpi-run-ssh-secret` Secret mounted at `/ssh-pk` and runs
 * `mpirun --oversubscribe -n <nodes × GPUs> -H <all hosts> --mca pml ob1 ... bash -c 'trtllm-llmapi-launch <cmd>'`
 * with `OMPI_MCA_orte_keep_fqdn_hostnames=1`. Because the leader dials the workers, its clique starts after
 * the worker clique.
 */
import { ValidationProblem } from '../../errors';
import { runtimeImage, WORKER_PORTS, workerProbes, workerRuntimeEnv } from './dynamo-runtime';
import { shellJoin, shellQuote } from './internal/shell';
import { commonProblems, locatorFor, servedNameAndParallelismArgs, resolveMultiNode, throwIf, worldSizeProblem } from './internal/worker-options';
import { GROVE_WORKER_NODE_RANK, groveInstanceHosts, startsAfterFor } from './multi-node';
import { Engine, EngineKind, EnvVar, LaunchSpec, MultiNodePart, MultiNodeStartOrder, Probe, SecretMount, ServingRole, WorkerOptions, WorkerRole } from './types';

/** SSH port of the MPI launch between leader and workers (`MpiRunSshPort`). */
export const TRTLLM_SSH_PORT = 2222;

/** Default name of the Secret holding `private.key` / `private.key.pub` (Helm `dynamo.mpiRun.secretName`). */
export const TRTLLM_DEFAULT_SSH_SECRET = 'mpi-run-ssh-secret';

/** Where the SSH Secret is mounted (operator `backend_trtllm.go`). */
export const TRTLLM_SSH_MOUNT_PATH = '/ssh-pk';

/** Working directory of the upstream TRT-LLM examples. */
export const TRTLLM_WORKING_DIR = '/workspace/';

/** Values of TRT-LLM's `cache_transceiver_config.backend`. */
export const TrtllmCacheTransceiverBackend = {
  /** Let TRT-LLM pick (the upstream examples' value). */
  DEFAULT: 'DEFAULT',
  /** NIXL. */
  NIXL: 'NIXL',
  /** UCX. */
  UCX: 'UCX',
} as const;

/** One of the `TrtllmCacheTransceiverBackend` values. */
export type TrtllmCacheTransceiverBackend = (typeof TrtllmCacheTransceiverBackend)[keyof typeof TrtllmCacheTransceiverBackend];

/**
 * Environment names the operator always forwards to the MPI ranks (`mpirun -x`), in addition to every
 * variable of the container (operator `getCommonTRTLLMEnvVars`).
 */
export const TRTLLM_MPI_FORWARDED_ENV: readonly string[] = [
  'CUDA_VISIBLE_DEVICES', 'MODEL_PATH', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT', 'TOKENIZERS_PARALLELISM',
  'NCCL_DEBUG', 'NCCL_IB_DISABLE', 'NCCL_P2P_DISABLE', 'TENSORRT_LLM_CACHE_DIR', 'HF_HOME', 'TRANSFORMERS_CACHE',
  'HF_DATASETS_CACHE', 'PATH', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'HOME', 'USER', 'TRTLLM_USE_UCX_KVCACHE',
];

/** Flags the TRT-LLM engine sets from typed options; they must not appear in `extraArgs`. */
export const TRTLLM_MANAGED_FLAGS: readonly string[] = [
  '--model-path', '--model', '--served-model-name', '--tensor-parallel-size', '--pipeline-parallel-size', '--disaggregation-mode',
  '--publish-events-and-metrics', '--publish-kv-events',
];

/** Options of `trtllmEngine()`. */
export interface TrtllmEngineOptions {
  /**
   * Runtime image.
   * @default - `nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:<DYNAMO_VERSION>`
   */
  readonly image?: string;
  /**
   * Cache-transceiver backend used when `kvTransfer` is true.
   * @default TrtllmCacheTransceiverBackend.DEFAULT
   */
  readonly cacheTransceiverBackend?: TrtllmCacheTransceiverBackend;
  /**
   * Secret with the MPI SSH key pair (`private.key`, `private.key.pub`) for multi-node instances.
   * @default TRTLLM_DEFAULT_SSH_SECRET
   */
  readonly sshSecretName?: string;
}

const MODULE = 'dynamo.trtllm';
const PYTHON = ['python3', '-m', MODULE];

/**
 * A TensorRT-LLM engine.
 *
 * @param options image, cache-transceiver backend and SSH Secret
 */
export function trtllmEngine(options: TrtllmEngineOptions = {}): Engine {
  const image = options.image ?? runtimeImage(EngineKind.TRTLLM);
  const backend = options.cacheTransceiverBackend ?? TrtllmCacheTransceiverBackend.DEFAULT;
  const sshSecretName = options.sshSecretName ?? TRTLLM_DEFAULT_SSH_SECRET;
  const kvEventsRoles: readonly WorkerRole[] = [ServingRole.PREFILL, ServingRole.AGGREGATED];
  const startOrder = MultiNodeStartOrder.LEADER_AFTER_WORKERS;

  function worker(opts: WorkerOptions): LaunchSpec {
    const at = locatorFor(EngineKind.TRTLLM, opts);
    const problems: ValidationProblem[] = commonProblems(EngineKind.TRTLLM, opts, TRTLLM_MANAGED_FLAGS);
    if (opts.dataParallel !== undefined && opts.dataParallel !== 1) {
      problems.push({
        constructPath: at,
        field: 'dataParallel',
        message: 'has no dynamo.trtllm flag',
        value: opts.dataParallel,
        fix: 'enable attention data parallelism in the engine configuration (extraArgs) instead',
      });
    }
    if (opts.kvTransfer && (opts.extraArgs ?? []).some(a => a.split('=')[0] === '--override-engine-args')) {
      problems.push({
        constructPath: at,
        field: 'extraArgs',
        message: 'must not contain --override-engine-args when kvTransfer is true, which sets it',
        value: opts.extraArgs,
        fix: 'set cache_transceiver_config in an --extra-engine-args YAML and kvTransfer: false, or drop the override',
      });
    }
    const mn = resolveMultiNode(opts);
    if (mn !== undefined) {
      const world = opts.tensorParallel * opts.pipelineParallel;
      if (world !== mn.nodes * mn.gpusPerNode) {
        problems.push(worldSizeProblem(at, 'tensorParallel × pipelineParallel', world, mn));
      }
    }
    throwIf(problems);

    const base = engineArgs(opts, backend, kvEventsRoles);
    if (mn === undefined) {
      const env: EnvVar[] = [...workerRuntimeEnv(), ...(opts.extraEnv ?? [])];
      return {
        image, command: PYTHON, args: base, env, ports: WORKER_PORTS, sharedMemory: true, workingDir: TRTLLM_WORKING_DIR,
        ...workerProbes(),
      };
    }
    const env: EnvVar[] = [
      ...workerRuntimeEnv(),
      { name: 'OMPI_MCA_orte_keep_fqdn_hostnames', value: '1' },
      { name: 'OMPI_ALLOW_RUN_AS_ROOT', value: '1' },
      { name: 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM', value: '1' },
      ...(opts.extraEnv ?? []),
    ];
    const secretMounts: SecretMount[] = [{
      volumeName: sshSecretName, secretName: sshSecretName, mountPath: TRTLLM_SSH_MOUNT_PATH, readOnly: true, defaultMode: 0o644,
    }];
    const common = { image, env, ports: WORKER_PORTS, sharedMemory: true, workingDir: TRTLLM_WORKING_DIR, secretMounts, command: ['/bin/sh', '-c'] };
    if (mn.part === MultiNodePart.WORKER) {
      return { ...common, args: [[...sshIdentitySetup(), ...sshDaemon()].join(' && ')], readinessProbe: SSH_READINESS };
    }
    const hosts = groveInstanceHosts(mn, mn.nodes).join(',');
    const forwarded = [...new Set([...TRTLLM_MPI_FORWARDED_ENV, ...env.map(e => e.name)])].sort();
    const inner = `trtllm-llmapi-launch ${shellJoin([...PYTHON, ...base])}`;
    const mpirun = [
      'mpirun', '--oversubscribe', '-n', String(mn.nodes * mn.gpusPerNode), '-H', hosts,
      '--mca', 'pml', 'ob1',
      '--mca', 'plm_rsh_args', `"-p ${TRTLLM_SSH_PORT} -o StrictHostKeyChecking=no -i $HOME/.ssh/id_rsa"`,
      ...forwarded.flatMap(name => ['-x', name]),
      'bash', '-c', shellQuote(inner),
    ].join(' ');
    return { ...common, args: [[...sshIdentitySetup(), mpirun].join(' && ')], ...workerProbes() };
  }

  return {
    kind: EngineKind.TRTLLM,
    defaultImage: image,
    workingDir: TRTLLM_WORKING_DIR,
    pythonModule: MODULE,
    ports: WORKER_PORTS,
    multiNode: { startOrder, rendezvousPort: TRTLLM_SSH_PORT, workerNodeRank: GROVE_WORKER_NODE_RANK, workerProbe: 'ssh-tcp' },
    kvTransfer: {
      mechanism: `TRT-LLM cache transceiver: --override-engine-args {"cache_transceiver_config":{"backend":"${backend}"}} on both roles`,
      requiredOn: [ServingRole.PREFILL, ServingRole.DECODE],
      parallelismMustMatch: false,
      source:
        'upstream examples/backends/trtllm/deploy/v1beta1/disagg-multinode.yaml sets cache_transceiver_config on prefill and decode; '
        + 'TensorRT-LLM "Disaggregated Serving" docs: context and generation instances may use different parallelism',
    },
    kvEventsRoles,
    worker,
    multiNodeStartsAfter: cliques => startsAfterFor(startOrder, cliques),
    instanceGpus: p => p.tensorParallel * p.pipelineParallel,
  };
}

/** The default TRT-LLM engine (pinned runtime image, `DEFAULT` cache transceiver, `mpi-run-ssh-secret`). */
export const TRTLLM: Engine = trtllmEngine();

/** Readiness of a multi-node worker pod: its SSH daemon accepts TCP (operator `backend_trtllm.go`). */
const SSH_READINESS: Probe = {
  tcpSocket: { port: TRTLLM_SSH_PORT }, initialDelaySeconds: 20, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 10,
};

function engineArgs(opts: WorkerOptions, backend: TrtllmCacheTransceiverBackend, kvEventsRoles: readonly WorkerRole[]): string[] {
  const args = ['--model-path', opts.model, ...servedNameAndParallelismArgs(opts)];
  if (opts.role !== ServingRole.AGGREGATED) {
    args.push('--disaggregation-mode', opts.role);
    if (opts.kvTransfer) {
      args.push('--override-engine-args', JSON.stringify({ cache_transceiver_config: { backend } }));
    }
  }
  if (opts.kvEvents && kvEventsRoles.includes(opts.role)) {
    args.push('--publish-events-and-metrics');
  }
  args.push(...(opts.extraArgs ?? []));
  return args;
}

/** Copies the key pair from the mounted Secret and writes an SSH client config for port 2222. */
function sshIdentitySetup(): string[] {
  const key = `${TRTLLM_SSH_MOUNT_PATH}/private.key`;
  return [
    'mkdir -p $HOME/.ssh',
    `cp ${key} $HOME/.ssh/id_rsa`,
    `cp ${key}.pub $HOME/.ssh/id_rsa.pub`,
    `cp ${key}.pub $HOME/.ssh/authorized_keys`,
    'chmod 600 $HOME/.ssh/id_rsa $HOME/.ssh/authorized_keys',
    'chmod 644 $HOME/.ssh/id_rsa.pub',
    `printf 'Host *\\nIdentityFile %s/.ssh/id_rsa\\nStrictHostKeyChecking no\\nPort ${TRTLLM_SSH_PORT}\\n' "$HOME" > $HOME/.ssh/config`,
  ];
}

/** Generates host keys, writes a user-owned sshd config on port 2222 and runs sshd in the foreground. */
function sshDaemon(): string[] {
  const keyTypes = ['rsa', 'ecdsa', 'ed25519'];
  const config = [
    `Port ${TRTLLM_SSH_PORT}`,
    ...keyTypes.map(t => `HostKey $HOME/.ssh/host_keys/ssh_host_${t}_key`),
    'PidFile $HOME/.ssh/run/sshd.pid',
    'StrictModes no',
    'PermitRootLogin yes',
    'PasswordAuthentication no',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile $HOME/.ssh/authorized_keys',
  ];
  return [
    'mkdir -p $HOME/.ssh/host_keys $HOME/.ssh/run',
    ...keyTypes.map(t => `ssh-keygen -q -t ${t} -f $HOME/.ssh/host_keys/ssh_host_${t}_key -N ''`),
    `{ ${config.map(line => `echo "${line}";`).join(' ')} } > $HOME/.ssh/sshd_config`,
    'exec /usr/sbin/sshd -D -f $HOME/.ssh/sshd_config',
  ];
}

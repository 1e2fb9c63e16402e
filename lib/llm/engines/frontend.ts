/**
 * The Dynamo frontend: OpenAI-compatible HTTP server and request router (`python3 -m dynamo.frontend`).
 *
 * Sources (reference folder `dynamo/`): examples/vllm_disagg-multinode.v1*.yaml (command and
 * `--http-port 8000`), examples/vllm_disagg_router.v1*.yaml (router mode through `DYN_ROUTER_MODE=kv` on the
 * frontend), GROVE_TRANSLATION.md §4 and GOLDEN.md G1 (port `http` 8000, `DYNAMO_PORT`/`DYN_HTTP_PORT`,
 * probes). The frontend runs from the same runtime image as the workers in every example.
 */
import { DynamoPort, DynamoPortName, podIdentityEnv, runtimeImage } from './dynamo-runtime';
import { EngineKind, EnvVar, LaunchSpec, Probe } from './types';

/** How the frontend picks a worker (`--router-mode` / `DYN_ROUTER_MODE`). */
export const RouterMode = {
  /** Rotate through workers; the frontend's default. */
  ROUND_ROBIN: 'round-robin',
  /** Pick a random worker. */
  RANDOM: 'random',
  /** KV-cache-aware routing: prefer the worker holding the longest cached prefix (needs worker KV events). */
  KV: 'kv',
} as const;

/** One of the `RouterMode` values. */
export type RouterMode = (typeof RouterMode)[keyof typeof RouterMode];

/** Options of `dynamoFrontend()`. */
export interface FrontendOptions {
  /**
   * Router mode, written to `DYN_ROUTER_MODE` as the examples do.
   * @default RouterMode.ROUND_ROBIN
   */
  readonly routerMode?: RouterMode;
  /**
   * Image.
   * @default - the vLLM runtime image at `DYNAMO_VERSION`
   */
  readonly image?: string;
  /**
   * HTTP port.
   * @default DynamoPort.HTTP (8000)
   */
  readonly httpPort?: number;
  /**
   * More frontend flags, appended after `--http-port`.
   * @default []
   */
  readonly extraArgs?: readonly string[];
  /**
   * More environment variables, appended after the frontend's.
   * @default []
   */
  readonly extraEnv?: readonly EnvVar[];
}

/**
 * The operator's default frontend probes (GROVE_TRANSLATION.md §4 frontend row): liveness `/live`
 * (initial delay 15 s, every 10 s, timeout 1 s, 3 failures), readiness `/health` (10 s, 10 s, 3 s, 3),
 * startup `/live` (every 10 s, timeout 1 s, up to 30 failures), all on the `http` port.
 */
export function frontendProbes(): { readonly livenessProbe: Probe; readonly readinessProbe: Probe; readonly startupProbe: Probe } {
  return {
    livenessProbe: { httpGet: { path: '/live', port: DynamoPortName.HTTP }, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/health', port: DynamoPortName.HTTP }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    startupProbe: { httpGet: { path: '/live', port: DynamoPortName.HTTP }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 30 },
  };
}

/**
 * The launch spec of a Dynamo frontend container.
 *
 * @param opts router mode, image, port and extras
 */
export function dynamoFrontend(opts: FrontendOptions = {}): LaunchSpec {
  const port = opts.httpPort ?? DynamoPort.HTTP;
  const env: EnvVar[] = [
    { name: 'DYN_ROUTER_MODE', value: opts.routerMode ?? RouterMode.ROUND_ROBIN },
    { name: 'DYNAMO_PORT', value: String(port) },
    { name: 'DYN_HTTP_PORT', value: String(port) },
    ...podIdentityEnv(),
    ...(opts.extraEnv ?? []),
  ];
  return {
    image: opts.image ?? runtimeImage(EngineKind.VLLM),
    command: ['python3', '-m', 'dynamo.frontend'],
    args: ['--http-port', String(port), ...(opts.extraArgs ?? [])],
    env,
    ports: [{ name: DynamoPortName.HTTP, containerPort: port }],
    sharedMemory: true,
    ...frontendProbes(),
  };
}

/**
 * THE APP REGISTRY: the example cdk8s apps a stack can deploy, by name.
 *
 * A stack lists names from here in its `apps` config key (`Pulumi.<stack>.yaml`); the program builds each named
 * app in memory, checks it (KAI queues, GPU capacity) and applies it after the operators.
 *
 * To add an app, map its name to a function that adds its charts to the given `cdk8s.App`, e.g.
 *
 * ```ts
 * export const APPS: AppRegistry = {
 *   'llm-disagg': (app, ctx) => { new LlmDisaggChart(app, 'llm-disagg', { queue: ctx.queues[0] }); },
 * };
 * ```
 *
 * Use `ctx` rather than hard-coding what the stack decides (queue names, the topology name, the GPU pools and the
 * RDMA resources their nodes advertise).
 */
import * as cdk8s from 'cdk8s';
import { DeepseekR1Disagg, LlmAppProps, Llama70bMultinode, Qwen3Disagg } from '../apps/llm';
import { AKS_IB_RDMA_RESOURCE } from '../lib/catalog';

/** What a stack tells an app about the cluster it is deployed to. */
export interface AppContext {
  /** Stack name (e.g. `dev`). */
  readonly stack: string;
  /**
   * The GPU pools, with the KAI node pool (`kai.scheduler/node-pool` value) each belongs to, if any, and the
   * extended resources of RDMA device plugins their nodes advertise (e.g. `rdma/ib`). A pool advertises those of the
   * RDMA device plugins in the Network Operator's NicClusterPolicy when the Network Operator is enabled and the
   * pool's VM size has InfiniBand; otherwise none. A pod that requests one its nodes do not advertise stays Pending,
   * so the preflight check stops such apps.
   */
  readonly gpuPools: readonly {
    readonly name: string;
    readonly vmSize: string;
    readonly kaiNodePool?: string;
    readonly rdmaResources: readonly string[];
  }[];
  /** Leaf KAI queues that accept workloads, with their KAI node pool. */
  readonly queues: readonly { readonly name: string; readonly nodePool?: string }[];
  /** Name of the ClusterTopologyBinding, when topology-aware scheduling is on. */
  readonly topologyName?: string;
}

/** Adds one app's charts to `app`. */
export type AppFactory = (app: cdk8s.App, ctx: AppContext) => void;

/** Apps by name. */
export type AppRegistry = Readonly<Record<string, AppFactory>>;

/**
 * What the example apps are given: the KAI node pool of the stack's first GPU pool and its leaf queue, and
 * InfiniBand only when that pool's nodes advertise the RDMA resource the apps' GPU pods then request (`rdma/ib`).
 */
function llmAppProps(ctx: AppContext): LlmAppProps {
  const pool = ctx.gpuPools[0];
  const queue = ctx.queues.find(q => q.nodePool === pool?.kaiNodePool) ?? ctx.queues[0];
  return {
    queue: queue?.name,
    nodePool: pool?.kaiNodePool,
    infiniband: pool?.rdmaResources.includes(AKS_IB_RDMA_RESOURCE) ?? false,
  };
}

/** The example LLM apps of `apps/llm`, the same charts `npm run synth` writes to dist/. */
export const APPS: AppRegistry = {
  'qwen3-disagg': (app, ctx) => { new Qwen3Disagg(app, 'qwen3-disagg', llmAppProps(ctx)); },
  'llama-70b-multinode': (app, ctx) => { new Llama70bMultinode(app, 'llama-70b-multinode', llmAppProps(ctx)); },
  'deepseek-r1-disagg': (app, ctx) => { new DeepseekR1Disagg(app, 'deepseek-r1-disagg', llmAppProps(ctx)); },
};

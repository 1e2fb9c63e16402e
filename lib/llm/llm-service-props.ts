import * as engines from './engines';
import { Discovery } from './discovery';
import { LlmEngine } from './llm-engine';
import { ModelCache } from './model-cache';
import { AutoScaling } from '../grove/autoscaling';
import { ResourceAmount } from '../grove/container';
import { Scheduler } from '../grove/scheduler';
import { ITopologyBinding } from '../grove/topology';

/** Options of the frontend (the OpenAI-compatible HTTP endpoint and router). */
export interface LlmFrontendOptions {
  /**
   * Frontend pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * How requests are routed to workers. `kv` routes by KV-cache overlap (the workers publish KV events).
   * @default engines.RouterMode.KV
   */
  readonly routerMode?: engines.RouterMode;
  /**
   * CPU and memory of a frontend pod.
   * @default - 2 CPUs and 4 GiB requested
   */
  readonly resources?: { readonly cpu?: ResourceAmount; readonly memory?: ResourceAmount };
  /**
   * An autoscaler for the frontend pods.
   * @default - no autoscaler
   */
  readonly autoScaling?: AutoScaling;
  /**
   * The container image.
   * @default - the engine's Dynamo runtime image
   */
  readonly image?: string;
}

/** Keeps every multi-node model instance inside one topology domain (e.g. one InfiniBand or NVLink domain). */
export interface LlmTopologyOptions {
  /** The ClusterTopologyBinding the domain belongs to. */
  readonly binding: ITopologyBinding;
  /** The domain one multi-node instance must fit in (e.g. `rack`, or a domain for the InfiniBand fabric). */
  readonly instanceDomain: string;
}

/** A Secret key holding a Hugging Face token. */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly secretName: string;
  /**
   * The key in the Secret.
   * @default 'HF_TOKEN'
   */
  readonly key?: string;
}

/** Props shared by `DisaggregatedLlm` and `AggregatedLlm`. */
export interface LlmServiceProps {
  /** The model, as a Hugging Face id (e.g. `Qwen/Qwen3-0.6B`) or a path inside the model cache. */
  readonly model: string;
  /**
   * The model name clients request.
   * @default - the model id
   */
  readonly servedModelName?: string;
  /**
   * The inference engine.
   * @default LlmEngine.vllm()
   */
  readonly engine?: LlmEngine;
  /**
   * Name of the PodCliqueSet and prefix of every object; part of every pod name (Grove's 45-character budget).
   * @default - the construct id as a DNS label
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Replicas of the whole service (each a complete frontend + workers with its own gangs).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The Azure VM size of the GPU nodes; GPU pods are placed on it (`node.kubernetes.io/instance-type`).
   * @default 'Standard_ND96isr_H100_v5'
   */
  readonly nodeSku?: string;
  /**
   * The gang scheduler, e.g. `Scheduler.kai({ queue: 'inference' })`.
   * @default - the Grove operator's default profile
   */
  readonly scheduler?: Scheduler;
  /**
   * The frontend.
   * @default - one frontend pod with KV-aware routing
   */
  readonly frontend?: LlmFrontendOptions;
  /**
   * Hugging Face token for gated models, by reference to a Secret (never inlined).
   * @default - no token (public models)
   */
  readonly huggingFaceToken?: SecretKeyReference;
  /**
   * A volume that caches model weights, mounted into every pod (`HF_HOME`).
   * @default - no cache (each pod downloads the weights)
   */
  readonly modelCache?: ModelCache;
  /**
   * GPU memory the weights of one model copy need, in GiB, for the fit check.
   * @default - estimated from the model catalog when the model is known there; otherwise not checked
   */
  readonly modelSizeGiB?: number;
  /**
   * Give GPU pods the InfiniBand RDMA device, `IPC_LOCK`, a large `/dev/shm` and the UCX/NCCL environment.
   * @default - true when the node SKU has InfiniBand
   */
  readonly infiniband?: boolean;
  /**
   * Keep each multi-node instance inside one topology domain (needs topology-aware scheduling in Grove).
   * @default - no topology constraint
   */
  readonly topology?: LlmTopologyOptions;
  /**
   * How the Dynamo components find each other.
   * @default Discovery.kubernetes()
   */
  readonly discovery?: Discovery;
  /**
   * Start worker pods only once the frontend is ready. The upstream Dynamo deployments do not order roles.
   * @default false
   */
  readonly workersStartAfterFrontend?: boolean;
  /**
   * Emit NetworkPolicies so only the frontend port is open to other pods, and workers only accept traffic from
   * pods of the same service.
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * Size of the `/dev/shm` tmpfs of GPU pods.
   * @default - 80Gi on InfiniBand SKUs, otherwise the Dynamo default (8Gi)
   */
  readonly sharedMemorySize?: string;
  /**
   * The namespace Prometheus runs in; the workers' NetworkPolicy lets it scrape the system (9090) and NIXL (19090)
   * metric ports. `null` opens no scrape rule.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string | null;
}

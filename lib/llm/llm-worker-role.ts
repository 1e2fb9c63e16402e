import * as engines from './engines';
import { AutoScaling } from '../grove/autoscaling';
import { ContainerResources, EnvValue, ResourceAmount } from '../grove/container';
import { PodClique } from '../grove/pod-clique';
import { PodCliqueScalingGroup } from '../grove/pod-clique-scaling-group';
import { NodeSku, parseQuantity } from '../catalog';
import { CPU, GPU, gpuPool, insufficient, MEMORY } from '../cluster';
import { ValidationProblem } from '../errors';

/** Options of one worker role (prefill, decode, or the aggregated worker). */
export interface LlmWorkerOptions {
  /**
   * Model instances of this role. Each instance is `tensorParallel × pipelineParallel` GPUs: one pod when that
   * fits a node, otherwise a gang-scheduled leader/worker scaling group spanning several nodes.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Instances that must be placed for the service to start (they join the base gang); further instances are
   * placed (and for multi-node instances gang-scheduled) one by one.
   * @default 1
   */
  readonly minAvailable?: number;
  /**
   * Tensor-parallel size.
   * @default 1
   */
  readonly tensorParallel?: number;
  /**
   * Pipeline-parallel size.
   * @default 1
   */
  readonly pipelineParallel?: number;
  /**
   * Data-parallel size, passed to the engine. With vLLM it multiplies the GPUs of an instance; SGLang's
   * data-parallel attention splits the tensor-parallel group and adds none.
   * @default - not passed (the engine's default, 1)
   */
  readonly dataParallel?: number;
  /**
   * GPUs each pod of a multi-node instance uses (one pod per node).
   * @default - every GPU of the node SKU
   */
  readonly gpusPerNode?: number;
  /**
   * CPU and memory of each GPU pod.
   * @default - the pod's share of the node (three quarters of its vCPUs and memory, pro rata to the GPUs it uses)
   */
  readonly resources?: { readonly cpu?: ResourceAmount; readonly memory?: ResourceAmount };
  /**
   * Extra engine arguments, appended after those cdk8s-grove sets (flags the engine wrapper already sets are refused).
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Extra environment variables for the engine container.
   * @default - none
   */
  readonly env?: { readonly [name: string]: EnvValue | string };
  /**
   * Run the KV connector (NIXL) that moves KV caches between prefill and decode.
   * @default - true in a disaggregated service, false in an aggregated one
   */
  readonly kvTransfer?: boolean;
  /**
   * An autoscaler for the role's instances (a HorizontalPodAutoscaler on the clique, or on the scaling group for
   * multi-node instances). `minReplicas` must be at least `minAvailable`, `maxReplicas` at least `replicas`.
   * @default - no autoscaler
   */
  readonly autoScaling?: AutoScaling;
  /**
   * Allow `autoScaling` on CPU or memory utilization (or on the HorizontalPodAutoscaler's CPU default) although the
   * role's pods request GPUs. A GPU worker uses one or two of its requested cores, so such an autoscaler shrinks the
   * role under full load; keep it only when you know the engine's CPU use tracks its load.
   * @default false
   */
  readonly allowUtilizationAutoscaling?: boolean;
  /**
   * The container image.
   * @default - the engine's Dynamo runtime image
   */
  readonly image?: string;
}

/** Something an autoscaler (HPA, KEDA, the Dynamo Planner) scales: a Grove object with a scale subresource. */
export interface ScaleTarget {
  /** The role it belongs to. */
  readonly role: string;
  /** The Grove API version. */
  readonly apiVersion: 'grove.io/v1alpha1';
  /** `PodClique` for single-node roles, `PodCliqueScalingGroup` for multi-node ones. */
  readonly kind: 'PodClique' | 'PodCliqueScalingGroup';
  /** The object name Grove gives it. */
  readonly name: string;
  /** The PodCliqueSet replica it belongs to. */
  readonly podCliqueSetReplica: number;
}

/** How one worker role was laid out on the hardware. */
export interface LlmWorkerLayout {
  /** GPUs of one instance (`tensorParallel × pipelineParallel`, times `dataParallel` for engines where it adds GPUs). */
  readonly gpusPerInstance: number;
  /** Nodes (pods) of one instance. */
  readonly nodesPerInstance: number;
  /** GPUs of each pod. */
  readonly gpusPerPod: number;
}

/**
 * One worker role of an LLM service. A single-node role is one standalone clique (`clique`); a multi-node role is
 * a scaling group (`scalingGroup`) of a leader clique and a worker clique, one group replica per model instance.
 * All of them are regular Grove constructs you can adjust.
 */
export class LlmWorkerRole {
  constructor(
    /** The role (`prefill`, `decode`, `aggregated`). */
    public readonly role: engines.WorkerRole,
    /** The component name (`prefill`, `decode`, `worker`). */
    public readonly name: string,
    /** The hardware layout. */
    public readonly layout: LlmWorkerLayout,
    /** The clique of a single-node role. */
    public readonly clique?: PodClique,
    /** The scaling group of a multi-node role. */
    public readonly scalingGroup?: PodCliqueScalingGroup,
    /** The leader clique of a multi-node role. */
    public readonly leader?: PodClique,
    /** The worker clique of a multi-node role. */
    public readonly workers?: PodClique,
  ) {}

  /** Every clique of the role. */
  public get cliques(): PodClique[] {
    return [this.clique, this.leader, this.workers].filter((c): c is PodClique => c !== undefined);
  }

  /** The objects an autoscaler scales for this role, one per PodCliqueSet replica. */
  public scaleTargets(podCliqueSetReplicas: number): ScaleTarget[] {
    return Array.from({ length: podCliqueSetReplicas }, (_, i) => this.scalingGroup
      ? { role: this.name, apiVersion: 'grove.io/v1alpha1' as const, kind: 'PodCliqueScalingGroup' as const, name: this.scalingGroup.scalingGroupName(i), podCliqueSetReplica: i }
      : { role: this.name, apiVersion: 'grove.io/v1alpha1' as const, kind: 'PodClique' as const, name: this.clique!.podCliqueName(i), podCliqueSetReplica: i });
  }
}

/** @internal */
export function workerResources(options: LlmWorkerOptions, gpusPerPod: number, sku: { vcpus: number; memoryGiB: number; gpusPerNode: number }, extended: { [k: string]: number }): ContainerResources {
  const share = (gpusPerPod / sku.gpusPerNode) * 0.75;
  return {
    cpu: options.resources?.cpu ?? { request: String(Math.max(1, Math.floor(sku.vcpus * share))) },
    memory: options.resources?.memory ?? { request: `${Math.max(1, Math.floor(sku.memoryGiB * share))}Gi` },
    gpus: gpusPerPod,
    extended: Object.keys(extended).length > 0 ? extended : undefined,
  };
}

/**
 * @internal The problems of a worker pod that no empty node of the SKU can hold: its requests against one node's
 * allocatable in the cluster model (lib/cluster: capacity less AKS's reservations and the daemonsets).
 */
export function workerFitProblems(path: string, field: string, resources: ContainerResources, sku: NodeSku): ValidationProblem[] {
  const amount = (a: ResourceAmount | undefined): number => parseQuantity(a?.request ?? a?.limit) ?? 0;
  const requests = { [CPU]: amount(resources.cpu), [MEMORY]: amount(resources.memory), [GPU]: resources.gpus ?? 0, pods: 1 };
  const node = gpuPool(sku, 1);
  const lacking = insufficient({ requests }, node, node.allocatable);
  if (lacking.length === 0) return [];
  const gib = (b: number): string => `${Math.floor(b / 2 ** 30)} GiB`;
  return [{
    constructPath: path, field,
    message: `a pod requests ${requests[CPU]} CPUs, ${gib(requests[MEMORY])} and ${requests[GPU]} GPUs, but one ${sku.name} node has ${node.allocatable[CPU]} CPUs, `
      + `${gib(node.allocatable[MEMORY])} and ${node.allocatable[GPU]} GPUs allocatable after AKS's reservations and the daemonsets (${lacking.join(', ')}), so it would stay Pending`,
    value: { cpu: resources.cpu, memory: resources.memory },
    fix: `request at most ${node.allocatable[CPU]} CPUs and ${gib(node.allocatable[MEMORY])} per pod (leave resources unset for the defaults), or pick a larger node SKU`,
  }];
}

/**
 * A tiny cdk8s app built from plain `cdk8s.ApiObject`s, standing in for the example apps: one PodCliqueSet with
 * a CPU router, a GPU prefill clique and a GPU decode scaling group, scheduled by KAI.
 */
import * as cdk8s from 'cdk8s';
import { AppFactory, AppRegistry } from '../../infra/apps';

/** Knobs of the tiny PodCliqueSet. */
export interface TinyOptions {
  /** @default 'llm' */
  readonly name?: string;
  /** @default 'inference' */
  readonly namespace?: string;
  /** `kai.scheduler/queue` label. @default 'inference' */
  readonly queue?: string;
  /** `kai.scheduler/node-pool` label; `null` leaves it off. @default 'h100' */
  readonly nodePool?: string | null;
  /** PCS replicas. @default 1 */
  readonly replicas?: number;
  /** GPUs of each prefill pod. @default 8 */
  readonly prefillGpus?: number;
  /** Prefill pods. @default 1 */
  readonly prefillReplicas?: number;
  /** Prefill HPA ceiling. @default - no HPA */
  readonly prefillMaxReplicas?: number;
  /** GPUs of each decode pod. @default 8 */
  readonly decodeGpus?: number;
  /** Pods per decode scaling-group replica. @default 1 */
  readonly decodePods?: number;
  /** Decode scaling-group replicas (all in the base gang). @default 1 */
  readonly decodeReplicas?: number;
  /** Decode scaling-group HPA ceiling. @default - no HPA */
  readonly decodeMaxReplicas?: number;
  /** `schedulerName` of every clique. @default 'kai-scheduler' */
  readonly schedulerName?: string;
  /** An extended resource (e.g. `rdma/ib`) each GPU pod requests one of, next to its GPUs. @default - none */
  readonly rdma?: string;
  /**
   * Whether the CPU router tolerates the GPU taint (the GPU cliques always do), as the LLM constructs' frontend does:
   * the router is in the base gang, judged by the GPU nodes' KAI shard. @default true
   */
  readonly routerTolerates?: boolean;
}

function container(name: string, gpus: number, rdma?: string) {
  const extra = rdma === undefined ? {} : { [rdma]: 1 };
  return {
    name,
    image: 'registry.example.invalid/engine:1.0',
    resources: gpus > 0
      ? { requests: { ...extra }, limits: { 'nvidia.com/gpu': gpus, ...extra } }
      : { requests: { cpu: '1', memory: '1Gi' } },
  };
}

/** The tiny PodCliqueSet as a plain object. */
export function tinyPodCliqueSet(o: TinyOptions = {}): Record<string, any> {
  const queue = o.queue ?? 'inference';
  const schedulerName = o.schedulerName ?? 'kai-scheduler';
  const nodePool = o.nodePool === undefined ? 'h100' : o.nodePool;
  const labels: Record<string, string> = { 'kai.scheduler/queue': queue, ...(nodePool === null ? {} : { 'kai.scheduler/node-pool': nodePool }) };
  const clique = (name: string, replicas: number, gpus: number, maxReplicas?: number) => ({
    name,
    labels: { 'kai.scheduler/queue': queue },
    spec: {
      roleName: name,
      replicas,
      minAvailable: replicas,
      ...(maxReplicas === undefined ? {} : { autoScalingConfig: { maxReplicas } }),
      podSpec: {
        schedulerName,
        ...(gpus > 0 || (o.routerTolerates ?? true) ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
        containers: [container(name, gpus, o.rdma)],
      },
    },
  });
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name: o.name ?? 'llm', namespace: o.namespace ?? 'inference', labels },
    spec: {
      replicas: o.replicas ?? 1,
      template: {
        cliques: [
          clique('router', 1, 0),
          clique('prefill', o.prefillReplicas ?? 1, o.prefillGpus ?? 8, o.prefillMaxReplicas),
          clique('decode', o.decodePods ?? 1, o.decodeGpus ?? 8),
        ],
        podCliqueScalingGroups: [{
          name: 'dec',
          cliqueNames: ['decode'],
          replicas: o.decodeReplicas ?? 1,
          minAvailable: o.decodeReplicas ?? 1,
          ...(o.decodeMaxReplicas === undefined ? {} : { scaleConfig: { maxReplicas: o.decodeMaxReplicas } }),
        }],
      },
    },
  };
}

/** An app factory adding one chart with the tiny PodCliqueSet (and no Namespace object: the program adds it). */
export function tinyApp(o: TinyOptions = {}): AppFactory {
  return app => {
    const chart = new cdk8s.Chart(app, o.name ?? 'llm', { disableResourceNameHashes: true });
    new cdk8s.ApiObject(chart, 'pcs', tinyPodCliqueSet(o) as cdk8s.ApiObjectProps);
  };
}

/** A registry with the tiny app under the name `tiny`. */
export const TINY_REGISTRY: AppRegistry = { tiny: tinyApp() };

/** The JSON `config` of a NicClusterPolicy RDMA device plugin advertising `<resourcePrefix>/<resourceName>`. */
export function rdmaPluginConfig(list: 'configList' | 'resourceList', resourceName: string, resourcePrefix?: string): string {
  return JSON.stringify({
    [list]: [{
      ...(resourcePrefix === undefined ? {} : { resourcePrefix }),
      resourceName,
      ...(list === 'configList' ? { rdmaHcaMax: 63 } : {}),
      selectors: { vendors: ['15b3'], linkTypes: ['infiniband'], ...(list === 'resourceList' ? { isRdma: true } : {}) },
    }],
  }, null, 2);
}

/** A NicClusterPolicy spec with the DOCA driver and the SR-IOV device plugin advertising `rdma/ib` (Azure's SR-IOV config). */
export const SRIOV_IB_POLICY = {
  ofedDriver: { repository: 'nvcr.io/nvidia/mellanox', image: 'doca-driver', version: 'doca3.2.0-25.10-1.2.8.0-2' },
  sriovDevicePlugin: {
    repository: 'nvcr.io/nvidia/mellanox',
    image: 'sriov-network-device-plugin',
    version: 'network-operator-v25.10.0',
    config: rdmaPluginConfig('resourceList', 'ib', 'rdma'),
  },
};

/** A NicClusterPolicy spec with the DOCA driver and the RDMA shared device plugin advertising `rdma/shared_ib`. */
export const SHARED_IB_POLICY = {
  ofedDriver: SRIOV_IB_POLICY.ofedDriver,
  rdmaSharedDevicePlugin: {
    repository: 'nvcr.io/nvidia/mellanox',
    image: 'k8s-rdma-shared-dev-plugin',
    version: 'network-operator-v25.10.0',
    config: rdmaPluginConfig('configList', 'shared_ib'),
  },
};

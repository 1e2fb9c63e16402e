/**
 * Small PodCliqueSets and cluster models for the cluster-model tests.
 */
import { ClusterModel, gpuPool, PoolModel } from '../../lib/cluster';

export const H100 = 'Standard_ND96isr_H100_v5';
export const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** A clique of `replicas` pods with the given pod spec. */
export function clique(name: string, podSpec: Record<string, unknown>, replicas = 1): Record<string, unknown> {
  return { name, spec: { roleName: name, replicas, podSpec } };
}

/** A container requesting `requests` (limits for extended resources). */
export function container(requests: Record<string, string | number>): Record<string, unknown> {
  return { name: 'main', image: 'registry.example.invalid/app:1', resources: { requests } };
}

/** A PodCliqueSet with one replica. */
export function pcs(name: string, cliques: Record<string, unknown>[], extra: { labels?: Record<string, string>; groups?: unknown[]; topologyConstraint?: unknown } = {}): Record<string, any> {
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name, namespace: 'default', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      replicas: 1,
      template: {
        cliques,
        ...(extra.groups ? { podCliqueScalingGroups: extra.groups } : {}),
        ...(extra.topologyConstraint ? { topologyConstraint: extra.topologyConstraint } : {}),
      },
    },
  };
}

/** A CPU pool without taints. */
export function cpuPool(name: string, nodes: number, allocatable: Record<string, number>, labels: Record<string, string> = {}): PoolModel {
  return { name, nodes, labels: { 'kubernetes.azure.com/agentpool': name, ...labels }, taints: [], allocatable: { pods: 110, ...allocatable } };
}

/** `n` H100 nodes as a GpuNodePool creates them. */
export function h100(n: number, options: Parameters<typeof gpuPool>[2] = {}): ClusterModel {
  return { pools: [gpuPool(H100, n, options)] };
}

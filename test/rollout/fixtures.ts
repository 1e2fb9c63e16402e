/**
 * PodCliqueSets shaped like GREP-393's illustrations (ai-dynamo/grove
 * docs/proposals/393-coherent-rolling-updates/README.md, "Illustration by example"): a standalone `frontend` clique
 * and two scaling groups, `prefill` (pleader + pworker) and `decode` (dleader + dworker).
 */

/** One component of a fixture: replicas, minAvailable and (optionally) maxUnavailable. */
export interface Shape {
  readonly replicas: number;
  readonly minAvailable: number;
  readonly maxUnavailable?: number;
}

/** Shapes of frontend (F), prefill (P) and decode (D). */
export interface Fixture {
  readonly F: Shape;
  readonly P?: Shape;
  readonly D?: Shape;
}

/** Scheduling options of the GPU pods (prefill and decode). */
export interface GpuPodOptions {
  /**
   * GPUs per pod (0: CPU-only pods requesting 10m CPU).
   * @default 0
   */
  readonly gpus?: number;
  /**
   * CPU request of a GPU pod (a Kubernetes quantity).
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Whether GPU pods tolerate the GPU nodes' `nvidia.com/gpu=present:NoSchedule` taint (as the constructs write).
   * @default true
   */
  readonly tolerateGpuTaint?: boolean;
}

/** The toleration the constructs give pods that request GPUs. */
export const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

const clique = (name: string, image: string, replicas: number, minAvailable: number, pod: GpuPodOptions = {}) => {
  const gpus = pod.gpus ?? 0;
  const requests = gpus > 0 ? { 'nvidia.com/gpu': gpus, ...(pod.cpu === undefined ? {} : { cpu: pod.cpu }) } : { cpu: '10m' };
  return {
    name,
    spec: {
      roleName: name,
      replicas,
      minAvailable,
      podSpec: {
        containers: [{
          name: 'main',
          image,
          resources: gpus > 0 ? { requests, limits: { 'nvidia.com/gpu': gpus } } : { requests },
        }],
        ...(gpus > 0 && pod.tolerateGpuTaint !== false ? { tolerations: [GPU_TOLERATION] } : {}),
      },
    },
  };
};

const budget = (s: Shape) => (s.maxUnavailable === undefined ? {} : { rollingUpdate: { maxUnavailable: s.maxUnavailable } });

/**
 * A PodCliqueSet with the given shapes. `images` names the image tag of each role, so two calls with different tags
 * make an update of exactly those roles. Prefill and decode pods request `gpus` GPUs (and `cpu`) each and tolerate the
 * GPU taint unless `tolerateGpuTaint` is false.
 */
export function disaggSet(shape: Fixture, images: { F?: string; P?: string; D?: string } = {}, options: { strategy?: string; name?: string } & GpuPodOptions = {}): any {
  const tag = (role: 'F' | 'P' | 'D') => `registry.example/${role.toLowerCase()}:${images[role] ?? 'v1'}`;
  const gpus: GpuPodOptions = { gpus: options.gpus, cpu: options.cpu, tolerateGpuTaint: options.tolerateGpuTaint };
  const cliques: any[] = [{ ...clique('frontend', tag('F'), shape.F.replicas, shape.F.minAvailable), ...budget(shape.F) }];
  const groups: any[] = [];
  if (shape.P) {
    cliques.push(clique('pleader', tag('P'), 1, 1, gpus), clique('pworker', tag('P'), 2, 2, gpus));
    groups.push({ name: 'prefill', cliqueNames: ['pleader', 'pworker'], replicas: shape.P.replicas, minAvailable: shape.P.minAvailable, ...budget(shape.P) });
  }
  if (shape.D) {
    cliques.push(clique('dleader', tag('D'), 1, 1, gpus), clique('dworker', tag('D'), 2, 2, gpus));
    groups.push({ name: 'decode', cliqueNames: ['dleader', 'dworker'], replicas: shape.D.replicas, minAvailable: shape.D.minAvailable, ...budget(shape.D) });
  }
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name: options.name ?? 'disagg-serving', namespace: 'default' },
    spec: {
      replicas: 1,
      ...(options.strategy ? { updateStrategy: { type: options.strategy } } : {}),
      template: { cliques, podCliqueScalingGroups: groups },
    },
  };
}

/** GREP-393's worked example: F {10, 2, 2}, P {10, 3, 3}, D {20, 3, 4}. */
export const WORKED_EXAMPLE: Fixture = {
  F: { replicas: 10, minAvailable: 2, maxUnavailable: 2 },
  P: { replicas: 10, minAvailable: 3, maxUnavailable: 3 },
  D: { replicas: 20, minAvailable: 3, maxUnavailable: 4 },
};

/** Case A: clean divisibility. */
export const CASE_A: Fixture = {
  F: { replicas: 10, minAvailable: 1, maxUnavailable: 1 },
  P: { replicas: 100, minAvailable: 3, maxUnavailable: 3 },
  D: { replicas: 80, minAvailable: 3, maxUnavailable: 4 },
};

/** Case B: residual and leftover. */
export const CASE_B: Fixture = {
  F: { replicas: 20, minAvailable: 2, maxUnavailable: 2 },
  P: { replicas: 10, minAvailable: 3, maxUnavailable: 3 },
  D: { replicas: 20, minAvailable: 3, maxUnavailable: 4 },
};

/** Case E: only the frontend changes. */
export const CASE_E: Fixture = {
  F: { replicas: 10, minAvailable: 1, maxUnavailable: 1 },
  P: { replicas: 10, minAvailable: 3, maxUnavailable: 3 },
  D: { replicas: 20, minAvailable: 3, maxUnavailable: 4 },
};

/** Case H: frontend maxUnavailable 1 < minAvailable 2 (refused). */
export const CASE_H: Fixture = {
  F: { replicas: 20, minAvailable: 2, maxUnavailable: 1 },
  P: { replicas: 10, minAvailable: 3, maxUnavailable: 3 },
  D: { replicas: 20, minAvailable: 3, maxUnavailable: 4 },
};

/** OLD and NEW of an update of every role (image v1 → v2). */
export function updateOfAll(shape: Fixture, options: { strategy?: string } & GpuPodOptions = {}): [any, any] {
  return [disaggSet(shape, {}, options), disaggSet(shape, { F: 'v2', P: 'v2', D: 'v2' }, options)];
}

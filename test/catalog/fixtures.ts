/**
 * Hand-written PodCliqueSet objects for the catalog tests.
 */

export interface CliqueOptions {
  readonly replicas?: number;
  readonly minAvailable?: number;
  /** GPUs per pod, put in `limits` (as most manifests do). */
  readonly gpus?: number;
  readonly hpaMax?: number;
  readonly nodeSelector?: Record<string, string>;
}

export function clique(name: string, o: CliqueOptions = {}): any {
  return {
    name,
    spec: {
      roleName: name,
      replicas: o.replicas ?? 1,
      ...(o.minAvailable === undefined ? {} : { minAvailable: o.minAvailable }),
      podSpec: {
        ...(o.nodeSelector === undefined ? {} : { nodeSelector: o.nodeSelector }),
        containers: [{
          name: 'main',
          image: 'vllm/vllm-openai:v0.10.0',
          ...(o.gpus === undefined ? {} : { resources: { limits: { 'nvidia.com/gpu': String(o.gpus) } } }),
        }],
      },
      ...(o.hpaMax === undefined ? {} : { autoScalingConfig: { maxReplicas: o.hpaMax } }),
    },
  };
}

export interface GroupOptions {
  readonly replicas?: number;
  readonly minAvailable?: number;
  readonly hpaMax?: number;
}

export function group(name: string, cliqueNames: string[], o: GroupOptions = {}): any {
  return {
    name,
    cliqueNames,
    ...(o.replicas === undefined ? {} : { replicas: o.replicas }),
    ...(o.minAvailable === undefined ? {} : { minAvailable: o.minAvailable }),
    ...(o.hpaMax === undefined ? {} : { scaleConfig: { maxReplicas: o.hpaMax } }),
  };
}

export function pcs(name: string, replicas: number | undefined, cliques: any[], groups?: any[]): any {
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      template: {
        cliques,
        ...(groups === undefined ? {} : { podCliqueScalingGroups: groups }),
      },
    },
  };
}

/** A 2-node tp=16 model instance: leader + worker pods of 8 GPUs each, scaled together in PCSG `dec`. */
export function multiNode(o: { pcsReplicas?: number; pcsgReplicas?: number; hpaMax?: number } = {}): any {
  return pcs('llm', o.pcsReplicas ?? 1, [
    clique('frontend'),
    clique('leader', { gpus: 8 }),
    clique('worker', { gpus: 8 }),
  ], [group('dec', ['leader', 'worker'], { replicas: o.pcsgReplicas ?? 2, minAvailable: 1, hpaMax: o.hpaMax })]);
}

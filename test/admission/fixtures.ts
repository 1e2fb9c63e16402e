/**
 * Small builders for admission unit tests: a minimal valid PodCliqueSet, ClusterTopologyBindings, operator configs.
 */
import { AdmissionResponse, OperatorConfig, admit } from '../../lib/admission';

export const BASE_CONFIG: OperatorConfig = {
  schedulerProfiles: ['default-scheduler', 'kai-scheduler'],
  defaultProfileName: 'default-scheduler',
  topologyAwareScheduling: false,
  autoMNNVLEnabled: false,
};

export const TAS_CONFIG: OperatorConfig = { ...BASE_CONFIG, topologyAwareScheduling: true };

/** One clique template. */
export function clique(name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): any {
  return {
    name,
    ...extra,
    spec: {
      roleName: `${name}-role`,
      replicas: 1,
      minAvailable: 1,
      podSpec: { containers: [{ name: 'main', image: 'busybox' }] },
      ...spec,
    },
  };
}

/** A minimal valid PodCliqueSet; `template` fields override the defaults. */
export function pcs(template: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'PodCliqueSet',
    metadata: { name: 'inference', namespace: 'default', ...metadata },
    spec: {
      replicas: 1,
      template: {
        cliqueStartupType: 'CliqueStartupTypeAnyOrder',
        cliques: [clique('worker')],
        ...template,
      },
    },
  };
}

/** A ClusterTopologyBinding with one level per domain. */
export function ctb(name: string, domains: string[], extraSpec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'grove.io/v1alpha1',
    kind: 'ClusterTopologyBinding',
    metadata: { name },
    spec: { levels: domains.map(d => ({ domain: d, key: `example.com/${d}` })), ...extraSpec },
  };
}

export function create(object: unknown, operatorConfig: OperatorConfig = BASE_CONFIG, clusterObjects?: unknown[]): AdmissionResponse {
  return admit({ operation: 'CREATE', object, operatorConfig, clusterObjects });
}

export function update(oldObject: unknown, object: unknown, operatorConfig: OperatorConfig = BASE_CONFIG, clusterObjects?: unknown[]): AdmissionResponse {
  return admit({ operation: 'UPDATE', object, oldObject, operatorConfig, clusterObjects });
}

/** `type @ field` of every error, for compact assertions. */
export function errorKeys(response: AdmissionResponse): string[] {
  return response.errors.map(e => `${e.type} @ ${e.field}`);
}

/** A deep copy for building variants. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

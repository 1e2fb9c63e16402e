/**
 * Secure by default (each default on, documented, and possible to turn off where a workload truly needs it):
 * secrets only by reference, pinned images, NetworkPolicies, a dedicated ServiceAccount without a token where none
 * is needed, no privileged container except where RDMA requires it (and only there), and resource requests on every
 * container.
 */
import { App, Testing } from 'cdk8s';
import { addLlmApps } from '../../apps/llm';
import { DisaggregatedLlm, Discovery } from '../../lib';
import { imagePinning as imagePinningOf } from '../../lib/private/hygiene';

const QWEN = 'Qwen/Qwen3-0.6B';

function podSpecs(objects: any[]): { clique: string; pod: any }[] {
  return objects.filter(o => o.kind === 'PodCliqueSet').flatMap(p => p.spec.template.cliques.map((c: any) => ({ clique: c.name, pod: c.spec.podSpec })));
}

function containers(objects: any[]): { clique: string; container: any }[] {
  return podSpecs(objects).flatMap(({ clique, pod }) => [...(pod.initContainers ?? []), ...pod.containers].map((container: any) => ({ clique, container })));
}

const exampleObjects = (() => {
  const app = new App();
  addLlmApps(app);
  return app.charts.flatMap(c => c.toJson());
})();

describe('secure defaults of the LLM services (checked on the example apps)', () => {
  test('secrets only by reference: every env value from a Secret is a secretKeyRef, and no literal looks like a token', () => {
    const env = containers(exampleObjects).flatMap(({ container }) => container.env ?? []);
    expect(env.filter((e: any) => e.name === 'HF_TOKEN').every((e: any) => e.valueFrom?.secretKeyRef && e.value === undefined)).toBe(true);
    expect(env.filter((e: any) => e.name === 'HF_TOKEN').length).toBeGreaterThan(0);
    expect(env.filter((e: any) => typeof e.value === 'string' && /^(hf_|ghp_|nvapi-|sk-)/.test(e.value))).toEqual([]);
  });

  test('images are pinned by tag or digest, never :latest', () => {
    for (const { container } of containers(exampleObjects)) {
      expect(['tag', 'digest']).toContain(imagePinningOf(container.image));
    }
  });

  test('resource requests on every container', () => {
    for (const { clique, container } of containers(exampleObjects)) {
      expect({ clique, cpu: container.resources?.requests?.cpu !== undefined, memory: container.resources?.requests?.memory !== undefined })
        .toEqual({ clique, cpu: true, memory: true });
    }
  });

  test('every pod runs as the service\'s own ServiceAccount, never the namespace default', () => {
    for (const { pod } of podSpecs(exampleObjects)) {
      expect(pod.serviceAccountName).toBeDefined();
      expect(pod.serviceAccountName).not.toBe('default');
    }
  });

  test('NetworkPolicies are emitted for every service', () => {
    const services = exampleObjects.filter(o => o.kind === 'PodCliqueSet').length;
    expect(exampleObjects.filter(o => o.kind === 'NetworkPolicy')).toHaveLength(2 * services);
  });

  test('privileged only on GPU worker pods of InfiniBand SKUs (RDMA), never on the frontend', () => {
    const privileged = containers(exampleObjects).filter(({ container }) => container.securityContext?.privileged);
    expect(privileged.length).toBeGreaterThan(0);
    for (const { clique, container } of privileged) {
      expect(clique).not.toBe('frontend');
      expect(container.resources.limits['rdma/ib']).toBe('1');
    }
  });
});

describe('and each can be turned off or does not apply', () => {
  const build = (props: object) => {
    const chart = Testing.chart();
    new DisaggregatedLlm(chart, 'llm', { model: QWEN, prefill: {}, decode: {}, ...props });
    return Testing.synth(chart);
  };

  test('networkPolicies: false', () => {
    expect(build({ networkPolicies: false }).filter(o => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('no API token where none is needed (etcd discovery): automount off on the ServiceAccount and the pods', () => {
    const objects = build({ discovery: Discovery.etcd({ etcdEndpoints: 'http://etcd:2379' }) });
    expect(objects.find(o => o.kind === 'ServiceAccount').automountServiceAccountToken).toBe(false);
    for (const { pod } of podSpecs(objects)) {
      expect(pod.automountServiceAccountToken).toBe(false);
    }
  });

  test('infiniband: false: no privileged container at all', () => {
    expect(containers(build({ infiniband: false })).filter(({ container }) => container.securityContext?.privileged)).toEqual([]);
  });

  test('resources can be set explicitly, never removed silently', () => {
    const objects = build({ frontend: { resources: { cpu: { request: '500m', limit: '1' } } } });
    const frontend = containers(objects).find(c => c.clique === 'frontend')!.container;
    expect(frontend.resources).toEqual({ requests: { cpu: '500m', memory: '4Gi' }, limits: { cpu: '1' } });
  });
});

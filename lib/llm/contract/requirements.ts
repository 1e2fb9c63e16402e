/**
 * What an LLM service needs from the cluster and does not emit itself, as plain data the CLI and the Pulumi program
 * can check (`DisaggregatedLlm.requirements()` / `AggregatedLlm.requirements()`).
 */
import { isDynamoComponent, usesKubernetesDiscovery } from './checks';
import { DYNAMO_WORKER_METADATA_CRD } from './contract';
import { Json, componentPods, containerTokens } from './manifest';

/** A CustomResourceDefinition that must be installed. */
export interface CrdRequirement {
  /** `<plural>.<group>`, e.g. `dynamoworkermetadatas.nvidia.com`. */
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  /** Who installs it, e.g. the Dynamo platform Helm chart. */
  readonly providedBy: string;
  /** What fails without it. */
  readonly reason: string;
}

/** A Secret the pods read, with the keys they read. */
export interface SecretRequirement {
  readonly name: string;
  readonly namespace: string;
  /** Keys the pods read (env `secretKeyRef` keys, or the files a secret volume must contain). */
  readonly keys: readonly string[];
  readonly reason: string;
}

/** A PersistentVolumeClaim the pods mount. */
export interface ClaimRequirement {
  readonly name: string;
  readonly namespace: string;
  /**
   * Access modes the claim must offer. `ReadWriteMany` when pods on several nodes mount it at once.
   */
  readonly accessModes: readonly ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /** Whether the pods write to it (the model cache is written on first download). */
  readonly writable: boolean;
  readonly reason: string;
}

/** A scheduler queue the workload is charged to. */
export interface QueueRequirement {
  /** `kai-scheduler` (a `scheduling.run.ai/v2 Queue`). */
  readonly scheduler: string;
  readonly name: string;
  readonly reason: string;
}

/** A directory on the GPU nodes the pods mount (a `hostPath` model cache). */
export interface HostPathRequirement {
  readonly path: string;
  readonly reason: string;
}

/** A network endpoint outside the service (etcd, NATS) the pods connect to. */
export interface EndpointRequirement {
  /** `etcd` or `nats`. */
  readonly kind: 'etcd' | 'nats';
  readonly address: string;
  readonly reason: string;
}

/** Everything a service needs from the cluster. Every list is present (possibly empty) and sorted by name. */
export interface ServiceRequirements {
  readonly crds: readonly CrdRequirement[];
  readonly secrets: readonly SecretRequirement[];
  readonly claims: readonly ClaimRequirement[];
  readonly queues: readonly QueueRequirement[];
  readonly hostPaths: readonly HostPathRequirement[];
  readonly endpoints: readonly EndpointRequirement[];
}

/**
 * `Kind/name` for each required CRD, Secret and claim, the form `cdk8s-grove lint --present` accepts (queues go to
 * `--kai-queue`).
 */
export function presentObjects(r: ServiceRequirements): string[] {
  return [
    ...r.crds.map(c => `CustomResourceDefinition/${c.name}`),
    ...r.secrets.map(s => `Secret/${s.name}`),
    ...r.claims.map(c => `PersistentVolumeClaim/${c.name}`),
  ];
}

/**
 * What the Dynamo component pods of a manifest set need from the cluster, read off the manifests themselves: the
 * `DynamoWorkerMetadata` CRD under Kubernetes discovery, every Secret the pods read (env keys, and for secret
 * volumes the files the container command reads under the mount path), every claim (ReadWriteMany when more than one
 * pod mounts it), hostPath directories, queues and the etcd/NATS endpoints in the env.
 */
export function requirementsOf(objects: readonly Json[]): ServiceRequirements {
  const pods = componentPods(objects.map((object, i) => ({ src: i, object }))).filter(isDynamoComponent);
  const crds: CrdRequirement[] = [];
  if (pods.some(usesKubernetesDiscovery)) {
    crds.push({
      name: DYNAMO_WORKER_METADATA_CRD.name, group: DYNAMO_WORKER_METADATA_CRD.group, kind: DYNAMO_WORKER_METADATA_CRD.kind,
      providedBy: 'the Dynamo platform Helm chart (its CRDs)',
      reason: 'under Kubernetes discovery every worker registers a DynamoWorkerMetadata object and fails without the CRD (lib/runtime/src/discovery/kube/crd.rs)',
    });
  }
  const secrets = new Map<string, { namespace: string; keys: Set<string>; reasons: Set<string> }>();
  const secret = (namespace: string, name: string, reason: string) => {
    const key = `${namespace}/${name}`;
    const entry = secrets.get(key) ?? { namespace, keys: new Set<string>(), reasons: new Set<string>() };
    entry.reasons.add(reason);
    secrets.set(key, entry);
    return entry;
  };
  const claims = new Map<string, { namespace: string; name: string; pods: number; cliques: Set<string>; readOnly: boolean }>();
  const hostPaths = new Map<string, Set<string>>();
  const endpoints = new Map<string, EndpointRequirement>();
  for (const p of pods) {
    const containers = [...arr(p.podSpec.initContainers), ...arr(p.podSpec.containers)].map(rec);
    for (const c of containers) {
      for (const e of arr(c.env).map(rec)) {
        const ref = rec(rec(e.valueFrom).secretKeyRef);
        if (typeof ref.name === 'string') {
          secret(p.namespace, ref.name, `env ${String(e.name)} of clique ${p.name}`).keys.add(String(ref.key));
        }
      }
    }
    for (const v of arr(p.podSpec.volumes).map(rec)) {
      const s = rec(v.secret);
      if (typeof s.secretName === 'string') {
        const entry = secret(p.namespace, s.secretName, `volume ${String(v.name)} of clique ${p.name}`);
        for (const c of containers) {
          for (const m of arr(c.volumeMounts).map(rec).filter(x => x.name === v.name)) {
            const prefix = `${String(m.mountPath).replace(/\/$/, '')}/`;
            for (const t of containerTokens(c)) {
              const at = t.indexOf(prefix);
              if (at >= 0) {
                const file = /^[\w.-]+/.exec(t.slice(at + prefix.length))?.[0];
                if (file) entry.keys.add(file);
              }
            }
          }
        }
      }
      const pvc = rec(v.persistentVolumeClaim);
      if (typeof pvc.claimName === 'string') {
        const key = `${p.namespace}/${pvc.claimName}`;
        const entry = claims.get(key) ?? { namespace: p.namespace, name: pvc.claimName, pods: 0, cliques: new Set<string>(), readOnly: true };
        entry.pods += p.totalPods;
        entry.cliques.add(p.name);
        const mountedReadOnly = containers.every(c => arr(c.volumeMounts).map(rec).filter(x => x.name === v.name).every(x => x.readOnly === true));
        entry.readOnly = entry.readOnly && (pvc.readOnly === true || mountedReadOnly);
        claims.set(key, entry);
      }
      const hp = rec(v.hostPath);
      if (typeof hp.path === 'string') {
        hostPaths.set(hp.path, (hostPaths.get(hp.path) ?? new Set<string>()).add(p.name));
      }
    }
    if (p.env.ETCD_ENDPOINTS) {
      endpoints.set(`etcd ${p.env.ETCD_ENDPOINTS}`, { kind: 'etcd', address: p.env.ETCD_ENDPOINTS, reason: 'discovery backend (ETCD_ENDPOINTS)' });
    }
    if (p.env.NATS_SERVER) {
      endpoints.set(`nats ${p.env.NATS_SERVER}`, { kind: 'nats', address: p.env.NATS_SERVER, reason: 'NATS_SERVER (event plane and KV events)' });
    }
  }
  const queues = new Map<string, QueueRequirement>();
  for (const o of objects.filter(x => x.kind === 'PodCliqueSet')) {
    const kai = rec(rec(o.metadata).labels)['kai.scheduler/queue'];
    if (typeof kai === 'string') {
      queues.set(`kai ${kai}`, { scheduler: 'kai-scheduler', name: kai, reason: 'KAI charges the workload to this scheduling.run.ai Queue; without it nothing is scheduled' });
    }
    const volcano = rec(rec(o.metadata).annotations)['scheduling.grove.io/volcano-queue'];
    if (typeof volcano === 'string') {
      queues.set(`volcano ${volcano}`, { scheduler: 'volcano', name: volcano, reason: 'the Volcano queue the PodGroups are created in' });
    }
  }
  const byName = <T extends { name: string }>(xs: T[]): T[] => xs.sort((a, b) => a.name.localeCompare(b.name));
  return {
    crds,
    secrets: byName([...secrets.entries()].map(([key, e]) => ({
      name: key.slice(e.namespace.length + 1), namespace: e.namespace, keys: [...e.keys].sort(), reason: `read by ${[...e.reasons].sort().join('; ')}`,
    }))),
    claims: byName([...claims.values()].map(c => ({
      name: c.name, namespace: c.namespace,
      accessModes: c.pods > 1 ? (c.readOnly ? ['ReadOnlyMany'] : ['ReadWriteMany']) : ['ReadWriteOnce'],
      writable: !c.readOnly,
      reason: `mounted by ${c.pods} pod${c.pods === 1 ? '' : 's'} of ${[...c.cliques].sort().join(', ')}${c.readOnly ? '' : ' (written: model downloads)'}`,
    }))),
    queues: byName([...queues.values()]),
    hostPaths: [...hostPaths.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, cliques]) => ({
      path, reason: `mounted by ${[...cliques].sort().join(', ')}; exists on every GPU node, writable by uid 1000 (fsGroup 1000)`,
    })),
    endpoints: [...endpoints.values()].sort((a, b) => `${a.kind}${a.address}`.localeCompare(`${b.kind}${b.address}`)),
  };
}

const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What an LLM service needs from the cluster and does not emit itself, as plain data the CLI and the Pulumi program
 * can check (`DisaggregatedLlm.requirements()` / `AggregatedLlm.requirements()`).
 */
import { manifestReferences, Reference } from '../../cluster/references';
import { DYNAMO_WORKER_METADATA_CRD } from './contract';
import { Json, componentPods, isDynamoComponent } from './manifest';

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
 * What a manifest set needs from the cluster, read by the one reference reader of `lib/cluster`
 * (`manifestReferences`): the `DynamoWorkerMetadata` CRD under Kubernetes discovery, every Secret the pods read (env
 * keys, and for secret volumes the files the container command reads under the mount path), every claim
 * (ReadWriteMany when more than one pod mounts it and writes), hostPath directories and queues; and the one
 * Dynamo-specific fact not in it, the etcd/NATS endpoints in the env of Dynamo component pods.
 */
export function requirementsOf(objects: readonly Json[]): ServiceRequirements {
  const refs = manifestReferences(objects);
  const crds: CrdRequirement[] = refs.filter(r => r.kind === 'crd' && r.crdName === DYNAMO_WORKER_METADATA_CRD.name).slice(0, 1).map(() => ({
    name: DYNAMO_WORKER_METADATA_CRD.name, group: DYNAMO_WORKER_METADATA_CRD.group, kind: DYNAMO_WORKER_METADATA_CRD.kind,
    providedBy: 'the Dynamo platform Helm chart (its CRDs)',
    reason: 'under Kubernetes discovery every worker registers a DynamoWorkerMetadata object and fails without the CRD (lib/runtime/src/discovery/kube/crd.rs)',
  }));
  const secrets = new Map<string, { namespace: string; keys: Set<string>; reasons: Set<string> }>();
  const claims = new Map<string, { namespace: string; pods: number; perNode: boolean; owners: Set<string>; readOnly: boolean }>();
  const hostPaths = new Map<string, Set<string>>();
  const queues = new Map<string, QueueRequirement>();
  const owner = (r: Reference) => r.owner.replace(/^clique /, '');
  for (const r of refs) {
    if (r.kind === 'secret') {
      const e = secrets.get(r.name) ?? { namespace: r.namespace, keys: new Set<string>(), reasons: new Set<string>() };
      (r.keys ?? []).forEach(k => e.keys.add(k));
      e.reasons.add(`${r.via} of ${r.owner}`);
      secrets.set(r.name, e);
    } else if (r.kind === 'claim') {
      const e = claims.get(r.name) ?? { namespace: r.namespace, pods: 0, perNode: false, owners: new Set<string>(), readOnly: true };
      e.pods += r.pods ?? 0;
      e.perNode = e.perNode || r.pods === undefined;
      e.owners.add(owner(r));
      e.readOnly = e.readOnly && r.readOnly === true;
      claims.set(r.name, e);
    } else if (r.kind === 'host-path') {
      hostPaths.set(r.name, (hostPaths.get(r.name) ?? new Set<string>()).add(owner(r)));
    } else if (r.kind === 'queue' && r.scheduler !== undefined) {
      queues.set(`${r.scheduler} ${r.name}`, r.scheduler === 'kai-scheduler'
        ? { scheduler: r.scheduler, name: r.name, reason: 'KAI charges the workload to this scheduling.run.ai Queue; without it nothing is scheduled' }
        : { scheduler: r.scheduler, name: r.name, reason: 'the Volcano queue the PodGroups are created in' });
    }
  }
  const endpoints = new Map<string, EndpointRequirement>();
  for (const p of componentPods(objects.map((object, i) => ({ src: i, object }))).filter(isDynamoComponent)) {
    if (p.env.ETCD_ENDPOINTS) {
      endpoints.set(`etcd ${p.env.ETCD_ENDPOINTS}`, { kind: 'etcd', address: p.env.ETCD_ENDPOINTS, reason: 'discovery backend (ETCD_ENDPOINTS)' });
    }
    if (p.env.NATS_SERVER) {
      endpoints.set(`nats ${p.env.NATS_SERVER}`, { kind: 'nats', address: p.env.NATS_SERVER, reason: 'NATS_SERVER (event plane and KV events)' });
    }
  }
  const byName = <T extends { name: string }>(xs: T[]): T[] => xs.sort((a, b) => a.name.localeCompare(b.name));
  const bare = (key: string, namespace: string) => key.slice(namespace.length + 1);
  return {
    crds,
    secrets: byName([...secrets.entries()].map(([key, e]) => ({
      name: bare(key, e.namespace), namespace: e.namespace, keys: [...e.keys].sort(), reason: `read by ${[...e.reasons].sort().join('; ')}`,
    }))),
    claims: byName([...claims.entries()].map(([key, c]) => ({
      name: bare(key, c.namespace), namespace: c.namespace,
      accessModes: c.pods > 1 || c.perNode ? (c.readOnly ? ['ReadOnlyMany'] : ['ReadWriteMany']) : ['ReadWriteOnce'],
      writable: !c.readOnly,
      reason: `mounted by ${c.perNode ? 'one pod per node' : `${c.pods} pod${c.pods === 1 ? '' : 's'}`} of ${[...c.owners].sort().join(', ')}${c.readOnly ? '' : ' (written: model downloads)'}`,
    }))),
    queues: byName([...queues.values()]),
    hostPaths: [...hostPaths.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, cliques]) => ({
      path, reason: `mounted by ${[...cliques].sort().join(', ')}; exists on every GPU node, writable by uid 1000 (fsGroup 1000)`,
    })),
    endpoints: [...endpoints.values()].sort((a, b) => `${a.kind}${a.address}`.localeCompare(`${b.kind}${b.address}`)),
  };
}

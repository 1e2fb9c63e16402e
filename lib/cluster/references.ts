/**
 * What a manifest set references from the cluster, and which of it the cluster model lacks. One reader
 * (`manifestReferences`) for every pod-bearing object (PodCliqueSet cliques, Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob): Secrets with the keys read, PersistentVolumeClaims with how many pods mount them and
 * whether they write, hostPath directories, extended resources, KAI and Volcano queues, the CRD of every object
 * outside the built-in API groups, and the `DynamoWorkerMetadata` CRD the Dynamo runtime writes to under Kubernetes
 * discovery (the one fact of `lib/llm/contract` read here). One comparison (`unmetReferences`) against what exists
 * (a `ClusterModel`): missing objects, Secret keys they lack, claims whose access modes the pods cannot share.
 * `LlmService.requirements()`, `lint`'s dynamo-references rule and the Pulumi preflight all use these two.
 */
import { DYNAMO_WORKER_METADATA_CRD } from '../llm/contract/contract';
import { componentPods, containerTokens, isDynamoComponent, namespaceOf, usesKubernetesDiscovery } from '../llm/contract/manifest';
import { ClaimModel, ClusterModel, CPU, EPHEMERAL_STORAGE, MEMORY, PODS, SecretModel } from './model';

type Obj = Record<string, any>;

/** What a reference points at. */
export type ReferenceKind = 'extended-resource' | 'crd' | 'secret' | 'claim' | 'queue' | 'host-path';

/** One reference of one object to something in the cluster. */
export interface Reference {
  readonly kind: ReferenceKind;
  /** `<namespace>/<name>` (Secret, claim), `<group>/<Kind>` (CRD), the queue name, the resource name or the host path. */
  readonly name: string;
  /** Namespace of the referencing object. */
  readonly namespace: string;
  /** Index of the referencing object in the manifests. */
  readonly index: number;
  /** `<Kind>/<namespace>/<name>` of the referencing object. */
  readonly object: string;
  /** Who in the object: `clique decode`, `its pod template`, `the pod`, `the object`. */
  readonly owner: string;
  /** Field path in the object. */
  readonly field: string;
  /** How it is referenced, for people: `env HF_TOKEN`, `volume cache`, `envFrom`, `label kai.scheduler/queue`. */
  readonly via: string;
  /**
   * Secret: the keys read (an env key, the `items` of a secret volume, or the files under its mount path the
   * container command names).
   * @default - none known
   */
  readonly keys?: readonly string[];
  /**
   * Claim: pods that mount it through this reference.
   * @default - one per node (a DaemonSet)
   */
  readonly pods?: number;
  /**
   * Claim: mounted read-only (the volume or every mount of it).
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Queue: `kai-scheduler` or `volcano`.
   * @default - none
   */
  readonly scheduler?: 'kai-scheduler' | 'volcano';
  /**
   * CRD: `<plural>.<group>` when known (the Dynamo CRD).
   * @default - none
   */
  readonly crdName?: string;
}

/** A pod spec of a workload object. */
export interface PodSpecOf {
  readonly field: string;
  readonly owner: string;
  readonly podSpec: Obj;
  /**
   * Pods of this spec the object runs.
   * @default - one per node (DaemonSet)
   */
  readonly pods?: number;
  /** Clique name (PodCliqueSet), else undefined. */
  readonly clique?: string;
}

/** Built-in API groups (no CRD needed). */
const BUILTIN_GROUPS = new Set(['', 'v1', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io',
  'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io', 'resource.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io']);

const KAI_QUEUE_LABEL = 'kai.scheduler/queue';
const VOLCANO_QUEUE_ANNOTATION = 'scheduling.grove.io/volcano-queue';

const rec = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Obj : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const count = (v: unknown): number => (typeof v === 'number' ? v : 1);

/** The pod specs of a workload object, each with the field path of its spec and its number of pods. */
export function podSpecsOf(o: unknown): PodSpecOf[] {
  const x = rec(o);
  const spec = x.spec;
  if (typeof spec !== 'object' || spec === null) return [];
  if (x.kind === 'PodCliqueSet') {
    return componentPods([{ src: 0, object: x }]).map(p => ({ field: `${p.at}.spec.podSpec`, owner: `clique ${p.name}`, podSpec: p.podSpec, pods: p.totalPods, clique: p.name }));
  }
  switch (x.kind) {
    case 'Pod': return [{ field: 'spec', owner: 'the pod', podSpec: spec, pods: 1 }];
    case 'CronJob': return [{ field: 'spec.jobTemplate.spec.template.spec', owner: 'its pod template', podSpec: rec(spec.jobTemplate?.spec?.template?.spec), pods: count(spec.jobTemplate?.spec?.parallelism) }];
    case 'Job': return [{ field: 'spec.template.spec', owner: 'its pod template', podSpec: rec(spec.template?.spec), pods: count(spec.parallelism) }];
    case 'DaemonSet': return [{ field: 'spec.template.spec', owner: 'its pod template', podSpec: rec(spec.template?.spec) }];
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'ReplicationController':
      return [{ field: 'spec.template.spec', owner: 'its pod template', podSpec: rec(spec.template?.spec), pods: count(spec.replicas) }];
    default: return [];
  }
}

/** Whether a resource name is an extended resource (not CPU, memory, storage, pods or hugepages). */
export function isExtendedResource(name: string): boolean {
  return ![CPU, MEMORY, EPHEMERAL_STORAGE, PODS].includes(name) && !name.startsWith('hugepages-');
}

/** Extended resources the model's nodes advertise (its `devicePlugins`, else every non-standard allocatable). */
export function advertisedResources(model: ClusterModel): string[] {
  if (model.devicePlugins !== undefined) return [...model.devicePlugins];
  return [...new Set(model.pools.flatMap(p => Object.keys(p.allocatable)).filter(isExtendedResource))];
}

function groupOf(apiVersion: unknown): string {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  return s.includes('/') ? s.slice(0, s.indexOf('/')) : '';
}

/** `<Kind>/<namespace>/<name>` of an object. */
export function objectName(o: Obj): string {
  return `${o.kind ?? '?'}/${namespaceOf(o)}/${o.metadata?.name ?? '?'}`;
}

/** The references of one pod spec (`at` its field path). */
export function podSpecReferences(s: PodSpecOf, base: { namespace: string; index: number; object: string }): Reference[] {
  const out: Reference[] = [];
  const ref = (r: Omit<Reference, 'namespace' | 'index' | 'object' | 'owner'>) => out.push({ ...r, ...base, owner: s.owner });
  const ns = base.namespace;
  const init = arr(s.podSpec.initContainers).map(rec);
  const containers = [...init.map((c, i) => ({ c, at: `${s.field}.initContainers[${i}]` })), ...arr(s.podSpec.containers).map(rec).map((c, i) => ({ c, at: `${s.field}.containers[${i}]` }))];
  const resources = new Set<string>();
  for (const { c, at } of containers) {
    for (const name of [...Object.keys(rec(c.resources?.requests)), ...Object.keys(rec(c.resources?.limits))]) {
      if (isExtendedResource(name) && !resources.has(name)) {
        resources.add(name);
        ref({ kind: 'extended-resource', name, field: `${at}.resources`, via: `container ${String(c.name)}` });
      }
    }
    arr(c.env).map(rec).forEach((e, ei) => {
      const r = rec(rec(e.valueFrom).secretKeyRef);
      if (typeof r.name === 'string' && r.optional !== true) {
        ref({ kind: 'secret', name: `${ns}/${r.name}`, field: `${at}.env[${ei}].valueFrom.secretKeyRef`, via: `env ${String(e.name)}`, ...(typeof r.key === 'string' ? { keys: [r.key] } : {}) });
      }
    });
    arr(c.envFrom).map(rec).forEach((e, ei) => {
      const r = rec(e.secretRef);
      if (typeof r.name === 'string' && r.optional !== true) ref({ kind: 'secret', name: `${ns}/${r.name}`, field: `${at}.envFrom[${ei}].secretRef`, via: 'envFrom' });
    });
  }
  const mountsOf = (volume: unknown) => containers.flatMap(({ c }) => arr(c.volumeMounts).map(rec).filter(m => m.name === volume).map(m => ({ c, m })));
  arr(s.podSpec.volumes).map(rec).forEach((v, vi) => {
    const secret = rec(v.secret);
    if (typeof secret.secretName === 'string' && secret.optional !== true) {
      const keys = new Set(arr(secret.items).map(rec).map(i => i.key).filter((k): k is string => typeof k === 'string'));
      if (keys.size === 0) {
        for (const { c, m } of mountsOf(v.name)) {
          const prefix = `${String(m.mountPath).replace(/\/$/, '')}/`;
          for (const t of containerTokens(c)) {
            const at = t.indexOf(prefix);
            const file = at >= 0 ? /^[\w.-]+/.exec(t.slice(at + prefix.length))?.[0] : undefined;
            if (file) keys.add(file);
          }
        }
      }
      ref({ kind: 'secret', name: `${ns}/${secret.secretName}`, field: `${s.field}.volumes[${vi}].secret`, via: `volume ${String(v.name)}`, keys: [...keys] });
    }
    const pvc = rec(v.persistentVolumeClaim);
    if (typeof pvc.claimName === 'string') {
      const readOnly = pvc.readOnly === true || mountsOf(v.name).every(({ m }) => m.readOnly === true);
      ref({ kind: 'claim', name: `${ns}/${pvc.claimName}`, field: `${s.field}.volumes[${vi}].persistentVolumeClaim`, via: `volume ${String(v.name)}`, ...(s.pods === undefined ? {} : { pods: s.pods }), readOnly });
    }
    const hp = rec(v.hostPath);
    if (typeof hp.path === 'string') ref({ kind: 'host-path', name: hp.path, field: `${s.field}.volumes[${vi}].hostPath`, via: `volume ${String(v.name)}` });
  });
  arr(s.podSpec.imagePullSecrets).map(rec).forEach((p, pi) => {
    if (typeof p.name === 'string') ref({ kind: 'secret', name: `${ns}/${p.name}`, field: `${s.field}.imagePullSecrets[${pi}]`, via: 'imagePullSecrets' });
  });
  return out;
}

/**
 * Every reference of the manifests, in object order: per object its CRD, its queues, the Dynamo CRD its cliques
 * need, then per pod spec its extended resources, Secrets, claims, hostPaths and pull Secrets.
 */
export function manifestReferences(manifests: readonly unknown[]): Reference[] {
  const out: Reference[] = [];
  manifests.forEach((m, index) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return;
    const o = m as Obj;
    const base = { namespace: namespaceOf(o), index, object: objectName(o) };
    const g = groupOf(o.apiVersion);
    if (!BUILTIN_GROUPS.has(g)) {
      out.push({ ...base, kind: 'crd', name: `${g}/${String(o.kind ?? '')}`, owner: 'the object', field: 'apiVersion', via: 'apiVersion' });
    }
    const kai = rec(o.metadata?.labels)[KAI_QUEUE_LABEL];
    if (typeof kai === 'string') {
      out.push({ ...base, kind: 'queue', name: kai, owner: 'the object', field: `metadata.labels[${KAI_QUEUE_LABEL}]`, via: `label ${KAI_QUEUE_LABEL}`, scheduler: 'kai-scheduler' });
    }
    const volcano = rec(o.metadata?.annotations)[VOLCANO_QUEUE_ANNOTATION];
    if (typeof volcano === 'string') {
      out.push({ ...base, kind: 'queue', name: volcano, owner: 'the object', field: `metadata.annotations[${VOLCANO_QUEUE_ANNOTATION}]`, via: `annotation ${VOLCANO_QUEUE_ANNOTATION}`, scheduler: 'volcano' });
    }
    if (o.kind === 'PodCliqueSet') {
      // lib/runtime/src/discovery/kube/crd.rs: under Kubernetes discovery every worker registers a DynamoWorkerMetadata.
      const k8s = componentPods([{ src: index, object: o }]).filter(p => isDynamoComponent(p) && usesKubernetesDiscovery(p));
      if (k8s.length > 0) {
        out.push({
          ...base, kind: 'crd', name: `${DYNAMO_WORKER_METADATA_CRD.group}/${DYNAMO_WORKER_METADATA_CRD.kind}`, crdName: DYNAMO_WORKER_METADATA_CRD.name,
          owner: `clique ${k8s[0].name}`, field: `${k8s[0].at}.spec.podSpec.containers[0].env`, via: 'DYN_DISCOVERY_BACKEND=kubernetes',
        });
      }
    }
    for (const s of podSpecsOf(o)) out.push(...podSpecReferences(s, base));
  });
  return out;
}

/** A reference the cluster does not meet. */
export interface UnmetReference {
  readonly reference: Reference;
  /** `missing`: no such object; `key`: the Secret lacks a key read; `access`: the claim's access modes cannot serve its pods. */
  readonly problem: 'missing' | 'key' | 'access';
  /** `key`: the keys the Secret lacks. `access`: the claim's access modes. */
  readonly detail?: readonly string[];
  /** `key`: the keys the Secret has. */
  readonly has?: readonly string[];
  /**
   * `access`: pods that mount the claim, over every reference (undefined: one per node).
   * @default - none
   */
  readonly pods?: number;
}

/** What a manifest set creates itself (Secrets with keys, claims with modes, queues, CRDs), as model entries. */
export function createdBy(manifests: readonly unknown[]): Required<Pick<ClusterModel, 'secrets' | 'claims' | 'queues' | 'crds'>> {
  const objs = manifests.map(rec);
  const key = (o: Obj) => `${namespaceOf(o)}/${String(o.metadata?.name)}`;
  return {
    secrets: objs.filter(o => o.kind === 'Secret').map(o => ({ name: key(o), keys: [...Object.keys(rec(o.data)), ...Object.keys(rec(o.stringData))] })),
    claims: objs.filter(o => o.kind === 'PersistentVolumeClaim').map(o => ({
      name: key(o), accessModes: arr(o.spec?.accessModes).map(String), ...(typeof o.spec?.storageClassName === 'string' ? { storageClassName: o.spec.storageClassName } : {}),
    })),
    queues: objs.filter(o => o.kind === 'Queue').map(o => String(o.metadata?.name)),
    crds: objs.filter(o => o.kind === 'CustomResourceDefinition').flatMap(o => [String(o.metadata?.name), `${o.spec?.group}/${o.spec?.names?.kind}`]),
  };
}

/** The model with what the manifests create added to every category it lists (unlisted ones stay unchecked). */
export function withCreated(model: ClusterModel, manifests: readonly unknown[]): ClusterModel {
  const c = createdBy(manifests);
  return {
    ...model,
    ...(model.secrets === undefined ? {} : { secrets: [...model.secrets, ...c.secrets] }),
    ...(model.claims === undefined ? {} : { claims: [...model.claims, ...c.claims] }),
    ...(model.queues === undefined ? {} : { queues: [...model.queues, ...c.queues] }),
    ...(model.crds === undefined ? {} : { crds: [...model.crds, ...c.crds] }),
  };
}

/** `name` or `{ name }` found for `ns/name` (a model entry without namespace is in every namespace). */
function lookup<T extends SecretModel | ClaimModel>(entries: readonly (string | T)[], nsName: string): T | undefined {
  const bare = nsName.slice(nsName.indexOf('/') + 1);
  const found = entries.map(e => (typeof e === 'string' ? { name: e } as T : e)).filter(e => e.name === nsName || e.name === bare);
  // An entry that knows more wins (keys, access modes).
  return found.find(e => (e as SecretModel).keys !== undefined || (e as ClaimModel).accessModes !== undefined) ?? found[0];
}

/** The plural a CRD of this kind has by default (lowercase, English plural). */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return /(s|x|z|ch|sh)$/.test(k) ? `${k}es` : `${k}s`;
}

/** Whether the model lists a CRD (as `<group>/<Kind>` or `<plural>.<group>`). */
export function hasCrd(model: ClusterModel, group: string, kind: string, plural = pluralOf(kind)): boolean {
  const crds = model.crds ?? [];
  return crds.includes(`${group}/${kind}`) || crds.includes(`${plural}.${group}`);
}

/** Whether access modes let `pods` pods (undefined: one per node) mount a claim, read-only or not. */
export function claimServes(modes: readonly string[], pods: number | undefined, readOnly: boolean): boolean {
  if (pods !== undefined && pods <= 1) return true;
  return modes.includes('ReadWriteMany') || (readOnly && modes.includes('ReadOnlyMany'));
}

/**
 * The references the model does not meet, in reference order. A category the model leaves undefined is not
 * checked; a Secret without known keys is not checked for keys, nor a claim without known access modes for access.
 */
export function unmetReferences(refs: readonly Reference[], model: ClusterModel): UnmetReference[] {
  const resources = new Set(advertisedResources(model));
  const claimPods = new Map<string, number | undefined>();
  for (const r of refs.filter(x => x.kind === 'claim')) {
    const prev = claimPods.has(r.name) ? claimPods.get(r.name) : 0;
    claimPods.set(r.name, prev === undefined || r.pods === undefined ? undefined : prev + r.pods);
  }
  const out: UnmetReference[] = [];
  for (const r of refs) {
    switch (r.kind) {
      case 'extended-resource':
        if (!resources.has(r.name)) out.push({ reference: r, problem: 'missing' });
        break;
      case 'crd': {
        if (model.crds === undefined) break;
        const slash = r.name.indexOf('/');
        const [group, kind] = [r.name.slice(0, slash), r.name.slice(slash + 1)];
        const plural = r.crdName === undefined ? undefined : r.crdName.slice(0, r.crdName.indexOf('.'));
        if (!hasCrd(model, group, kind, plural)) out.push({ reference: r, problem: 'missing' });
        break;
      }
      case 'queue':
        if (model.queues !== undefined && !model.queues.includes(r.name)) out.push({ reference: r, problem: 'missing' });
        break;
      case 'secret': {
        if (model.secrets === undefined) break;
        const s = lookup(model.secrets, r.name);
        if (s === undefined) out.push({ reference: r, problem: 'missing' });
        else if (s.keys !== undefined) {
          const lacking = (r.keys ?? []).filter(k => !s.keys!.includes(k));
          if (lacking.length > 0) out.push({ reference: r, problem: 'key', detail: lacking, has: s.keys });
        }
        break;
      }
      case 'claim': {
        if (model.claims === undefined) break;
        const c = lookup(model.claims, r.name);
        const pods = claimPods.get(r.name);
        if (c === undefined) out.push({ reference: r, problem: 'missing' });
        else if (c.accessModes !== undefined && !claimServes(c.accessModes, pods, r.readOnly === true)) {
          out.push({ reference: r, problem: 'access', detail: c.accessModes, ...(pods === undefined ? {} : { pods }) });
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** One missing reference (the older flat form of `unmetReferences` over `manifestReferences`). */
export interface MissingReference {
  readonly kind: ReferenceKind | 'secret-key' | 'claim-access';
  /** The resource name, `<group>/<Kind>`, `<namespace>/<name>` or queue name. */
  readonly name: string;
  /** `<Kind>/<namespace>/<name>` of the referencing object. */
  readonly object: string;
  /** Where in the object. */
  readonly field: string;
}

/** Every reference of the manifests the model lacks, in object order; objects the manifests create count as present. */
export function missingReferences(manifests: readonly unknown[], model: ClusterModel): MissingReference[] {
  return unmetReferences(manifestReferences(manifests), withCreated(model, manifests)).map(u => ({
    kind: u.problem === 'key' ? 'secret-key' : u.problem === 'access' ? 'claim-access' : u.reference.kind,
    name: u.reference.name, object: u.reference.object, field: u.reference.field,
  }));
}

/**
 * What a set of manifests references but the cluster model lacks: extended resources no device plugin advertises,
 * kinds whose CRD is not installed, Secrets, PersistentVolumeClaims and KAI queues that do not exist. Objects the
 * manifests themselves create count as present. A category the model leaves undefined is not known and not
 * checked; an empty list means none exist.
 */
import { ClusterModel, CPU, EPHEMERAL_STORAGE, MEMORY, PODS } from './model';

/** One missing reference. */
export interface MissingReference {
  readonly kind: 'extended-resource' | 'crd' | 'secret' | 'claim' | 'queue';
  /** The resource name, `<group>/<Kind>`, `<namespace>/<name>` or queue name. */
  readonly name: string;
  /** `<Kind>/<namespace>/<name>` of the referencing object. */
  readonly object: string;
  /** Where in the object. */
  readonly field: string;
}

/** Built-in API groups (no CRD needed). */
const BUILTIN_GROUPS = new Set(['', 'v1', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io',
  'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io', 'resource.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io']);

const QUEUE_LABEL = 'kai.scheduler/queue';

type Obj = Record<string, any>;

/** The pod specs of a workload object, each with the field path of its spec. */
export function podSpecsOf(o: unknown): { field: string; owner: string; podSpec: Obj }[] {
  const x = (typeof o === 'object' && o !== null ? o : {}) as Obj;
  const spec = x.spec;
  if (typeof spec !== 'object' || spec === null) return [];
  if (x.kind === 'PodCliqueSet') {
    return ((spec.template?.cliques ?? []) as Obj[]).map((c, i) => ({ field: `spec.template.cliques[${i}].spec.podSpec`, owner: `clique ${c?.name ?? i}`, podSpec: c?.spec?.podSpec ?? {} }));
  }
  switch (x.kind) {
    case 'Pod': return [{ field: 'spec', owner: 'the pod', podSpec: spec }];
    case 'CronJob': return [{ field: 'spec.jobTemplate.spec.template.spec', owner: 'its pod template', podSpec: spec.jobTemplate?.spec?.template?.spec ?? {} }];
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return [{ field: 'spec.template.spec', owner: 'its pod template', podSpec: spec.template?.spec ?? {} }];
    default: return [];
  }
}

/** Extended resources the model's nodes advertise (its `devicePlugins`, else every non-standard allocatable). */
export function advertisedResources(model: ClusterModel): string[] {
  if (model.devicePlugins !== undefined) return [...model.devicePlugins];
  return [...new Set(model.pools.flatMap(p => Object.keys(p.allocatable)).filter(isExtended))];
}

function isExtended(name: string): boolean {
  return ![CPU, MEMORY, EPHEMERAL_STORAGE, PODS].includes(name) && !name.startsWith('hugepages-');
}

function group(apiVersion: unknown): string {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  return s.includes('/') ? s.slice(0, s.indexOf('/')) : '';
}

function objectName(o: Obj): string {
  return `${o.kind ?? '?'}/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? '?'}`;
}

/** Every reference of the manifests the model lacks, in object order. */
export function missingReferences(manifests: readonly unknown[], model: ClusterModel): MissingReference[] {
  const objs = manifests.filter((m): m is Obj => typeof m === 'object' && m !== null);
  const ns = (o: Obj): string => o.metadata?.namespace ?? 'default';
  const created = (kind: string): Set<string> => new Set(objs.filter(o => o.kind === kind).map(o => `${ns(o)}/${o.metadata?.name}`));
  const secrets = new Set([...(model.secrets ?? []), ...created('Secret')]);
  const claims = new Set([...(model.claims ?? []), ...created('PersistentVolumeClaim')]);
  const queues = new Set([...(model.queues ?? []), ...objs.filter(o => o.kind === 'Queue').map(o => o.metadata?.name as string)]);
  const crds = new Set([...(model.crds ?? []), ...objs.filter(o => o.kind === 'CustomResourceDefinition').flatMap(o => [
    `${o.metadata?.name}`, `${o.spec?.group}/${o.spec?.names?.kind}`,
  ])]);
  const resources = new Set(advertisedResources(model));
  const out: MissingReference[] = [];
  for (const o of objs) {
    const object = objectName(o);
    const g = group(o.apiVersion);
    if (model.crds !== undefined && !BUILTIN_GROUPS.has(g)) {
      const kind = String(o.kind ?? '');
      const plural = `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}.${g}`;
      if (!crds.has(`${g}/${kind}`) && !crds.has(plural)) out.push({ kind: 'crd', name: `${g}/${kind}`, object, field: 'apiVersion' });
    }
    if (model.queues !== undefined) {
      const q = o.metadata?.labels?.[QUEUE_LABEL];
      if (typeof q === 'string' && !queues.has(q)) out.push({ kind: 'queue', name: q, object, field: `metadata.labels[${QUEUE_LABEL}]` });
    }
    for (const { field, podSpec } of podSpecsOf(o)) {
      const containers: Obj[] = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
      const seen = new Set<string>();
      containers.forEach(c => {
        for (const name of [...Object.keys(c?.resources?.requests ?? {}), ...Object.keys(c?.resources?.limits ?? {})]) {
          if (isExtended(name) && !resources.has(name) && !seen.has(name)) {
            seen.add(name);
            out.push({ kind: 'extended-resource', name, object, field: `${field}.containers[${c?.name}].resources` });
          }
        }
        if (model.secrets !== undefined) {
          for (const e of c?.env ?? []) {
            const ref = e?.valueFrom?.secretKeyRef;
            if (ref?.name && ref.optional !== true && !secrets.has(`${ns(o)}/${ref.name}`)) out.push({ kind: 'secret', name: `${ns(o)}/${ref.name}`, object, field: `${field}.containers[${c?.name}].env[${e.name}]` });
          }
          for (const e of c?.envFrom ?? []) {
            const ref = e?.secretRef;
            if (ref?.name && ref.optional !== true && !secrets.has(`${ns(o)}/${ref.name}`)) out.push({ kind: 'secret', name: `${ns(o)}/${ref.name}`, object, field: `${field}.containers[${c?.name}].envFrom` });
          }
        }
      });
      for (const v of (podSpec.volumes ?? []) as Obj[]) {
        const secret = v?.secret?.secretName;
        if (model.secrets !== undefined && secret && v.secret.optional !== true && !secrets.has(`${ns(o)}/${secret}`)) {
          out.push({ kind: 'secret', name: `${ns(o)}/${secret}`, object, field: `${field}.volumes[${v.name}]` });
        }
        const claim = v?.persistentVolumeClaim?.claimName;
        if (model.claims !== undefined && claim && !claims.has(`${ns(o)}/${claim}`)) {
          out.push({ kind: 'claim', name: `${ns(o)}/${claim}`, object, field: `${field}.volumes[${v.name}]` });
        }
      }
      if (model.secrets !== undefined) {
        for (const s of (podSpec.imagePullSecrets ?? []) as Obj[]) {
          if (s?.name && !secrets.has(`${ns(o)}/${s.name}`)) out.push({ kind: 'secret', name: `${ns(o)}/${s.name}`, object, field: `${field}.imagePullSecrets` });
        }
      }
    }
  }
  return out;
}

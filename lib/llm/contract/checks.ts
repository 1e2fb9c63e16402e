/**
 * The Dynamo contract as checks over any manifest set. Each issue names the upstream behaviour it protects
 * (github.com/ai-dynamo/dynamo file). `cdk8s-grove lint` reports them with file:line; the construct tests run them
 * on the example apps.
 */
import {
  DEFAULT_KV_BLOCK_SIZE, DYNAMO_FS_GROUP, DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS, DYNAMO_WORKER_METADATA_CRD, DynamoLabel,
  EVENT_PLANE_ENV, KUBERNETES_DISCOVERY_LABELS, KV_BLOCK_SIZE_FLAGS, KV_CONNECTOR_FLAGS,
} from './contract';
import { ClusterModel } from '../../cluster/model';
import { hasCrd, podSpecReferences, unmetReferences } from '../../cluster/references';
import { ComponentPod, Json, ServiceView, engineOf, flagValue, isDynamoComponent, usesKubernetesDiscovery } from './manifest';

/** The rule family. */
export const DynamoRule = {
  DISCOVERY_LABELS: 'dynamo-discovery-labels',
  DISCOVERY_BACKEND: 'dynamo-discovery-backend',
  KV_CONNECTOR: 'dynamo-kv-connector',
  KV_BLOCK_SIZE: 'dynamo-kv-block-size',
  GPU_AUTOSCALING: 'dynamo-gpu-autoscaling',
  REFERENCES: 'dynamo-references',
  POD: 'dynamo-pod',
} as const;

/** One of the `DynamoRule` values. */
export type DynamoRule = (typeof DynamoRule)[keyof typeof DynamoRule];

/** The annotation on a clique that opts a GPU clique into CPU/memory-utilization autoscaling. */
export const ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION = 'grove.cdk8s.io/allow-utilization-autoscaling';

/** One contract violation. `field` is a path in the object `src` stands for. */
export interface ContractIssue<S> {
  readonly src: S;
  readonly rule: DynamoRule;
  readonly severity: 'error' | 'warning' | 'info';
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * What exists for the pods to reference: the input's own objects, what the user declares (`--present`) and the
 * cluster file (`--cluster`), as the reference categories of a `ClusterModel` (every one listed, possibly empty).
 */
export interface ContractContext {
  readonly cluster: ClusterModel;
}

/** True the first time `key` is seen for `src` (one reminder per object, not per clique). */
function firstFor<S>(seen: Map<S, Set<string>>, src: S, key: string): boolean {
  const keys = seen.get(src) ?? new Set<string>();
  seen.set(src, keys);
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

const WORKER_TYPES = new Set(['prefill', 'decode', 'worker']);

const selects = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

const missingDiscoveryLabels = (labels: Readonly<Record<string, string>>): string[] =>
  Object.entries(KUBERNETES_DISCOVERY_LABELS).filter(([k, v]) => labels[k] !== v).map(([k, v]) => `${k}: "${v}"`);

const DAEMON = 'the runtime\'s discovery daemon watches only EndpointSlices (pod mode) or Pods (container mode) labelled '
  + 'nvidia.com/dynamo-discovery-backend=kubernetes and nvidia.com/dynamo-discovery-enabled=true (lib/runtime/src/discovery/kube/daemon.rs)';

/** Service and pod discovery labels under Kubernetes discovery. */
export function discoveryLabelIssues<S>(pods: readonly ComponentPod<S>[], services: readonly ServiceView<S>[]): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  const k8sPods = pods.filter(p => isDynamoComponent(p) && usesKubernetesDiscovery(p));
  for (const svc of services) {
    const selected = k8sPods.filter(p => p.namespace === svc.namespace && selects(svc.selector, p.labels));
    const missing = missingDiscoveryLabels(svc.labels);
    if (selected.length > 0 && missing.length > 0) {
      out.push({
        src: svc.src, rule: DynamoRule.DISCOVERY_LABELS, severity: 'error', field: 'metadata.labels',
        message: `Service ${svc.name} selects Dynamo pods that use Kubernetes discovery (${selected[0].name}) but lacks ${missing.join(', ')}; `
          + `its EndpointSlices copy the Service's labels and ${DAEMON}, so the frontend never sees these workers`,
        fix: `add ${missing.join(' and ')} to the Service's metadata.labels (GenerateComponentService in deploy/operator/internal/dynamo/graph.go does)`,
      });
    }
  }
  for (const p of k8sPods) {
    const missing = missingDiscoveryLabels(p.labels);
    if (missing.length > 0) {
      out.push({
        src: p.src, rule: DynamoRule.DISCOVERY_LABELS, severity: 'error', field: `${p.at}.labels`,
        message: `clique ${p.name} uses Kubernetes discovery but its pods lack ${missing.join(', ')}; ${DAEMON}`,
        fix: `add ${missing.join(' and ')} to the clique's labels`,
      });
    }
    const containerMode = p.env.DYN_KUBE_DISCOVERY_MODE === 'container';
    if (WORKER_TYPES.has(p.componentType) && !containerMode
      && !services.some(s => s.namespace === p.namespace && selects(s.selector, p.labels))) {
      out.push({
        src: p.src, rule: DynamoRule.DISCOVERY_LABELS, severity: 'error', field: `${p.at}.labels`,
        message: `no Service selects the ${p.componentType} pods of clique ${p.name}; in pod mode ${DAEMON}, and EndpointSlices exist only for Services`,
        fix: 'add a Service selecting the component (nvidia.com/dynamo-component-type, nvidia.com/dynamo-namespace, nvidia.com/dynamo-component) with the discovery labels',
      });
    }
  }
  return out;
}

/** The discovery backend's dependencies: the DynamoWorkerMetadata CRD, or etcd; NATS when the event plane is NATS. */
export function discoveryBackendIssues<S>(pods: readonly ComponentPod<S>[], ctx: ContractContext): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  const crd = DYNAMO_WORKER_METADATA_CRD.name;
  const crdKnown = hasCrd(ctx.cluster, DYNAMO_WORKER_METADATA_CRD.group, DYNAMO_WORKER_METADATA_CRD.kind, DYNAMO_WORKER_METADATA_CRD.plural);
  const seen = new Map<S, Set<string>>();
  for (const p of pods.filter(isDynamoComponent)) {
    const at = `${p.at}.spec.podSpec.containers[0].env`;
    if (usesKubernetesDiscovery(p)) {
      if (!crdKnown && p.componentType !== 'frontend' && firstFor(seen, p.src, crd)) {
        out.push({
          src: p.src, rule: DynamoRule.DISCOVERY_BACKEND, severity: 'info', field: at,
          message: `clique ${p.name} uses Kubernetes discovery, so each worker creates a ${DYNAMO_WORKER_METADATA_CRD.kind} object and fails to register without the CRD `
            + `${crd} (lib/runtime/src/discovery/kube/crd.rs), which is not in the input`,
          fix: `install the Dynamo platform CRDs, then declare it with --present CustomResourceDefinition/${crd}`,
        });
      }
    } else if (p.env.ETCD_ENDPOINTS === undefined) {
      out.push({
        src: p.src, rule: DynamoRule.DISCOVERY_BACKEND, severity: 'error', field: at,
        message: `clique ${p.name} sets neither DYN_DISCOVERY_BACKEND=kubernetes nor ETCD_ENDPOINTS, so the runtime falls back to etcd on localhost and registers nowhere `
          + '(DYN_DISCOVERY_BACKEND, lib/runtime/src/distributed.rs)',
        fix: 'set DYN_DISCOVERY_BACKEND=kubernetes (with the discovery labels and RBAC) or ETCD_ENDPOINTS',
      });
    }
    if (p.env[EVENT_PLANE_ENV] === 'nats' && p.env.NATS_SERVER === undefined) {
      out.push({
        src: p.src, rule: DynamoRule.DISCOVERY_BACKEND, severity: 'error', field: at,
        message: `clique ${p.name} sets ${EVENT_PLANE_ENV}=nats without NATS_SERVER, so KV events and load metrics go nowhere (lib/runtime/src/transports/event_plane)`,
        fix: `set NATS_SERVER, or ${EVENT_PLANE_ENV}=zmq`,
      });
    }
  }
  return out;
}

function groups<S>(pods: readonly ComponentPod<S>[]): ComponentPod<S>[][] {
  const by = new Map<string, ComponentPod<S>[]>();
  for (const p of pods.filter(x => x.dynamoNamespace !== '')) {
    const key = `${p.namespace}/${p.dynamoNamespace}`;
    by.set(key, [...(by.get(key) ?? []), p]);
  }
  return [...by.values()];
}

/** Both roles of a disaggregated service run the KV connector. */
export function kvConnectorIssues<S>(pods: readonly ComponentPod<S>[]): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  for (const g of groups(pods)) {
    const types = new Set(g.map(p => p.componentType));
    if (!types.has('prefill') || !types.has('decode')) continue;
    for (const p of g.filter(x => x.componentType === 'prefill' || x.componentType === 'decode')) {
      const engine = engineOf(p.tokens);
      if (engine === undefined) continue; // a pod that runs no engine process (Ray or MPI worker)
      const flags = KV_CONNECTOR_FLAGS[engine];
      const flag = flags.join(' or ');
      const has = flags.some(f => p.tokens.includes(f) || p.tokens.some(t => t.startsWith(`${f}=`)));
      if (!has) {
        out.push({
          src: p.src, rule: DynamoRule.KV_CONNECTOR, severity: 'error', field: `${p.at}.spec.podSpec.containers[0].args`,
          message: `the ${p.componentType} role of disaggregated service ${p.dynamoNamespace} runs ${engine} without ${flag}, so its KV cache cannot move between prefill and decode `
            + '(examples/backends/*/deploy/disagg*.yaml pass it on both roles)',
          fix: `pass ${flags[0]} ${p.componentType} (and the same connector on the other role)`,
        });
      }
    }
  }
  return out;
}

/** The KV router's block size matches the engines' where the frontend states one. */
export function kvBlockSizeIssues<S>(pods: readonly ComponentPod<S>[]): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  for (const g of groups(pods)) {
    for (const f of g.filter(p => p.componentType === 'frontend')) {
      const routerSize = flagValue(f.tokens, KV_BLOCK_SIZE_FLAGS.router);
      if (routerSize === undefined) continue;
      for (const w of g.filter(p => WORKER_TYPES.has(p.componentType))) {
        const engine = engineOf(w.tokens);
        if (engine !== 'vllm' && engine !== 'sglang') continue;
        const stated = flagValue(w.tokens, KV_BLOCK_SIZE_FLAGS[engine]);
        const size = stated ?? String(DEFAULT_KV_BLOCK_SIZE[engine]);
        if (Number(size) !== Number(routerSize)) {
          out.push({
            src: w.src, rule: DynamoRule.KV_BLOCK_SIZE, severity: 'error', field: `${w.at}.spec.podSpec.containers[0].args`,
            message: `the frontend clique ${f.name} routes with ${KV_BLOCK_SIZE_FLAGS.router} ${routerSize} but ${w.name} runs ${engine} with ${stated === undefined ? 'the default ' : ''}`
              + `${KV_BLOCK_SIZE_FLAGS[engine]} ${size}; the KV router hashes blocks of its own size, so no KV event ever matches (components/src/dynamo/frontend, lib/llm/src/kv_router)`,
            fix: `use the same size on both: ${KV_BLOCK_SIZE_FLAGS[engine]} ${routerSize} on the workers, or drop ${KV_BLOCK_SIZE_FLAGS.router} from the frontend`,
          });
        }
      }
    }
  }
  return out;
}

/** The CPU/memory utilization metrics of an autoscaler config (and whether it has none, i.e. the HPA default). */
export function utilizationMetrics(config: Json): { defaulted: boolean; resources: string[] } {
  const metrics = Array.isArray(config.metrics) ? config.metrics as Json[] : [];
  const resources = metrics.flatMap(m => {
    const src = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    const name = src?.name;
    return name === 'cpu' || name === 'memory' ? [name as string] : [];
  });
  return { defaulted: metrics.length === 0, resources };
}

/** GPU cliques never autoscale on CPU or memory utilization unless opted in. */
export function gpuAutoscalingIssues<S>(pods: readonly ComponentPod<S>[]): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  const seen = new Map<S, Set<string>>();
  for (const p of pods) {
    if (p.gpus === 0 || p.autoScaling === undefined || !firstFor(seen, p.src, p.autoScaling.at) || p.annotations[ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION] === 'true') continue;
    const u = utilizationMetrics(p.autoScaling.config);
    if (!u.defaulted && u.resources.length === 0) continue;
    out.push({
      src: p.src, rule: DynamoRule.GPU_AUTOSCALING, severity: 'error', field: p.autoScaling.at,
      message: `clique ${p.name} requests ${p.gpus} GPU${p.gpus === 1 ? '' : 's'} per pod but autoscales on ${u.defaulted ? 'the HPA default (80% CPU utilization)' : `${u.resources.join(' and ')} utilization`}; `
        + 'a GPU worker uses one or two of its requested cores, so the autoscaler shrinks it to minReplicas under full load',
      fix: 'scale on a metric of GPU-worker load (e.g. a Pods metric on Dynamo\'s dynamo_frontend_queued_requests or a worker\'s KV-cache usage), '
        + `or annotate the clique ${ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION}: "true" to keep it`,
    });
  }
  return out;
}

/**
 * Secrets and claims the Dynamo pods reference, compared with what exists by `lib/cluster`'s one comparison
 * (`unmetReferences` over `podSpecReferences`): present, with the keys read, and mountable by every pod.
 */
export function referenceIssues<S>(pods: readonly ComponentPod<S>[], ctx: ContractContext): ContractIssue<S>[] {
  const dynamo = pods.filter(isDynamoComponent);
  const refs = dynamo.flatMap((p, i) => podSpecReferences({ field: `${p.at}.spec.podSpec`, owner: `clique ${p.name}`, podSpec: p.podSpec, pods: p.totalPods }, {
    namespace: p.namespace, index: i, object: p.name,
  })).filter(r => r.kind === 'secret' || r.kind === 'claim');
  const out: ContractIssue<S>[] = [];
  const seen = new Map<S, Set<string>>();
  for (const u of unmetReferences(refs, ctx.cluster)) {
    const r = u.reference;
    const p = dynamo[r.index];
    const name = r.name.slice(r.namespace.length + 1);
    const key = r.keys?.[0];
    if (u.problem === 'missing' && r.kind === 'claim' && firstFor(seen, p.src, `pvc ${name}`)) {
      out.push({
        src: p.src, rule: DynamoRule.REFERENCES, severity: 'info', field: r.field,
        message: `clique ${p.name} mounts PersistentVolumeClaim ${name}, which is not in the input; without it the pods stay Pending`,
        fix: `create the claim (ReadWriteMany when pods on several nodes share it), then declare it with --present PersistentVolumeClaim/${name}`,
      });
    } else if (u.problem === 'missing' && r.kind === 'secret' && firstFor(seen, p.src, `secret ${name}`)) {
      out.push({
        src: p.src, rule: DynamoRule.REFERENCES, severity: 'info', field: r.field,
        message: `clique ${p.name} reads Secret ${name}${key ? ` (key ${key})` : ''}, which is not in the input; without it the pods fail with CreateContainerConfigError`,
        fix: `create the Secret${key ? ` with key ${key}` : ''} in namespace ${p.namespace}, then declare it with --present Secret/${name}`,
      });
    } else if (u.problem === 'key') {
      const lacking = (u.detail ?? []).join(', ');
      out.push({
        src: p.src, rule: DynamoRule.REFERENCES, severity: 'error', field: r.field,
        message: `clique ${p.name} reads key ${lacking} of Secret ${name}, which has only ${(u.has ?? []).join(', ') || 'no keys'}`,
        fix: `add key ${lacking} to Secret ${name}, or reference one of its keys`,
      });
    } else if (u.problem === 'access') {
      out.push({
        src: p.src, rule: DynamoRule.REFERENCES, severity: 'error', field: r.field,
        message: `PersistentVolumeClaim ${name} offers ${(u.detail ?? []).join(', ') || 'no access mode'} but ${u.pods ?? 'one per node of the'} pods mount it, on different GPU nodes; the second pod stays Pending (Multi-Attach error)`,
        fix: 'use a ReadWriteMany claim (Azure Files, Azure Managed Lustre) for a shared model cache',
      });
    }
  }
  return out;
}

const hasVolume = (spec: Json, kind: 'persistentVolumeClaim' | 'hostPath'): boolean =>
  (Array.isArray(spec.volumes) ? spec.volumes : []).some((v: Json) => v?.[kind] !== undefined);

/** Pod-level contract: fsGroup with persistent volumes, the grace period of GPU workers, the metrics label, the event plane. */
export function podIssues<S>(pods: readonly ComponentPod<S>[]): ContractIssue<S>[] {
  const out: ContractIssue<S>[] = [];
  for (const p of pods.filter(isDynamoComponent)) {
    const spec = p.podSpec;
    const at = `${p.at}.spec.podSpec`;
    if ((hasVolume(spec, 'persistentVolumeClaim') || hasVolume(spec, 'hostPath')) && spec.securityContext?.fsGroup === undefined) {
      out.push({
        src: p.src, rule: DynamoRule.POD, severity: 'warning', field: spec.securityContext === undefined ? at : `${at}.securityContext`,
        message: `clique ${p.name} mounts a persistent volume without securityContext.fsGroup; the runtime images run as uid 1000, so a root-owned model cache fails with EACCES `
          + '(GenerateBasePodSpec in deploy/operator/internal/dynamo/graph.go sets fsGroup 1000)',
        fix: `set securityContext.fsGroup: ${DYNAMO_FS_GROUP}`,
      });
    }
    const grace = spec.terminationGracePeriodSeconds;
    if (p.gpus > 0 && (typeof grace !== 'number' || grace < DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS)) {
      out.push({
        src: p.src, rule: DynamoRule.POD, severity: 'warning', field: typeof grace === 'number' ? `${at}.terminationGracePeriodSeconds` : at,
        message: `GPU clique ${p.name} drains for ${typeof grace === 'number' ? grace : 'the default 30'} s; in-flight requests are cut off before the worker deregisters `
          + `(the operator gives every component ${DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS} s, GenerateBasePodSpec in graph.go)`,
        fix: `set terminationGracePeriodSeconds: ${DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS} or more`,
      });
    }
    if (p.labels[DynamoLabel.METRICS_ENABLED] !== 'true') {
      out.push({
        src: p.src, rule: DynamoRule.POD, severity: 'warning', field: `${p.at}.labels`,
        message: `clique ${p.name} lacks ${DynamoLabel.METRICS_ENABLED}: "true", which the Dynamo platform's PodMonitors select, so its metrics are never scraped (generateLabels in graph.go)`,
        fix: `add ${DynamoLabel.METRICS_ENABLED}: "true" to the clique's labels`,
      });
    }
    if (p.env[EVENT_PLANE_ENV] === undefined && WORKER_TYPES.has(p.componentType) && engineOf(p.tokens) !== undefined) {
      out.push({
        src: p.src, rule: DynamoRule.POD, severity: 'info', field: `${at}.containers[0].env`,
        message: `clique ${p.name} leaves ${EVENT_PLANE_ENV} to the runtime's version-dependent default (NATS for distributed backends in older releases)`,
        fix: `state it: ${EVENT_PLANE_ENV}=zmq without NATS, ${EVENT_PLANE_ENV}=nats with NATS_SERVER`,
      });
    }
  }
  return out;
}

/** Every check, in rule order. */
export function contractIssues<S>(pods: readonly ComponentPod<S>[], services: readonly ServiceView<S>[], ctx: ContractContext): ContractIssue<S>[] {
  return [
    ...discoveryLabelIssues(pods, services),
    ...discoveryBackendIssues(pods, ctx),
    ...kvConnectorIssues(pods),
    ...kvBlockSizeIssues(pods),
    ...gpuAutoscalingIssues(pods),
    ...referenceIssues(pods, ctx),
    ...podIssues(pods),
  ];
}

/**
 * The Kubernetes objects an LLM service emits besides its PodCliqueSet: the component Services the Dynamo runtime
 * discovers, the ServiceAccount and RBAC of Kubernetes discovery, and the NetworkPolicies. Labels, selectors and
 * ports come from the Dynamo contract (`contract/contract.ts`).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ComponentLabelOptions, DYNAMO_WORKER_METADATA_CRD, DynamoLabel, METRICS_PORTS, componentServiceLabels, componentServiceSelector } from './contract';
import * as engines from './engines';
import { PlainApiObject } from '../private/api-object-json';

/**
 * A core Kubernetes object as a plain `ApiObject` (the JSON below is already in API form): cheaper to load and to
 * synthesize than the generated `Kube*` classes, which would add their 1 MB module to every app's start-up, and
 * rendered in one walk (`PlainApiObject`).
 */
function kubeObject(scope: Construct, id: string, apiVersion: string, kind: string, body: Record<string, unknown>): ApiObject {
  return new PlainApiObject(scope, id, { apiVersion, kind, ...body });
}

/** What every object of one service shares. */
export interface ServiceObjectContext {
  readonly scope: Construct;
  readonly name: string;
  /** The namespace written into metadata (undefined: the chart's). */
  readonly namespace?: string;
  /** The namespace the objects land in (for RoleBinding subjects, which must name it). */
  readonly effectiveNamespace: string;
  readonly dynamoNamespace: string;
  readonly kubernetesDiscovery: boolean;
  /** Labels every object carries. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The ServiceAccount every pod runs as, plus the Role and RoleBinding Kubernetes discovery needs. */
export function renderServiceAccount(c: ServiceObjectContext): ApiObject {
  const metadata = (name: string) => ({ name, namespace: c.namespace, labels: { ...c.labels } });
  const sa = kubeObject(c.scope, 'ServiceAccount', 'v1', 'ServiceAccount', {
    metadata: metadata(c.name),
    automountServiceAccountToken: c.kubernetesDiscovery,
  });
  if (c.kubernetesDiscovery) {
    // lib/runtime/src/discovery/kube/daemon.rs watches EndpointSlices and Pods and DynamoWorkerMetadata objects;
    // each worker creates and updates its own DynamoWorkerMetadata (lib/runtime/src/discovery/kube/crd.rs).
    const role = kubeObject(c.scope, 'DiscoveryRole', 'rbac.authorization.k8s.io/v1', 'Role', {
      metadata: metadata(`${c.name}-discovery`),
      rules: [
        { apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [DYNAMO_WORKER_METADATA_CRD.group], resources: [DYNAMO_WORKER_METADATA_CRD.plural], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      ],
    });
    kubeObject(c.scope, 'DiscoveryRoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding', {
      metadata: metadata(`${c.name}-discovery`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: c.effectiveNamespace }],
    });
  }
  return sa;
}

/**
 * A component Service as `GenerateComponentService` (deploy/operator/internal/dynamo/graph.go) builds it: selector
 * on component type, Dynamo namespace and component; the discovery labels under Kubernetes discovery, because
 * EndpointSlices copy them and the runtime's discovery daemon watches only labelled slices.
 */
export function renderComponentService(c: ServiceObjectContext, role: engines.ServingRole, component: string, port: { name: string; port: number }): ApiObject {
  const o: ComponentLabelOptions = {
    dynamoNamespace: c.dynamoNamespace, component, componentType: engines.COMPONENT_TYPE_FOR_ROLE[role], kubernetesDiscovery: c.kubernetesDiscovery,
  };
  return kubeObject(c.scope, `${component}-service`, 'v1', 'Service', {
    metadata: { name: `${c.name}-${component}`, namespace: c.namespace, labels: { ...c.labels, ...componentServiceLabels(o) } },
    spec: {
      selector: componentServiceSelector(o),
      ports: [{ name: port.name, port: port.port, targetPort: port.name, protocol: 'TCP' }],
    },
  });
}

/**
 * NetworkPolicies: workers accept traffic only from pods of the same service, plus Prometheus in the monitoring
 * namespace on the system and NIXL metric ports; the frontend accepts its HTTP port from anywhere.
 */
export function renderNetworkPolicies(c: ServiceObjectContext, monitoringNamespace: string | undefined): void {
  const sameService = [{ podSelector: { matchLabels: { [DynamoLabel.NAMESPACE]: c.dynamoNamespace } } }];
  const tcp = (port: number) => ({ port, protocol: 'TCP' });
  const scrape = monitoringNamespace === undefined ? [] : [{
    from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoringNamespace } } }],
    ports: METRICS_PORTS.worker.map(tcp),
  }];
  kubeObject(c.scope, 'WorkersNetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy', {
    metadata: { name: `${c.name}-workers`, namespace: c.namespace, labels: { ...c.labels } },
    spec: {
      podSelector: {
        matchLabels: { [DynamoLabel.NAMESPACE]: c.dynamoNamespace },
        matchExpressions: [{ key: DynamoLabel.COMPONENT_TYPE, operator: 'NotIn', values: ['frontend'] }],
      },
      policyTypes: ['Ingress'],
      ingress: [{ from: sameService }, ...scrape],
    },
  });
  kubeObject(c.scope, 'FrontendNetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy', {
    metadata: { name: `${c.name}-frontend`, namespace: c.namespace, labels: { ...c.labels } },
    spec: {
      podSelector: { matchLabels: { [DynamoLabel.NAMESPACE]: c.dynamoNamespace, [DynamoLabel.COMPONENT_TYPE]: 'frontend' } },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: METRICS_PORTS.frontend.map(tcp) },
        { from: sameService },
      ],
    },
  });
}

/** The model-cache claim a service emits (`ModelCache.newPersistentVolumeClaim`): ReadWriteMany, labelled. */
export function renderModelCacheClaim(c: ServiceObjectContext, claim: { readonly claimName: string; readonly storageClassName: string; readonly size: string }): ApiObject {
  return kubeObject(c.scope, 'ModelCacheClaim', 'v1', 'PersistentVolumeClaim', {
    metadata: { name: claim.claimName, namespace: c.namespace, labels: { ...c.labels } },
    spec: {
      accessModes: ['ReadWriteMany'],
      storageClassName: claim.storageClassName,
      resources: { requests: { storage: claim.size } },
    },
  });
}

/**
 * What a JSON round trip through Grove's Go types adds to a PodCliqueSet: `json.Marshal` writes every field without
 * `omitempty` (at its zero value) and every struct-valued field (encoding/json never omits a struct). controller-runtime's
 * defaulter (pkg/webhook/admission/defaulter_custom.go) patches the difference between the request and the
 * re-marshalled defaulted object back, dropping removals, so those zero values appear in the admitted object.
 *
 * The model lists, per Go type, the fields whose zero value is written and the typed children to follow. Sources (json
 * tags): ai-dynamo/grove operator/api/core/v1alpha1/podcliqueset.go, podclique.go; k8s.io/api core/v1/types.go,
 * resource/v1/types.go, autoscaling/v2/types.go. Kept out: the many volume sources and probe handlers whose fields
 * are all `omitempty`, `status` (the API server resets it on the main resource) and `ObjectMeta` (its only always
 * written field, `creationTimestamp`, is set by the API server on create).
 */
import { JsonObject, isObject } from './json';

/** A Go field's kind: a scalar zero value, or a typed child. */
type Kind =
  | 'string' | 'int' | 'bool' | 'nil' | 'quantity' | 'intstr'
  | { readonly struct: string }
  | { readonly ptr: string }
  | { readonly slice: string }
  | { readonly map: string };

/** `[json name, kind, omitempty]`. */
type Field = readonly [string, Kind, boolean];

const S = (t: string): Kind => ({ struct: t });
const P = (t: string): Kind => ({ ptr: t });
const L = (t: string): Kind => ({ slice: t });

const MODEL: Readonly<Record<string, readonly Field[]>> = {
  // grove operator/api/core/v1alpha1/podcliqueset.go
  PodCliqueSet: [['spec', S('PodCliqueSetSpec'), false]],
  PodCliqueSetSpec: [['replicas', 'int', true], ['template', S('PodCliqueSetTemplateSpec'), false]],
  PodCliqueSetTemplateSpec: [
    ['cliques', L('PodCliqueTemplateSpec'), false],
    ['headlessServiceConfig', P('HeadlessServiceConfig'), true],
    ['resourceClaimTemplates', L('ResourceClaimTemplateConfig'), true],
    ['resourceSharing', L('ResourceSharingSpec'), true],
    ['podCliqueScalingGroups', L('PodCliqueScalingGroupConfig'), true],
  ],
  PodCliqueTemplateSpec: [['name', 'string', false], ['resourceSharing', L('ResourceSharingSpec'), true], ['spec', S('PodCliqueSpec'), false]],
  PodCliqueScalingGroupConfig: [
    ['name', 'string', false], ['cliqueNames', 'nil', false], ['scaleConfig', P('AutoScalingConfig'), true],
    ['resourceSharing', L('ResourceSharingSpec'), true],
  ],
  ResourceSharingSpec: [['name', 'string', false], ['scope', 'string', false]],
  HeadlessServiceConfig: [['publishNotReadyAddresses', 'bool', false]],
  ResourceClaimTemplateConfig: [['name', 'string', false], ['templateSpec', S('ResourceClaimTemplateSpec'), false]],
  // grove operator/api/core/v1alpha1/podclique.go
  PodCliqueSpec: [
    ['roleName', 'string', false], ['podSpec', S('PodSpec'), false], ['replicas', 'int', false],
    ['autoScalingConfig', P('AutoScalingConfig'), true],
  ],
  AutoScalingConfig: [['maxReplicas', 'int', false], ['metrics', L('MetricSpec'), true]],
  // k8s.io/api autoscaling/v2/types.go
  MetricSpec: [['type', 'string', false]],
  // k8s.io/api resource/v1/types.go
  // metav1.ObjectMeta is written as {"creationTimestamp": null}; the CRD schema types it `object` without
  // properties, so the API server's decode prunes the timestamp and keeps {}.
  ResourceClaimTemplateSpec: [['metadata', S('ObjectMeta'), true], ['spec', S('ResourceClaimSpec'), false]],
  ObjectMeta: [],
  ResourceClaimSpec: [['devices', S('DeviceClaim'), false]],
  DeviceClaim: [['requests', L('DeviceRequest'), false]],
  DeviceRequest: [['name', 'string', false], ['exactly', P('ExactDeviceRequest'), true], ['firstAvailable', L('DeviceSubRequest'), true]],
  ExactDeviceRequest: [['deviceClassName', 'string', false]],
  DeviceSubRequest: [['name', 'string', false], ['deviceClassName', 'string', false]],
  // k8s.io/api core/v1/types.go
  PodSpec: [
    ['volumes', L('Volume'), true], ['initContainers', L('Container'), true], ['containers', L('Container'), false],
    ['ephemeralContainers', L('Container'), true], ['affinity', P('Affinity'), true],
    ['topologySpreadConstraints', L('TopologySpreadConstraint'), true], ['resourceClaims', L('PodResourceClaim'), true],
    ['hostAliases', L('HostAlias'), true], ['os', P('PodOS'), true], ['readinessGates', L('PodReadinessGate'), true],
    ['schedulingGates', L('PodSchedulingGate'), true],
  ],
  Container: [
    ['name', 'string', false], ['ports', L('ContainerPort'), true], ['env', L('EnvVar'), true],
    ['resources', S('ResourceRequirements'), true], ['resizePolicy', L('ContainerResizePolicy'), true],
    ['volumeMounts', L('VolumeMount'), true], ['volumeDevices', L('VolumeDevice'), true],
    ['livenessProbe', P('Probe'), true], ['readinessProbe', P('Probe'), true], ['startupProbe', P('Probe'), true],
  ],
  ContainerPort: [['containerPort', 'int', false]],
  EnvVar: [['name', 'string', false], ['valueFrom', P('EnvVarSource'), true]],
  EnvVarSource: [
    ['fieldRef', P('ObjectFieldSelector'), true], ['resourceFieldRef', P('ResourceFieldSelector'), true],
    ['configMapKeyRef', P('KeySelector'), true], ['secretKeyRef', P('KeySelector'), true],
  ],
  ObjectFieldSelector: [['fieldPath', 'string', false]],
  ResourceFieldSelector: [['resource', 'string', false], ['divisor', 'quantity', true]],
  KeySelector: [['key', 'string', false]],
  ResourceRequirements: [['claims', L('ResourceClaim'), true]],
  ResourceClaim: [['name', 'string', false]],
  ContainerResizePolicy: [['resourceName', 'string', false], ['restartPolicy', 'string', false]],
  VolumeMount: [['name', 'string', false], ['mountPath', 'string', false]],
  VolumeDevice: [['name', 'string', false], ['devicePath', 'string', false]],
  Probe: [['httpGet', P('HTTPGetAction'), true], ['tcpSocket', P('TCPSocketAction'), true], ['grpc', P('GRPCAction'), true]],
  HTTPGetAction: [['port', 'intstr', false], ['httpHeaders', L('HTTPHeader'), true]],
  HTTPHeader: [['name', 'string', false], ['value', 'string', false]],
  TCPSocketAction: [['port', 'intstr', false]],
  GRPCAction: [['port', 'int', false], ['service', 'nil', false]],
  Volume: [
    ['name', 'string', false], ['configMap', P('ItemsSource'), true], ['secret', P('ItemsSource'), true],
    ['persistentVolumeClaim', P('PersistentVolumeClaimVolumeSource'), true], ['hostPath', P('HostPathVolumeSource'), true],
  ],
  ItemsSource: [['items', L('KeyToPath'), true]],
  KeyToPath: [['key', 'string', false], ['path', 'string', false]],
  PersistentVolumeClaimVolumeSource: [['claimName', 'string', false]],
  HostPathVolumeSource: [['path', 'string', false]],
  Affinity: [['nodeAffinity', P('NodeAffinity'), true], ['podAffinity', P('PodAffinity'), true], ['podAntiAffinity', P('PodAffinity'), true]],
  NodeAffinity: [
    ['requiredDuringSchedulingIgnoredDuringExecution', P('NodeSelector'), true],
    ['preferredDuringSchedulingIgnoredDuringExecution', L('PreferredSchedulingTerm'), true],
  ],
  NodeSelector: [['nodeSelectorTerms', L('NodeSelectorTerm'), false]],
  NodeSelectorTerm: [['matchExpressions', L('NodeSelectorRequirement'), true], ['matchFields', L('NodeSelectorRequirement'), true]],
  NodeSelectorRequirement: [['key', 'string', false], ['operator', 'string', false]],
  PreferredSchedulingTerm: [['weight', 'int', false], ['preference', S('NodeSelectorTerm'), false]],
  PodAffinity: [
    ['requiredDuringSchedulingIgnoredDuringExecution', L('PodAffinityTerm'), true],
    ['preferredDuringSchedulingIgnoredDuringExecution', L('WeightedPodAffinityTerm'), true],
  ],
  PodAffinityTerm: [['topologyKey', 'string', false]],
  WeightedPodAffinityTerm: [['weight', 'int', false], ['podAffinityTerm', S('PodAffinityTerm'), false]],
  TopologySpreadConstraint: [['maxSkew', 'int', false], ['topologyKey', 'string', false], ['whenUnsatisfiable', 'string', false]],
  PodResourceClaim: [['name', 'string', false]],
  HostAlias: [['ip', 'string', false]],
  PodOS: [['name', 'string', false]],
  PodReadinessGate: [['conditionType', 'string', false]],
  PodSchedulingGate: [['name', 'string', false]],
};

/** `json.Marshal` of a Go zero value. */
function zeroValue(kind: Kind): unknown {
  if (typeof kind === 'string') {
    switch (kind) {
      case 'string': return '';
      case 'int': return 0;
      case 'bool': return false;
      case 'quantity': return '0';
      case 'intstr': return 0;
      default: return null;
    }
  }
  if ('struct' in kind) {
    const out: JsonObject = {};
    fillZeroValues(out, kind.struct);
    return out;
  }
  return null; // nil pointer, slice or map
}

/**
 * Adds, in place, what re-marshalling `value` as Go type `typeName` writes and the value lacks (absent or null):
 * non-`omitempty` fields at their zero value and struct fields, recursively. Present values are left as they are
 * (the defaulter drops removals from its patch, so unknown fields stay). Recursion follows the model (fixed depth).
 */
export function fillZeroValues(value: JsonObject, typeName: string): void {
  for (const [name, kind, omitempty] of MODEL[typeName] ?? []) {
    const present = Object.prototype.hasOwnProperty.call(value, name) && value[name] !== undefined && value[name] !== null;
    const isStruct = typeof kind === 'object' && 'struct' in kind;
    if (!present) {
      if (!omitempty || isStruct) {
        value[name] = zeroValue(kind);
      }
      continue;
    }
    const v = value[name];
    if (typeof kind !== 'object') {
      continue;
    }
    if ('struct' in kind || 'ptr' in kind) {
      if (isObject(v)) {
        fillZeroValues(v, 'struct' in kind ? kind.struct : kind.ptr);
      }
    } else if ('slice' in kind && Array.isArray(v)) {
      const elem = kind.slice;
      v.forEach((item, i) => {
        if (isObject(item)) {
          fillZeroValues(item, elem);
        } else if (item === null && MODEL[elem] !== undefined && elem !== 'PodCliqueTemplateSpec') {
          v[i] = zeroValue(S(elem)); // null decodes into a zero struct ([]T); []*T keeps nil (cliques)
        }
      });
    } else if ('map' in kind && isObject(v)) {
      Object.values(v).forEach(item => isObject(item) && fillZeroValues(item, kind.map));
    }
  }
}

/** Grove's Go type of the objects admit() decodes. */
export const POD_CLIQUE_SET_TYPE = 'PodCliqueSet';

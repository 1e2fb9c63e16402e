/**
 * The parts of the pinned Grove CRD schemas (`grove.io/v1alpha1`) that the API server enforces before Grove's
 * validating webhooks see an object: VALIDATION.md §1.1 (required keys), §1.2 (enums, patterns, defaults, list
 * semantics). The embedded core/v1 PodSpec and DRA types are modelled only as far as their usual required keys and
 * the types Grove's webhooks read; the rest is accepted as is.
 */
import { ANY, ObjectSchema, array, boolean, extend, int32, int64, map, object, string } from './schema';

/** `TopologyDomain`: 1-63 chars, `^[a-z][a-z0-9-]*$`. */
const TOPOLOGY_DOMAIN = string({ minLength: 1, maxLength: 63, pattern: '^[a-z][a-z0-9-]*$' });
/** A node label key as the ClusterTopologyBinding CRD restricts it. */
const NODE_LABEL_KEY = string({
  minLength: 1,
  maxLength: 63,
  pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$',
});
const STRING_LIST = array(string());
const STRING_MAP = map(string());

/** `metadata` as far as it must decode into `ObjectMeta`. */
const OBJECT_META = object({
  name: string(),
  generateName: string(),
  namespace: string(),
  labels: STRING_MAP,
  annotations: STRING_MAP,
  finalizers: STRING_LIST,
  generation: int64(),
});

export const SCOPE_VALUES = ['AllReplicas', 'PerReplica'] as const;
export const STARTUP_TYPES = ['CliqueStartupTypeAnyOrder', 'CliqueStartupTypeInOrder', 'CliqueStartupTypeExplicit'] as const;
const UPDATE_STRATEGY_TYPES = ['RollingRecreate', 'OnDelete'] as const;

const TOPOLOGY_CONSTRAINT = object({
  topologyName: string(),
  packDomain: TOPOLOGY_DOMAIN,
  pack: object({ required: TOPOLOGY_DOMAIN, preferred: TOPOLOGY_DOMAIN }),
});

const RESOURCE_SHARING = object({ name: string(), namespace: string(), scope: string({ enum: SCOPE_VALUES }) }, ['name', 'scope']);
const PCS_RESOURCE_SHARING = extend(RESOURCE_SHARING, {
  filter: object({ childCliqueNames: STRING_LIST, childScalingGroupNames: STRING_LIST }),
});
const PCSG_RESOURCE_SHARING = extend(RESOURCE_SHARING, { filter: object({ childCliqueNames: STRING_LIST }) });

const AUTO_SCALING = object({
  minReplicas: int32(),
  maxReplicas: int32(),
  metrics: array(object({ type: string() }, ['type'])),
}, ['maxReplicas']);

const ENV_VAR = object({ name: string(), value: string() }, ['name']);
const CONTAINER_PORT = object({ containerPort: int32(), hostPort: int32(), name: string(), protocol: string({ default: 'TCP' }) }, ['containerPort']);
const CONTAINER = object({
  name: string(),
  image: string(),
  command: STRING_LIST,
  args: STRING_LIST,
  env: array(ENV_VAR),
  ports: array(CONTAINER_PORT),
  resources: object({ limits: map(ANY), requests: map(ANY) }),
}, ['name']);

const POD_SPEC = object({
  containers: array(CONTAINER),
  initContainers: array(CONTAINER),
  ephemeralContainers: array(CONTAINER),
  nodeName: string(),
  schedulerName: string(),
  restartPolicy: string(),
  priorityClassName: string(),
  serviceAccountName: string(),
  terminationGracePeriodSeconds: int64(),
  nodeSelector: STRING_MAP,
  topologySpreadConstraints: array(object({ maxSkew: int32(), topologyKey: string(), whenUnsatisfiable: string() },
    ['maxSkew', 'topologyKey', 'whenUnsatisfiable'])),
  volumes: array(object({ name: string() }, ['name'])),
}, ['containers']);

const CLIQUE = object({
  name: string(),
  labels: STRING_MAP,
  annotations: STRING_MAP,
  topologyConstraint: TOPOLOGY_CONSTRAINT,
  resourceSharing: array(RESOURCE_SHARING),
  spec: object({
    roleName: string(),
    replicas: int32(),
    minAvailable: int32(),
    startsAfter: STRING_LIST,
    autoScalingConfig: AUTO_SCALING,
    podSpec: POD_SPEC,
  }, ['podSpec', 'replicas', 'roleName']),
}, ['name', 'spec']);

const SCALING_GROUP = object({
  name: string(),
  cliqueNames: STRING_LIST,
  annotations: STRING_MAP,
  replicas: int32(1),
  minAvailable: int32(1),
  scaleConfig: AUTO_SCALING,
  resourceSharing: array(PCSG_RESOURCE_SHARING),
  topologyConstraint: TOPOLOGY_CONSTRAINT,
}, ['cliqueNames', 'name']);

const DEVICE_REQUEST = object({
  name: string(),
  exactly: object({ deviceClassName: string() }, ['deviceClassName']),
  firstAvailable: array(object({ name: string(), deviceClassName: string() }, ['deviceClassName', 'name'])),
}, ['name']);

const RESOURCE_CLAIM_TEMPLATE = object({
  name: string(),
  templateSpec: object({
    spec: object({ devices: object({ requests: array(DEVICE_REQUEST) }) }),
  }, ['spec']),
}, ['name', 'templateSpec']);

/** The PodCliqueSet CRD schema (status is not modelled: the main resource endpoint ignores it). */
export const POD_CLIQUE_SET_SCHEMA: ObjectSchema = object({
  apiVersion: string(),
  kind: string(),
  metadata: OBJECT_META,
  spec: object({
    replicas: int32(0),
    updateStrategy: object({ type: string({ enum: UPDATE_STRATEGY_TYPES, default: 'RollingRecreate' }) }),
    template: object({
      cliques: array(CLIQUE, { mapKeys: ['name'] }),
      cliqueStartupType: string({ enum: STARTUP_TYPES, default: 'CliqueStartupTypeAnyOrder' }),
      priorityClassName: string(),
      headlessServiceConfig: object({ publishNotReadyAddresses: boolean(true) }, ['publishNotReadyAddresses']),
      topologyConstraint: TOPOLOGY_CONSTRAINT,
      terminationDelay: string(),
      resourceClaimTemplates: array(RESOURCE_CLAIM_TEMPLATE),
      resourceSharing: array(PCS_RESOURCE_SHARING),
      podCliqueScalingGroups: array(SCALING_GROUP),
    }, ['cliques']),
  }, ['template']),
}, ['spec']);

/** The ClusterTopologyBinding CRD schema. */
export const CLUSTER_TOPOLOGY_BINDING_SCHEMA: ObjectSchema = object({
  apiVersion: string(),
  kind: string(),
  metadata: OBJECT_META,
  spec: object({
    levels: array(object({ domain: TOPOLOGY_DOMAIN, key: NODE_LABEL_KEY }, ['domain', 'key']), { minItems: 1 }),
    schedulerTopologyBindings: array(object({ schedulerName: string(), topologyReference: string() }, ['schedulerName', 'topologyReference'])),
  }, ['levels']),
}, ['spec']);


/**
 * The stack configuration of the program (`Pulumi.<stack>.yaml`): its schema (zod), the semantic checks that
 * reuse the components' own validators, and the loader that turns every problem into one message naming the
 * config key and the fix.
 */
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { findNodeSku, nodeSkus } from '../lib/catalog';
import { ValidationProblem } from '../lib/errors';
import { resolveAksClusterArgs, validateAksClusterArgs } from './aks-cluster';
import { AppRegistry } from './apps';
import { throwIfPreflightProblems } from './errors';
import { resolveGpuNodePoolArgs, validateGpuNodePoolArgs } from './gpu-node-pool';
import { validateGroveOperatorArgs } from './grove-operator';
import { validateQueues } from './kai-queue';
import { validateKaiSchedulerArgs } from './kai-scheduler';
import { nicClusterPolicyRdmaResources, RdmaDeviceResource, validateNetworkOperatorArgs } from './network-operator';
import { ArgProblem, isDnsLabel } from './private/args';

/** The Pulumi project name, i.e. the namespace of every config key (`cdk8s-grove:<key>`). */
export const PROJECT = 'cdk8s-grove';

const str = z.string();
const int = z.number().int();
const labels = z.record(z.string(), z.string());
const values = z.record(z.string(), z.unknown());

const queueResource = z.strictObject({
  quota: int.optional(),
  limit: int.optional(),
  overQuotaWeight: int.optional(),
});

const queue = z.strictObject({
  name: str,
  parentQueue: str.optional(),
  nodePool: str.optional(),
  priority: int.optional(),
  gpu: queueResource.optional(),
  cpu: queueResource.optional(),
  memory: queueResource.optional(),
});

const gpuPool = z.strictObject({
  name: str,
  vmSize: str.optional(),
  minCount: int.optional(),
  maxCount: int,
  zones: z.array(str).optional(),
  kaiNodePool: z.union([str, z.literal(false)]).optional(),
  nodeLabels: labels.optional(),
  extraTaints: z.array(str).optional(),
  maxSurge: str.optional(),
  maxUnavailable: str.optional(),
  capacityReservationGroupId: str.optional(),
});

const azure = z.strictObject({
  location: str.min(1),
  resourceGroupName: str,
  createResourceGroup: z.boolean().optional(),
  clusterName: str.optional(),
  dnsPrefix: str.optional(),
  kubernetesVersion: str.optional(),
  systemPool: z.strictObject({
    vmSize: str.optional(),
    minCount: int.optional(),
    maxCount: int.optional(),
    zones: z.array(str).optional(),
  }).optional(),
  network: z.strictObject({
    podCidr: str.optional(),
    serviceCidr: str.optional(),
    dnsServiceIp: str.optional(),
  }).optional(),
  adminGroupObjectIds: z.array(str).optional(),
  tenantId: str.optional(),
  privateCluster: z.boolean().optional(),
  authorizedIpRanges: z.array(str).optional(),
  skuTier: z.enum(['Free', 'Standard', 'Premium']).optional(),
  upgradeChannel: z.enum(['none', 'patch', 'stable', 'rapid', 'node-image']).optional(),
  nodeOsUpgradeChannel: z.enum(['None', 'Unmanaged', 'NodeImage', 'SecurityPatch']).optional(),
  kubeloginMode: z.enum(['azurecli', 'workloadidentity', 'msi', 'spn', 'devicecode']).optional(),
  tags: labels.optional(),
  maintenanceWindow: z.strictObject({
    dayOfWeek: z.enum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']).optional(),
    weekIndex: z.enum(['First', 'Second', 'Third', 'Fourth', 'Last']).optional(),
    intervalWeeks: int.optional(),
    startTime: str.optional(),
    utcOffset: str.optional(),
    durationHours: int.optional(),
  }).optional(),
  grantDeployerClusterAdmin: z.boolean().optional(),
  deployerPrincipalType: z.enum(['User', 'ServicePrincipal']).optional(),
});

/** What the stack gives the apps besides the operators (see `infra/app-services.ts`). */
const workloads = z.strictObject({
  readyTimeoutSeconds: int.optional(),
  huggingFaceTokenSecret: z.strictObject({ name: str.optional(), key: str.optional() }).optional(),
  modelCache: z.strictObject({
    claimName: str.optional(),
    size: str.optional(),
    accessMode: z.enum(['ReadWriteMany', 'ReadWriteOnce']).optional(),
    storageClassName: str.optional(),
  }).optional(),
});

const operators = z.strictObject({
  gpuOperator: z.strictObject({
    enabled: z.boolean().optional(),
    toolkit: z.boolean().optional(),
    values: values.optional(),
  }).optional(),
  networkOperator: z.strictObject({
    enabled: z.boolean().optional(),
    nicClusterPolicy: values.optional(),
    values: values.optional(),
  }).optional(),
  kai: z.strictObject({
    clusterAutoscaling: z.boolean().optional(),
    stalenessGracePeriod: str.optional(),
    defaultQueues: z.boolean().optional(),
    values: values.optional(),
  }).optional(),
  grove: z.strictObject({
    topologyAwareScheduling: z.boolean().optional(),
    topology: z.strictObject({
      name: str.optional(),
      levels: z.array(z.strictObject({ domain: str, key: str })).optional(),
    }).optional(),
    values: values.optional(),
  }).optional(),
});

/** The schema of the whole stack configuration (one property per config key). */
export const stackConfigSchema = z.strictObject({
  /** `aks`: create the AKS cluster and GPU pools. `platform`: install into an existing cluster from a kubeconfig. */
  mode: z.enum(['aks', 'platform']).default('aks'),
  /** The AKS cluster (mode `aks` only). */
  azure: azure.optional(),
  /** The existing cluster (mode `platform` only): kubeconfig path or contents, and context. */
  kubernetes: z.strictObject({ kubeconfig: str.optional(), context: str.optional() }).optional(),
  /** GPU pools: created in mode `aks`; in mode `platform`, the GPU nodes the cluster already has (for the capacity check). */
  gpuPools: z.array(gpuPool).default([]),
  /** Operator settings. */
  operators: operators.default({}),
  /** KAI queues the workloads use. */
  queues: z.array(queue).default([]),
  /** Names of the apps (from `infra/apps.ts`) to deploy. */
  apps: z.array(str).default([]),
  /** The Secret, claim and await settings of the apps (`infra/app-services.ts`). */
  workloads: workloads.default({}),
});

/**
 * Config keys that hold only a secret and are read with `Config.requireSecret`/`getSecret`, never parsed into the
 * plain `StackConfig`: `huggingFaceToken` (`pulumi config set --secret huggingFaceToken hf_...`).
 */
export const SECRET_ONLY_KEYS = ['huggingFaceToken'] as const;

/** The parsed stack configuration. */
export type StackConfig = z.output<typeof stackConfigSchema>;
/** One GPU pool of the stack configuration. */
export type GpuPoolConfig = StackConfig['gpuPools'][number];

/** `cdk8s-grove:gpuPools[0].maxCount` for the path `['gpuPools', 0, 'maxCount']`. */
export function configKey(path: readonly PropertyKey[]): string {
  let out = `${PROJECT}:`;
  path.forEach((p, i) => {
    out += typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`;
  });
  return out;
}

/** The `--path` argument of `pulumi config set` for a config path. */
function setPath(path: readonly PropertyKey[]): string {
  return configKey(path).slice(PROJECT.length + 1);
}

function fixFor(path: readonly PropertyKey[], what: string, where: string): string {
  return `${what} in ${where}, or run \`pulumi config set --path '${setPath(path)}' <value>\``;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: any = raw;
  for (const p of path) {
    v = v === undefined || v === null ? undefined : v[p as any];
  }
  return v;
}

/** The object keys the schema allows at `path`, for "unknown key" messages. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let s: any = stackConfigSchema;
  const unwrap = () => {
    while (s && ['optional', 'default', 'nullable'].includes(s.def.type)) {
      s = s.def.innerType;
    }
  };
  for (const p of path) {
    unwrap();
    if (s?.def.type === 'object') {
      s = s.def.shape[p as string];
    } else if (s?.def.type === 'array') {
      s = s.def.element;
    } else {
      return [];
    }
  }
  unwrap();
  return s?.def.type === 'object' ? Object.keys(s.def.shape) : [];
}

type ZodIssue = z.core.$ZodIssue;

/** Turns a zod issue into problems in the user's terms (config key, what is wrong, the value, how to fix it). */
function issueProblems(issue: ZodIssue, raw: unknown, where: string): ValidationProblem[] {
  const path = issue.path;
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(k => ({
        constructPath: where,
        field: configKey([...path, k]),
        message: 'is not a setting of this program',
        fix: `remove it or fix its spelling; known keys here: ${knownKeysAt(path).join(', ')}`,
      }));
    case 'invalid_type':
      return [{
        constructPath: where,
        field: configKey(path),
        message: value === undefined ? `is required (${issue.expected})` : `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`,
        value,
        fix: fixFor(path, value === undefined ? 'set it' : 'correct it', where),
      }];
    case 'invalid_value':
      return [{
        constructPath: where,
        field: configKey(path),
        message: `must be one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`,
        value,
        fix: fixFor(path, 'correct it', where),
      }];
    case 'invalid_union':
      return [{
        constructPath: where,
        field: configKey(path),
        message: 'has the wrong type (expected a string or false)',
        value,
        fix: fixFor(path, 'correct it', where),
      }];
    default:
      return [{
        constructPath: where,
        field: configKey(path),
        message: issue.message.toLowerCase(),
        value,
        fix: fixFor(path, 'correct it', where),
      }];
  }
}

/** Maps component argument problems (`maxCount: must be …`) onto config keys under `prefix`. */
function fromArgProblems(where: string, prefix: readonly PropertyKey[], problems: readonly ArgProblem[], rename: Record<string, string> = {}): ValidationProblem[] {
  return problems.map(p => {
    const first = p.propertyPath.split(/[.[]/)[0];
    const propertyPath = rename[first] !== undefined ? rename[first] + p.propertyPath.slice(first.length) : p.propertyPath;
    const field = `${configKey(prefix)}${prefix.length === 0 ? '' : (propertyPath.startsWith('[') ? '' : '.')}${propertyPath}`;
    return {
      constructPath: where,
      field,
      message: p.reason,
      fix: `correct it in ${where}, or run \`pulumi config set --path '${field.slice(PROJECT.length + 1)}' <value>\``,
    };
  });
}

/** The GPU pool settings as the GpuNodePool component resolves them (platform pools carry no KAI label unless told). */
export function resolvePool(cfg: StackConfig, pool: GpuPoolConfig) {
  return resolveGpuNodePoolArgs(pool.name, {
    ...pool,
    poolName: pool.name,
    kaiNodePool: pool.kaiNodePool ?? (cfg.mode === 'platform' ? false : undefined),
  });
}

/** The KAI node pools (SchedulingShard values) of the stack: every distinct `kaiNodePool` of the GPU pools. */
export function kaiNodePools(cfg: StackConfig): string[] {
  return [...new Set(cfg.gpuPools.map(p => resolvePool(cfg, p).kaiNodePool).filter((p): p is string => p !== undefined))];
}

/**
 * The RDMA device-plugin resources the stack installs: those of the RDMA device plugins (`rdmaSharedDevicePlugin`,
 * `sriovDevicePlugin`) in the NicClusterPolicy of the Network Operator, when it is enabled; none otherwise (the
 * default policy has no RDMA device plugin). The plugins run on the nodes with an NVIDIA (Mellanox) NIC, i.e. the
 * GPU pools of an InfiniBand SKU: see `poolRdmaResources`.
 */
export function stackRdmaResources(cfg: StackConfig): RdmaDeviceResource[] {
  const net = cfg.operators.networkOperator;
  return (net?.enabled ?? false) ? nicClusterPolicyRdmaResources(net?.nicClusterPolicy).resources : [];
}

/** The RDMA resources the nodes of a GPU pool advertise: the stack's, on InfiniBand SKUs; none on others. */
export function poolRdmaResources(cfg: StackConfig, vmSize: string): string[] {
  return findNodeSku(vmSize)?.infiniband ? [...new Set(stackRdmaResources(cfg).map(r => r.name))] : [];
}

/** Why the stack's GPU nodes advertise the RDMA resources they do, in the config's terms (for messages). */
export function describeRdmaSetup(cfg: StackConfig): string {
  const net = cfg.operators.networkOperator;
  if (!(net?.enabled ?? false)) {
    return 'operators.networkOperator is not enabled, so no RDMA device plugin runs';
  }
  const resources = [...new Set(stackRdmaResources(cfg).map(r => r.name))];
  if (resources.length === 0) {
    return net?.nicClusterPolicy === undefined
      ? 'the default NicClusterPolicy of operators.networkOperator has no RDMA device plugin'
      : 'operators.networkOperator.nicClusterPolicy has no RDMA device plugin (rdmaSharedDevicePlugin or sriovDevicePlugin) whose config names a resource';
  }
  return `the RDMA device plugin of operators.networkOperator.nicClusterPolicy advertises ${resources.join(', ')}`;
}

/** Default AKS cluster name of a stack. */
export function defaultClusterName(stack: string): string {
  return `${PROJECT}-${stack}`;
}

/** Semantic problems of a parsed stack config (cross-key rules and the components' own validation). */
export function stackConfigProblems(cfg: StackConfig, registry: AppRegistry, stack: string, where: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string, value: unknown, fix: string) =>
    problems.push({ constructPath: where, field: configKey(path), message, value, fix });

  if (cfg.mode === 'aks') {
    if (cfg.azure === undefined) {
      add(['azure'], 'is required in mode "aks"', undefined, 'set azure.location and azure.resourceGroupName, or set mode: platform to use an existing cluster');
    } else {
      const resolved = resolveAksClusterArgs(defaultClusterName(stack), cfg.azure);
      problems.push(...fromArgProblems(where, ['azure'], validateAksClusterArgs(resolved)));
    }
    if (cfg.kubernetes !== undefined) {
      add(['kubernetes'], 'is only used in mode "platform"', cfg.kubernetes, 'remove it (the AKS cluster provides its own kubeconfig), or set mode: platform');
    }
  } else if (cfg.azure !== undefined) {
    add(['azure'], 'is only used in mode "aks"; mode "platform" creates no Azure resource', undefined, 'remove azure, or set mode: aks');
  }

  const seenPools = new Map<string, number>();
  cfg.gpuPools.forEach((pool, i) => {
    if (seenPools.has(pool.name)) {
      add(['gpuPools', i, 'name'], `repeats the name of gpuPools[${seenPools.get(pool.name)}]`, pool.name, 'give every GPU pool its own name');
    }
    seenPools.set(pool.name, i);
    const resolved = resolvePool(cfg, pool);
    problems.push(...fromArgProblems(where, ['gpuPools', i], validateGpuNodePoolArgs(resolved), { poolName: 'name' }));
    if (findNodeSku(resolved.vmSize) === undefined) {
      add(['gpuPools', i, 'vmSize'], 'is not a GPU VM size the capacity check knows', resolved.vmSize,
        `use one of ${nodeSkus().map(s => s.name).join(', ')} (or add the size to lib/catalog/node-skus.ts)`);
    }
    if (resolved.kaiNodePool !== undefined && (!isDnsLabel(resolved.kaiNodePool) || resolved.kaiNodePool === 'default')) {
      add(['gpuPools', i, 'kaiNodePool'], 'must be a DNS-1123 label other than "default" (it names a KAI SchedulingShard)', resolved.kaiNodePool, 'choose another kaiNodePool, or false to leave the pool in KAI\'s default shard');
    }
  });

  const kai = cfg.operators.kai ?? {};
  const defaultQueues = kai.defaultQueues ?? true;
  problems.push(...fromArgProblems(where, [], validateQueues(cfg.queues, { nodePools: kaiNodePools(cfg), defaultQueues })));
  problems.push(...fromArgProblems(where, ['operators', 'kai'], validateKaiSchedulerArgs({ stalenessGracePeriod: kai.stalenessGracePeriod })));
  problems.push(...fromArgProblems(where, ['operators', 'grove'], validateGroveOperatorArgs(cfg.operators.grove ?? {})));
  problems.push(...fromArgProblems(where, ['operators', 'networkOperator'], validateNetworkOperatorArgs({ nicClusterPolicy: cfg.operators.networkOperator?.nicClusterPolicy })));

  const known = Object.keys(registry);
  cfg.apps.forEach((app, i) => {
    if (!Object.prototype.hasOwnProperty.call(registry, app)) {
      add(['apps', i], 'is not a registered app', app, `use one of: ${known.join(', ') || '(no app is registered yet; add one to infra/apps.ts)'}`);
    } else if (cfg.apps.indexOf(app) !== i) {
      add(['apps', i], 'is listed twice', app, 'list every app once');
    }
  });
  return problems;
}

/**
 * Parses and checks raw config values (one entry per key, already JSON-decoded). Throws a
 * `StackPreflightError` naming every bad key and its fix.
 */
export function parseStackConfig(raw: Record<string, unknown>, registry: AppRegistry, stack: string): StackConfig {
  const where = `Pulumi.${stack}.yaml`;
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throwIfPreflightProblems('the stack configuration is invalid', parsed.error.issues.flatMap(i => issueProblems(i, raw, where)));
  }
  const cfg = parsed.data as StackConfig;
  throwIfPreflightProblems('the stack configuration is invalid', stackConfigProblems(cfg, registry, stack, where));
  return cfg;
}

/**
 * Reads this project's keys from the Pulumi config and parses them. Object values arrive as JSON; plain
 * strings (e.g. `mode`) are taken as they are. Keys of this project that the program does not know are errors.
 */
export function loadStackConfig(registry: AppRegistry): StackConfig {
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) {
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if ((SECRET_ONLY_KEYS as readonly string[]).includes(key)) {
      continue;
    }
    try {
      raw[key] = JSON.parse(text);
    } catch {
      raw[key] = text;
    }
  }
  return parseStackConfig(raw, registry, pulumi.getStack());
}


/**
 * The whole stack as one program: preflight (apps synthesized in memory, KAI queue check, RDMA device check, GPU
 * capacity check), then the cluster (mode `aks`) or a provider for an existing cluster (mode `platform`), the
 * operators in order, and the apps.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as cdk8s from 'cdk8s';
import { DEFAULT_OPERATOR_CONFIG } from '../lib/admission';
import { GroveValidationError, ValidationProblem } from '../lib/errors';
import { GroveOperatorConfig } from '../lib/grove';
import { AksCluster, resolveAksClusterArgs } from './aks-cluster';
import { AppContext, AppRegistry } from './apps';
import { capacityProblems, CapacityPool, CapacityReport, capacityReport, rdmaProblems } from './capacity';
import { stackClusterModel } from './cluster-model';
import { defaultClusterName, describeRdmaSetup, kaiNodePools, poolRdmaResources, resolvePool, StackConfig } from './config';
import { throwIfPreflightProblems } from './errors';
import { GpuNodePool } from './gpu-node-pool';
import { GpuOperator } from './gpu-operator';
import { DEFAULT_TOPOLOGY_NAME, GroveOperator } from './grove-operator';
import { GroveWorkloads, missingNamespaces, synthObjects } from './grove-workloads';
import { allQueues, checkWorkloadQueues, leafQueues } from './kai-queue';
import { KaiScheduler } from './kai-scheduler';
import { NetworkOperator } from './network-operator';
import { JsonObject } from './private/helm';
import { AppServices, StackProvides } from './app-services';
import { appServiceNamespaces, appServiceProblems, referenceProblems, stackProvides } from './stack-provides';
import { StackSecrets } from './stack-secrets';
import { DeployedRecord, groveObjects, ignoredChanges, previousDeployment, refusedGroveUpdates, throwIfUnsafeUpdate } from './update-guard';
import { CHARTS } from './versions';

/** One app of the stack, synthesized. */
export interface SynthesizedApp {
  readonly name: string;
  readonly app: cdk8s.App;
  readonly objects: readonly JsonObject[];
}

/** What the program created, for stack outputs and tests. */
export interface StackResources {
  readonly mode: StackConfig['mode'];
  readonly cluster?: AksCluster;
  readonly gpuPools: readonly GpuNodePool[];
  readonly provider: k8s.Provider;
  readonly networkOperator?: NetworkOperator;
  readonly gpuOperator?: GpuOperator;
  readonly kai: KaiScheduler;
  readonly grove: GroveOperator;
  /** The namespaces the apps use but do not define, created once for all apps. */
  readonly namespaces: readonly k8s.core.v1.Namespace[];
  readonly workloads: readonly GroveWorkloads[];
  readonly capacity: readonly CapacityReport[];
  /** The Dynamo CRD, the Hugging Face Secret and the model-cache claims. */
  readonly appServices: AppServices;
  /** What the stack provides that workloads may reference (a stack output). */
  readonly provides: StackProvides;
  /** What this run applies, recorded for the next run's update-safety check (the stack output `deployed`). */
  readonly deployed: DeployedRecord;
  /** Resolves once the update-safety check passed (fails the program otherwise). */
  readonly updateChecked: pulumi.Output<true>;
}

/** The pools the capacity check holds workloads against. */
export function capacityPools(cfg: StackConfig): CapacityPool[] {
  return cfg.gpuPools.map(p => {
    const r = resolvePool(cfg, p);
    return { name: r.poolName, vmSize: r.vmSize, maxCount: r.maxCount, kaiNodePool: r.kaiNodePool, rdmaResources: poolRdmaResources(cfg, r.vmSize) };
  });
}

/** What the apps are told about the stack. */
export function appContext(cfg: StackConfig, stack: string): AppContext {
  const grove = cfg.operators.grove ?? {};
  return {
    stack,
    gpuPools: cfg.gpuPools.map(p => {
      const r = resolvePool(cfg, p);
      return {
        name: r.poolName,
        vmSize: r.vmSize,
        ...(r.kaiNodePool === undefined ? {} : { kaiNodePool: r.kaiNodePool }),
        rdmaResources: poolRdmaResources(cfg, r.vmSize),
      };
    }),
    queues: leafQueues(allQueues(cfg.queues, cfg.operators.kai?.defaultQueues ?? true))
      .map(q => ({ name: q.name, ...(q.nodePool === undefined ? {} : { nodePool: q.nodePool }) })),
    ...(grove.topologyAwareScheduling ? { topologyName: grove.topology?.name ?? DEFAULT_TOPOLOGY_NAME } : {}),
  };
}

/** A `GroveValidationError`, also from another copy of cdk8s-grove (an app may bring its own). */
function isGroveValidationError(e: unknown): e is GroveValidationError {
  return e instanceof GroveValidationError
    || (e instanceof Error && e.name === 'GroveValidationError' && Array.isArray((e as Partial<GroveValidationError>).problems));
}

/**
 * Builds and synthesizes the configured apps in memory, one cdk8s `App` each. Each app is told the Grove operator
 * configuration the stack installs, so the constructs' synth-time admission checks match the cluster. Invalid
 * apps stop the program.
 */
export function synthesizeApps(cfg: StackConfig, registry: AppRegistry, stack: string): SynthesizedApp[] {
  const ctx = appContext(cfg, stack);
  const problems: ValidationProblem[] = [];
  const apps: SynthesizedApp[] = [];
  for (const name of cfg.apps) {
    const app = new cdk8s.App();
    GroveOperatorConfig.set(app, { topologyAwareScheduling: cfg.operators.grove?.topologyAwareScheduling ?? false });
    try {
      registry[name](app, ctx);
      apps.push({ name, app, objects: synthObjects(app) });
    } catch (e) {
      if (isGroveValidationError(e)) {
        problems.push(...e.problems.map(p => ({ ...p, constructPath: `${name}:${p.constructPath}` })));
      } else {
        problems.push({ constructPath: name, field: 'app', message: `failed to synthesize: ${(e as Error).message ?? String(e)}` });
      }
    }
  }
  throwIfPreflightProblems('an app failed to synthesize', problems);
  return apps;
}

/**
 * Checks the synthesized apps against the stack before anything is created: every KAI-scheduled PodCliqueSet
 * has a leaf queue of the stack in its own KAI node pool, every RDMA device (`rdma/*`) a pod requests is
 * advertised by the GPU nodes it can run on, and every gang fits the GPU pools it can use.
 */
export function preflight(cfg: StackConfig, apps: readonly SynthesizedApp[]): CapacityReport[] {
  const defaultQueues = cfg.operators.kai?.defaultQueues ?? true;
  const ctx = { nodePools: kaiNodePools(cfg), defaultQueues };
  throwIfPreflightProblems('a workload would never be scheduled by KAI',
    apps.flatMap(a => checkWorkloadQueues(a.name, a.objects, cfg.queues, ctx)));
  const pools = capacityPools(cfg);
  throwIfPreflightProblems('a workload requests an RDMA device the GPU nodes do not advertise', rdmaProblems(apps, pools, describeRdmaSetup(cfg)));
  const model = stackClusterModel(cfg, apps);
  throwIfPreflightProblems('a workload can never fit the GPU pools', capacityProblems(apps, model));
  return capacityReport(apps, model);
}

/** The Kubernetes provider of mode `platform`. The kubeconfig holds credentials: always passed as a secret. */
function platformProvider(cfg: StackConfig): k8s.Provider {
  const kubeconfig = cfg.kubernetes?.kubeconfig;
  return new k8s.Provider('platform-k8s', {
    kubeconfig: kubeconfig === undefined ? undefined : pulumi.secret(kubeconfig),
    context: cfg.kubernetes?.context,
  });
}

/** The settings the program ignores after the cluster is created, by config key. */
export function createOnlySettings(cfg: StackConfig, stack: string): Record<string, unknown> {
  if (cfg.mode !== 'aks' || cfg.azure === undefined) {
    return {};
  }
  return { 'azure.systemPool': resolveAksClusterArgs(defaultClusterName(stack), cfg.azure).systemPool };
}

/**
 * Runs the whole stack. Everything that can fail without a cloud (config, app synthesis, KAI queues, RDMA
 * devices, GPU capacity) is checked first; only then are resources declared, in this order:
 *
 * resource group → AKS cluster → GPU pools (one after another) → Network Operator (optional) → GPU Operator →
 * KAI scheduler (shards, queues) → Grove operator (ClusterTopologyBinding) → the apps (after the namespaces they
 * share).
 */
export function runProgram(cfg: StackConfig, registry: AppRegistry, stack: string = pulumi.getStack(), secrets?: StackSecrets,
  previous?: pulumi.Output<DeployedRecord | undefined>): StackResources {
  const apps = synthesizeApps(cfg, registry, stack);
  const capacity = preflight(cfg, apps);
  throwIfPreflightProblems('the apps need something the stack does not provide', appServiceProblems(cfg, apps, secrets));
  throwIfPreflightProblems('a workload references a Secret, claim, queue or CRD the stack does not provide', referenceProblems(cfg, apps));
  const deployed: DeployedRecord = {
    apps: Object.fromEntries(apps.map(a => [a.name, groveObjects(a.objects)])),
    createOnly: createOnlySettings(cfg, stack),
  };
  // Update safety: compared with what the last `pulumi up` applied, before anything is changed.
  const updateChecked = checkUpdate(cfg, stack, deployed, previous ?? previousDeployment());

  let cluster: AksCluster | undefined;
  const gpuPools: GpuNodePool[] = [];
  let provider: k8s.Provider;
  if (cfg.mode === 'aks') {
    const azure = cfg.azure!;
    cluster = new AksCluster('aks', { ...azure, clusterName: azure.clusterName ?? defaultClusterName(stack) });
    let previous: pulumi.Resource = cluster;
    for (const pool of cfg.gpuPools) {
      // AKS runs one agent-pool operation per cluster at a time: create the pools one after another.
      const created: GpuNodePool = new GpuNodePool(`gpu-${pool.name}`, { ...pool, poolName: pool.name, cluster }, { dependsOn: [previous] });
      gpuPools.push(created);
      previous = created;
    }
    provider = cluster.provider;
  } else {
    provider = platformProvider(cfg);
  }

  const ops = cfg.operators;
  let after: pulumi.Resource[] = gpuPools.length > 0 ? [...gpuPools] : (cluster ? [cluster] : []);
  let networkOperator: NetworkOperator | undefined;
  if (ops.networkOperator?.enabled ?? false) {
    networkOperator = new NetworkOperator('network-operator', {
      provider,
      nicClusterPolicy: ops.networkOperator?.nicClusterPolicy,
      values: ops.networkOperator?.values,
      secretValues: secrets?.secretKeys.includes('operators'),
    }, { dependsOn: after });
    after = [networkOperator];
  }
  let gpuOperator: GpuOperator | undefined;
  if (ops.gpuOperator?.enabled ?? true) {
    gpuOperator = new GpuOperator('gpu-operator', {
      provider,
      withNetworkOperator: networkOperator !== undefined,
      toolkit: ops.gpuOperator?.toolkit,
      values: ops.gpuOperator?.values,
      secretValues: secrets?.secretKeys.includes('operators'),
    }, { dependsOn: after });
    after = [gpuOperator];
  }
  const kai = new KaiScheduler('kai', {
    provider,
    queues: cfg.queues,
    nodePools: kaiNodePools(cfg),
    // AKS GPU pools always autoscale.
    clusterAutoscaling: ops.kai?.clusterAutoscaling ?? (cfg.mode === 'aks' && cfg.gpuPools.length > 0),
    stalenessGracePeriod: ops.kai?.stalenessGracePeriod,
    defaultQueues: ops.kai?.defaultQueues,
    values: ops.kai?.values,
    secretValues: secrets?.secretKeys.includes('operators'),
  }, { dependsOn: after });
  const grove = new GroveOperator('grove', {
    provider,
    topologyAwareScheduling: ops.grove?.topologyAwareScheduling,
    topology: ops.grove?.topology,
    values: ops.grove?.values,
    secretValues: secrets?.secretKeys.includes('operators'),
  }, { dependsOn: [kai] });
  // One Namespace per namespace the apps use and none defines, shared by the apps: if each app's ConfigGroup
  // declared it, a second app in the namespace would fail to create it (AlreadyExists), and removing either app
  // would delete the namespace with the other app's objects in it.
  const namespaces = missingNamespaces(apps.flatMap(a => a.objects))
    .map(ns => (ns.metadata as { name: string }).name)
    .map(name => new k8s.core.v1.Namespace(`ns-${name}`, { metadata: { name } }, { provider }));
  const services = appServiceNamespaces(cfg, apps);
  const appServices = new AppServices('app-services', {
    provider,
    secretNamespaces: services.secret,
    claimNamespaces: services.claim,
    huggingFaceToken: secrets?.huggingFaceToken,
    secret: cfg.workloads.huggingFaceTokenSecret,
    modelCache: cfg.workloads.modelCache,
    aks: cfg.mode === 'aks',
    namespaces,
  });
  // Every PodCliqueSet after the gates of the operators that judge it (Grove's webhooks, KAI's queue webhook and
  // queues) and after what its pods reference (Secret, claim, the Dynamo CRD).
  const workloads = apps.map(a => new GroveWorkloads(`app-${a.name}`, {
    provider,
    app: a.app,
    createNamespaces: false,
    readyTimeoutSeconds: cfg.workloads.readyTimeoutSeconds,
    safeToApply: updateChecked,
  }, { dependsOn: [grove.readinessGate, ...(grove.topology ? [grove.topology] : []), kai, ...namespaces, appServices] }));

  return {
    mode: cfg.mode, cluster, gpuPools, provider, networkOperator, gpuOperator, kai, grove, namespaces, workloads, capacity,
    appServices, provides: stackProvides(cfg, apps), deployed, updateChecked,
  };
}

/**
 * The update-safety check: resolves when applying `deployed` over the previous deployment is safe; rejects with a
 * `StackPreflightError` (which fails `pulumi preview` and `pulumi up`) when Grove would refuse a change or a
 * create-only setting changed. The workloads are applied only once it resolves.
 */
export function checkUpdate(cfg: StackConfig, stack: string, deployed: DeployedRecord,
  previous: pulumi.Output<DeployedRecord | undefined>): pulumi.Output<true> {
  return previous.apply(prev => {
    throwIfUnsafeUpdate([
      ...ignoredChanges(prev, deployed.createOnly, `Pulumi.${stack}.yaml`),
      ...refusedGroveUpdates(prev, deployed.apps, {
        ...DEFAULT_OPERATOR_CONFIG,
        topologyAwareScheduling: cfg.operators.grove?.topologyAwareScheduling ?? false,
      }),
    ]);
    return true as const;
  });
}

/** The chart versions the stack installs (a stack output, so `pulumi stack output` shows what runs). */
export function chartVersions(): Record<string, string> {
  return Object.fromEntries(Object.entries(CHARTS).map(([k, v]) => [k, v.version]));
}

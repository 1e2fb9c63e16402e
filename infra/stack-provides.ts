/**
 * What the stack provides that workloads may reference (`stackProvides`, the stack output `provides`), and the
 * preflight of what the apps need from the stack itself (the Hugging Face Secret and the model-cache claim).
 */
import { ValidationProblem } from '../lib/errors';
import { AKS_DISK_STORAGE_CLASSES, DYNAMO_WORKER_METADATA_CRD, resolveAppServices, StackProvides, workloadReferences } from './app-services';
import { StackConfig } from './config';
import { allQueues, leafQueues } from './kai-queue';
import { JsonObject } from './private/helm';
import { StackSecrets } from './stack-secrets';

/** An app's synthesized objects (what `synthesizeApps` returns, without the cdk8s app). */
interface SynthesizedObjects {
  readonly name: string;
  readonly objects: readonly JsonObject[];
}

/**
 * CRDs the operators install, by operator: ai-dynamo/grove `operator/api/core/v1alpha1/crds/` and
 * `scheduler/api/core/v1alpha1/crds/`; NVIDIA/KAI-Scheduler `deployments/kai-scheduler/crds/`; the GPU Operator's
 * and Network Operator's `crds/` (the ones this stack's objects use).
 */
export const OPERATOR_CRDS = {
  grove: ['podcliquesets.grove.io', 'podcliques.grove.io', 'podcliquescalinggroups.grove.io', 'clustertopologybindings.grove.io', 'podgangs.scheduler.grove.io'],
  kai: ['queues.scheduling.run.ai', 'podgroups.scheduling.run.ai', 'bindrequests.scheduling.run.ai', 'schedulingshards.kai.scheduler', 'configs.kai.scheduler', 'topologies.kai.scheduler'],
  gpuOperator: ['clusterpolicies.nvidia.com', 'nvidiadrivers.nvidia.com'],
  networkOperator: ['nicclusterpolicies.mellanox.com'],
} as const;

/** The namespaces whose workloads read the stack's Hugging Face Secret, and those that mount its model-cache claim. */
export function appServiceNamespaces(cfg: StackConfig, apps: readonly SynthesizedObjects[]): { secret: string[]; claim: string[]; claimPods: Map<string, number>; secretKeys: Map<string, Set<string>> } {
  const r = resolveAppServices({ secret: cfg.workloads.huggingFaceTokenSecret, modelCache: cfg.workloads.modelCache, aks: cfg.mode === 'aks' });
  const secretKeys = new Map<string, Set<string>>();
  const claimPods = new Map<string, number>();
  for (const a of apps) {
    const refs = workloadReferences(a.objects);
    for (const [k, keys] of refs.secrets) {
      const [ns, name] = k.split('/');
      if (name === r.secretName) {
        secretKeys.set(ns, new Set([...(secretKeys.get(ns) ?? []), ...keys]));
      }
    }
    for (const [k, pods] of refs.claims) {
      const [ns, name] = k.split('/');
      if (name === r.claimName) {
        claimPods.set(ns, (claimPods.get(ns) ?? 0) + pods);
      }
    }
  }
  return { secret: [...secretKeys.keys()].sort(), claim: [...claimPods.keys()].sort(), claimPods, secretKeys };
}

/** Problems with the Secret and claim the apps need from the stack (missing token, wrong key, wrong access mode). */
export function appServiceProblems(cfg: StackConfig, apps: readonly SynthesizedObjects[], secrets: StackSecrets | undefined): ValidationProblem[] {
  const where = 'workloads';
  const r = resolveAppServices({ secret: cfg.workloads.huggingFaceTokenSecret, modelCache: cfg.workloads.modelCache, aks: cfg.mode === 'aks' });
  const ns = appServiceNamespaces(cfg, apps);
  const problems: ValidationProblem[] = [];
  if (ns.secret.length > 0 && secrets?.huggingFaceToken === undefined) {
    problems.push({
      constructPath: where, field: 'cdk8s-grove:huggingFaceToken',
      message: `is not set, but the workloads in ${ns.secret.join(', ')} read the Hugging Face token from Secret ${r.secretName}`,
      fix: 'run `pulumi config set --secret huggingFaceToken <token>` (a read token of huggingface.co)',
    });
  }
  for (const [n, keys] of ns.secretKeys) {
    for (const key of keys) {
      if (key !== r.secretKey) {
        problems.push({
          constructPath: where, field: 'cdk8s-grove:workloads.huggingFaceTokenSecret.key',
          message: `is ${JSON.stringify(r.secretKey)}, but workloads in ${n} read key ${JSON.stringify(key)} of Secret ${r.secretName}`,
          value: r.secretKey, fix: `set it to ${JSON.stringify(key)}`,
        });
      }
    }
  }
  for (const [n, pods] of ns.claimPods) {
    if (r.accessMode === 'ReadWriteOnce' && pods > 1) {
      problems.push({
        constructPath: where, field: 'cdk8s-grove:workloads.modelCache.accessMode',
        message: `is ReadWriteOnce, but ${pods} pods in ${n} mount claim ${r.claimName}, which can then run on one node only`,
        value: r.accessMode, fix: 'use ReadWriteMany (Azure Files: storageClassName azurefile-csi-premium)',
      });
    }
  }
  if (r.accessMode === 'ReadWriteMany' && r.storageClassName !== undefined && AKS_DISK_STORAGE_CLASSES.includes(r.storageClassName)) {
    problems.push({
      constructPath: where, field: 'cdk8s-grove:workloads.modelCache.storageClassName',
      message: 'is an Azure Disk class, which cannot be mounted ReadWriteMany', value: r.storageClassName,
      fix: 'use azurefile-csi-premium (or azurefile-csi), or set accessMode: ReadWriteOnce',
    });
  }
  if (ns.claim.length > 0 && cfg.mode === 'platform' && r.accessMode === 'ReadWriteMany' && r.storageClassName === undefined) {
    problems.push({
      constructPath: where, field: 'cdk8s-grove:workloads.modelCache.storageClassName',
      message: 'is not set, and the default storage class of an existing cluster is usually ReadWriteOnce only',
      fix: 'name a ReadWriteMany storage class of the cluster (NFS, Azure Files, CephFS, ...)',
    });
  }
  return problems;
}

/**
 * Everything the stack provides that a workload may reference: the operators' CRDs and the Dynamo CRD, the
 * Hugging Face Secret (with its key) and the model-cache claim in the namespaces that use them, and the KAI queues.
 */
export function stackProvides(cfg: StackConfig, apps: readonly SynthesizedObjects[]): StackProvides {
  const r = resolveAppServices({ secret: cfg.workloads.huggingFaceTokenSecret, modelCache: cfg.workloads.modelCache, aks: cfg.mode === 'aks' });
  const ns = appServiceNamespaces(cfg, apps);
  const ops = cfg.operators;
  const queues = allQueues(cfg.queues, ops.kai?.defaultQueues ?? true);
  const leaves = new Set(leafQueues(queues).map(q => q.name));
  return {
    crds: [
      ...OPERATOR_CRDS.grove, ...OPERATOR_CRDS.kai,
      ...((ops.gpuOperator?.enabled ?? true) ? OPERATOR_CRDS.gpuOperator : []),
      ...((ops.networkOperator?.enabled ?? false) ? OPERATOR_CRDS.networkOperator : []),
      DYNAMO_WORKER_METADATA_CRD,
    ].sort(),
    secrets: ns.secret.map(n => ({ namespace: n, name: r.secretName, keys: [r.secretKey] })),
    claims: ns.claim.map(n => ({ namespace: n, name: r.claimName, accessModes: [r.accessMode], ...(r.storageClassName === undefined ? {} : { storageClassName: r.storageClassName }) })),
    queues: queues.map(q => ({ name: q.name, ...(q.nodePool === undefined ? {} : { nodePool: q.nodePool }), leaf: leaves.has(q.name) })),
  };
}


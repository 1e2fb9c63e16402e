/**
 * What the stack provides that workloads may reference (`stackProvides`, the stack output `provides`), and the
 * preflight of what the apps need from the stack itself (the Hugging Face Secret and the model-cache claim).
 */
import { ValidationProblem } from '../lib/errors';
import { manifestReferences, unmetReferences, withCreated } from '../lib/cluster/references';
import { stackClusterModel } from './cluster-model';
import { AKS_DISK_STORAGE_CLASSES, DYNAMO_WORKER_METADATA_CRD, resolveAppServices, StackProvides } from './app-services';
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
    for (const ref of manifestReferences(a.objects)) {
      const name = ref.name.slice(ref.namespace.length + 1);
      if (ref.kind === 'secret' && name === r.secretName) {
        secretKeys.set(ref.namespace, new Set([...(secretKeys.get(ref.namespace) ?? []), ...(ref.keys ?? [])]));
      }
      if (ref.kind === 'claim' && name === r.claimName) {
        claimPods.set(ref.namespace, (claimPods.get(ref.namespace) ?? 0) + (ref.pods ?? 2));
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


/**
 * Every Secret, claim, queue and CRD a workload references that the stack does not provide (lib/cluster's
 * `unmetReferences` on the stack's cluster model); objects an app creates itself count as present. Missing Secret
 * keys and claim access modes of the stack's own Secret and claim are `appServiceProblems`' (in config terms).
 */
export function referenceProblems(cfg: StackConfig, apps: readonly SynthesizedObjects[]): ValidationProblem[] {
  const model = stackClusterModel(cfg, apps);
  const problems: ValidationProblem[] = [];
  for (const a of apps) {
    for (const u of unmetReferences(manifestReferences(a.objects), withCreated(model, a.objects))) {
      const r = u.reference;
      if (u.problem !== 'missing' || r.kind === 'extended-resource' || r.kind === 'host-path') continue;
      const what = r.kind === 'secret' ? `Secret ${r.name}` : r.kind === 'claim' ? `PersistentVolumeClaim ${r.name}` : r.kind === 'queue' ? `queue ${r.name}` : `CRD ${r.name}`;
      problems.push({
        constructPath: `${a.name}:${r.object}`, field: r.field,
        message: `${r.owner} references ${what} (${r.via}), which the stack does not create and the app does not contain`,
        fix: r.kind === 'secret' ? 'add the Secret to the app, or reference the stack\'s Hugging Face Secret (workloads.huggingFaceTokenSecret)'
          : r.kind === 'claim' ? 'add the claim to the app, or mount the stack\'s model-cache claim (workloads.modelCache)'
            : r.kind === 'queue' ? 'add the queue to the stack config (queues)' : 'install the CRD\'s operator, or add the CRD to the app',
      });
    }
  }
  return problems;
}

/**
 * What the stack gives the apps besides the operators, and the plain list of it (`stackProvides`): the Dynamo
 * CRD Dynamo's Kubernetes discovery writes to, the Hugging Face token Secret (from the Pulumi secret
 * `huggingFaceToken`) and the model-cache claim, in every namespace whose workloads reference them.
 *
 * What a workload references is read from its synthesized manifests by lib/cluster's `manifestReferences`.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { JsonObject } from './private/helm';
import { DYNAMO } from './versions';

/** A Secret of the stack and the keys it holds. */
export interface ProvidedSecret { readonly namespace: string; readonly name: string; readonly keys: readonly string[] }
/** A PersistentVolumeClaim of the stack. */
export interface ProvidedClaim { readonly namespace: string; readonly name: string; readonly accessModes: readonly string[]; readonly storageClassName?: string }
/** A KAI queue of the stack (cluster-scoped), with its KAI node pool. */
export interface ProvidedQueue { readonly name: string; readonly nodePool?: string; readonly leaf: boolean }

/** Everything the stack provides that a workload may reference. Plain data: no Pulumi types. */
export interface StackProvides {
  /** CRDs by full name (`<plural>.<group>`): the operators' and the stack's own. */
  readonly crds: readonly string[];
  readonly secrets: readonly ProvidedSecret[];
  readonly claims: readonly ProvidedClaim[];
  readonly queues: readonly ProvidedQueue[];
}

/** The Dynamo CRD the apps' Kubernetes discovery writes to (their Role grants `dynamoworkermetadatas`). */
export const DYNAMO_WORKER_METADATA_CRD = 'dynamoworkermetadatas.nvidia.com';

/**
 * The `DynamoWorkerMetadata` CRD at `DYNAMO.version`: the facts of ai-dynamo/dynamo
 * deploy/helm/charts/platform/components/operator/crds/nvidia.com_dynamoworkermetadatas.yaml (group, names,
 * scope, the one served version and its schema: `spec.data` required, any JSON).
 */
export function renderDynamoWorkerMetadataCrd(): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: DYNAMO_WORKER_METADATA_CRD, labels: { 'app.kubernetes.io/part-of': 'dynamo', 'app.kubernetes.io/version': DYNAMO.version } },
    spec: {
      group: 'nvidia.com',
      names: { kind: 'DynamoWorkerMetadata', listKind: 'DynamoWorkerMetadataList', plural: 'dynamoworkermetadatas', singular: 'dynamoworkermetadata', shortNames: ['dwm'] },
      scope: 'Namespaced',
      versions: [{
        name: 'v1alpha1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: { type: 'object', required: ['data'], properties: { data: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
            },
          },
        },
      }],
    },
  };
}

/** The Hugging Face token Secret the apps read (`huggingFaceToken` in their props). */
export interface HuggingFaceSecretArgs {
  /**
   * Name of the Secret.
   * @default 'hf-token-secret'
   */
  readonly name?: string;
  /**
   * Key holding the token.
   * @default 'HF_TOKEN'
   */
  readonly key?: string;
}

/** The model-cache claim the apps mount. */
export interface ModelCacheClaimArgs {
  /**
   * Claim name.
   * @default 'model-cache'
   */
  readonly claimName?: string;
  /**
   * Requested size (Azure Files premium shares start at 100 GiB).
   * @default '1Ti'
   */
  readonly size?: string;
  /**
   * Access mode. Pods of one model on several nodes share the cache, which needs `ReadWriteMany`.
   * @default 'ReadWriteMany'
   */
  readonly accessMode?: 'ReadWriteMany' | 'ReadWriteOnce';
  /**
   * Storage class.
   * @default - on AKS, `azurefile-csi-premium` (Azure Files, ReadWriteMany) or `managed-csi-premium` (Azure Disk, ReadWriteOnce); elsewhere the cluster default
   */
  readonly storageClassName?: string;
}

/** AKS's built-in storage class for an access mode: Azure Files can be mounted by many nodes, Azure Disks by one. */
export function aksStorageClassFor(accessMode: 'ReadWriteMany' | 'ReadWriteOnce'): string {
  return accessMode === 'ReadWriteMany' ? 'azurefile-csi-premium' : 'managed-csi-premium';
}

/** AKS's built-in Azure Disk classes, which cannot be mounted ReadWriteMany. */
export const AKS_DISK_STORAGE_CLASSES: readonly string[] = ['default', 'managed', 'managed-csi', 'managed-csi-premium', 'managed-premium'];

/** Arguments of `AppServices`. */
export interface AppServicesArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** Namespaces that get the Secret, by the keys their workloads read from it. */
  readonly secretNamespaces: readonly string[];
  /** Namespaces that get the claim. */
  readonly claimNamespaces: readonly string[];
  /**
   * The token (a secret output). Required when `secretNamespaces` is not empty.
   * @default - none (then no namespace may need the Secret)
   */
  readonly huggingFaceToken?: pulumi.Output<string>;
  /**
   * The Secret's name and key.
   * @default - 'hf-token-secret' with key 'HF_TOKEN'
   */
  readonly secret?: HuggingFaceSecretArgs;
  /**
   * The claim.
   * @default - 'model-cache', 1Ti, ReadWriteMany, the storage class that fits
   */
  readonly modelCache?: ModelCacheClaimArgs;
  /**
   * Whether the cluster is AKS (then the storage class defaults to AKS's built-in one for the access mode).
   * @default true
   */
  readonly aks?: boolean;
  /**
   * Namespaces the objects go into, created by the program (they must exist first).
   * @default - none
   */
  readonly namespaces?: readonly pulumi.Resource[];
}

/** The Secret name, key and claim settings with every default applied. */
export function resolveAppServices(args: Pick<AppServicesArgs, 'secret' | 'modelCache' | 'aks'>) {
  const accessMode = args.modelCache?.accessMode ?? 'ReadWriteMany';
  const storageClassName = args.modelCache?.storageClassName ?? ((args.aks ?? true) ? aksStorageClassFor(accessMode) : undefined);
  return {
    secretName: args.secret?.name ?? 'hf-token-secret',
    secretKey: args.secret?.key ?? 'HF_TOKEN',
    claimName: args.modelCache?.claimName ?? 'model-cache',
    size: args.modelCache?.size ?? '1Ti',
    accessMode,
    storageClassName,
  };
}

/** The Dynamo CRD, the Hugging Face Secret and the model-cache claims. */
export class AppServices extends pulumi.ComponentResource {
  public readonly dynamoCrd: k8s.apiextensions.v1.CustomResourceDefinition;
  public readonly secrets: readonly k8s.core.v1.Secret[];
  public readonly claims: readonly k8s.core.v1.PersistentVolumeClaim[];

  constructor(name: string, args: AppServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('cdk8s-grove:infra:AppServices', name, {}, opts);
    const r = resolveAppServices(args);
    const childOpts = { parent: this, provider: args.provider, dependsOn: [...(args.namespaces ?? [])] };
    // Kept on destroy like the chart keeps it (`helm.sh/resource-policy: keep`): deleting a CRD deletes every object of it.
    this.dynamoCrd = new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-dynamo-crd`,
      renderDynamoWorkerMetadataCrd() as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs, { ...childOpts, retainOnDelete: true });
    if (args.secretNamespaces.length > 0 && args.huggingFaceToken === undefined) {
      throw new pulumi.ResourceError('AppServices: secretNamespaces is set but no huggingFaceToken is given', this);
    }
    this.secrets = args.secretNamespaces.map(ns => new k8s.core.v1.Secret(`${name}-hf-${ns}`, {
      metadata: { name: r.secretName, namespace: ns },
      type: 'Opaque',
      // stringData of a secret output: Pulumi stores and shows it encrypted only.
      stringData: { [r.secretKey]: pulumi.secret(args.huggingFaceToken as pulumi.Output<string>) },
    }, childOpts));
    this.claims = args.claimNamespaces.map(ns => new k8s.core.v1.PersistentVolumeClaim(`${name}-cache-${ns}`, {
      metadata: {
        name: r.claimName,
        namespace: ns,
        // A claim on a WaitForFirstConsumer class stays Pending until a pod uses it; do not wait for Bound.
        annotations: { 'pulumi.com/skipAwait': 'true' },
      },
      spec: {
        accessModes: [r.accessMode],
        ...(r.storageClassName === undefined ? {} : { storageClassName: r.storageClassName }),
        resources: { requests: { storage: r.size } },
      },
    }, childOpts));
    this.registerOutputs({});
  }
}

import * as containerservice from '@pulumi/azure-native/containerservice';
import * as resources from '@pulumi/azure-native/resources';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeloginMode, setKubeloginMode } from './kubelogin';
export type { KubeloginMode } from './kubelogin';
import { DeployerPrincipalType, deployerClusterAdmin, principalTypeForLogin, validateDeployerAccess } from './aks-access';
import { maintenanceConfigurations, MaintenanceWindow, validateMaintenanceWindow } from './aks-maintenance';
import { ArgProblem, integerProblems, throwIfArgProblems } from './private/args';
import { KUBERNETES_VERSION } from './versions';

const TYPE = 'cdk8s-grove:infra:AksCluster';

/** The small system node pool that is defined inline in the cluster (GPU pools are separate `GpuNodePool`s). */
export interface SystemPoolArgs {
  /**
   * VM size of the system nodes. They run the Kubernetes add-ons and the operators (GPU Operator controller,
   * KAI, Grove), and CPU-only cliques that are not scheduled into a GPU pool.
   * @default 'Standard_D4ds_v5'
   */
  readonly vmSize?: string;
  /**
   * Least number of system nodes (the cluster autoscaler never goes below it).
   * @default 2
   */
  readonly minCount?: number;
  /**
   * Largest number of system nodes.
   * @default 3
   */
  readonly maxCount?: number;
  /**
   * Availability zones of the system pool.
   * @default - no zones (regional)
   */
  readonly zones?: string[];
}

/** Address ranges of the Azure CNI overlay network. Changing any of them replaces the cluster. */
export interface AksNetworkArgs {
  /**
   * Pod address range (overlay: not routable outside the cluster).
   * @default '10.244.0.0/16'
   */
  readonly podCidr?: string;
  /**
   * Service address range.
   * @default '10.0.0.0/16'
   */
  readonly serviceCidr?: string;
  /**
   * Cluster DNS service address; must be inside `serviceCidr`.
   * @default '10.0.0.10'
   */
  readonly dnsServiceIp?: string;
}

/** Arguments of `AksCluster`. */
export interface AksClusterArgs {
  /** Azure region of the resource group and the cluster, e.g. `southafricanorth`. Check that it offers your GPU VM size. */
  readonly location: pulumi.Input<string>;
  /** Name of the resource group that holds the cluster. */
  readonly resourceGroupName: string;
  /**
   * Create the resource group. Set to `false` to put the cluster into an existing group, which is then
   * neither managed nor deleted by this stack.
   * @default true
   */
  readonly createResourceGroup?: boolean;
  /**
   * Name of the managed cluster (Azure resource name).
   * @default - the component name
   */
  readonly clusterName?: string;
  /**
   * DNS prefix of the API server's public name: 1-54 letters, digits and '-', starting and ending with a letter
   * or digit. Cannot change after creation.
   * @default - the cluster name
   */
  readonly dnsPrefix?: string;
  /**
   * Kubernetes version (`major.minor` or `major.minor.patch`). Pinned with the GPU node OS (`versions.ts`).
   * @default - KUBERNETES_VERSION from versions.ts
   */
  readonly kubernetesVersion?: string;
  /**
   * The system pool.
   * @default - two to three Standard_D4ds_v5 nodes
   */
  readonly systemPool?: SystemPoolArgs;
  /**
   * The overlay network's address ranges.
   * @default - the AKS defaults, spelled out (see `AksNetworkArgs`)
   */
  readonly network?: AksNetworkArgs;
  /**
   * Object IDs of Entra ID groups that get cluster-admin through Azure RBAC.
   * @default - none: grant Azure RBAC roles on the cluster resource instead
   */
  readonly adminGroupObjectIds?: pulumi.Input<string>[];
  /**
   * Entra ID tenant of the cluster's users.
   * @default - the tenant of the subscription
   */
  readonly tenantId?: pulumi.Input<string>;
  /**
   * Make the API server private (reachable only from the cluster's virtual network and peered networks).
   * @default false
   */
  readonly privateCluster?: boolean;
  /**
   * CIDR ranges allowed to reach a public API server. Not allowed together with `privateCluster`.
   * @default - no restriction
   */
  readonly authorizedIpRanges?: string[];
  /**
   * Control-plane pricing tier; `Standard` carries the uptime SLA.
   * @default 'Standard'
   */
  readonly skuTier?: 'Free' | 'Standard' | 'Premium';
  /**
   * Kubernetes version auto-upgrade channel. Off by default: a Kubernetes upgrade rolls every GPU node.
   * @default 'none'
   */
  readonly upgradeChannel?: 'none' | 'patch' | 'stable' | 'rapid' | 'node-image';
  /**
   * Node OS auto-upgrade channel (security patches through node images), applied only inside `maintenanceWindow`.
   * @default 'NodeImage'
   */
  readonly nodeOsUpgradeChannel?: 'None' | 'Unmanaged' | 'NodeImage' | 'SecurityPatch';
  /**
   * When AKS may reimage (node OS channel) or upgrade (Kubernetes channel) nodes, GPU nodes included.
   * @default - DEFAULT_MAINTENANCE_WINDOW: the first Sunday of each month, 00:00-08:00 UTC
   */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * Give the principal running Pulumi "Azure Kubernetes Service RBAC Cluster Admin" on the cluster, so the
   * program can create Kubernetes objects. Turn it off only when the deployer gets its rights through
   * `adminGroupObjectIds` (then required).
   * @default true
   */
  readonly grantDeployerClusterAdmin?: boolean;
  /**
   * Whether the principal running Pulumi is a user or a service principal (Azure checks it on the role assignment).
   * @default - 'User' with kubeloginMode azurecli or devicecode, 'ServicePrincipal' otherwise
   */
  readonly deployerPrincipalType?: DeployerPrincipalType;
  /**
   * How the returned kubeconfig logs in. Local accounts are disabled, so the kubeconfig uses `kubelogin`; the
   * machine running Pulumi needs `kubelogin` on its PATH. `azurecli` reuses the `az login` session; use
   * `workloadidentity`, `msi` or `spn` in CI.
   * @default 'azurecli'
   */
  readonly kubeloginMode?: KubeloginMode;
  /**
   * Azure tags for the resource group and the cluster.
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/** `AksClusterArgs` with every default applied. */
export interface ResolvedAksClusterArgs extends AksClusterArgs {
  readonly createResourceGroup: boolean;
  readonly clusterName: string;
  readonly dnsPrefix: string;
  readonly kubernetesVersion: string;
  readonly grantDeployerClusterAdmin: boolean;
  readonly deployerPrincipalType: DeployerPrincipalType;
  readonly systemPool: Required<Omit<SystemPoolArgs, 'zones'>> & Pick<SystemPoolArgs, 'zones'>;
  readonly network: Required<AksNetworkArgs>;
  readonly privateCluster: boolean;
  readonly skuTier: 'Free' | 'Standard' | 'Premium';
  readonly upgradeChannel: NonNullable<AksClusterArgs['upgradeChannel']>;
  readonly nodeOsUpgradeChannel: NonNullable<AksClusterArgs['nodeOsUpgradeChannel']>;
  readonly kubeloginMode: KubeloginMode;
}

/** Applies the documented defaults of `AksClusterArgs`. */
export function resolveAksClusterArgs(name: string, args: AksClusterArgs): ResolvedAksClusterArgs {
  return {
    ...args,
    createResourceGroup: args.createResourceGroup ?? true,
    clusterName: args.clusterName ?? name,
    dnsPrefix: args.dnsPrefix ?? args.clusterName ?? name,
    kubernetesVersion: args.kubernetesVersion ?? KUBERNETES_VERSION,
    grantDeployerClusterAdmin: args.grantDeployerClusterAdmin ?? true,
    deployerPrincipalType: args.deployerPrincipalType ?? principalTypeForLogin(args.kubeloginMode ?? 'azurecli'),
    systemPool: {
      vmSize: args.systemPool?.vmSize ?? 'Standard_D4ds_v5',
      minCount: args.systemPool?.minCount ?? 2,
      maxCount: args.systemPool?.maxCount ?? 3,
      zones: args.systemPool?.zones,
    },
    network: {
      podCidr: args.network?.podCidr ?? '10.244.0.0/16',
      serviceCidr: args.network?.serviceCidr ?? '10.0.0.0/16',
      dnsServiceIp: args.network?.dnsServiceIp ?? '10.0.0.10',
    },
    privateCluster: args.privateCluster ?? false,
    skuTier: args.skuTier ?? 'Standard',
    upgradeChannel: args.upgradeChannel ?? 'none',
    nodeOsUpgradeChannel: args.nodeOsUpgradeChannel ?? 'NodeImage',
    kubeloginMode: args.kubeloginMode ?? 'azurecli',
  };
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** AKS cluster names: 1-63 characters, alphanumerics, '-' and '_', starting and ending with an alphanumeric. */
const CLUSTER_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
/** AKS DNS prefixes: 1-54 characters, alphanumerics and '-', starting and ending with an alphanumeric. */
const DNS_PREFIX = /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,52}[a-zA-Z0-9])?$/;

function isCidr(s: string): boolean {
  const m = CIDR.exec(s);
  return m !== null && m.slice(1, 5).every(o => Number(o) <= 255) && Number(m[5]) <= 32;
}

/** Every problem with resolved `AksClusterArgs`, as argument paths and reasons. */
export function validateAksClusterArgs(args: ResolvedAksClusterArgs): ArgProblem[] {
  const problems: ArgProblem[] = [];
  if (!CLUSTER_NAME.test(args.clusterName)) {
    problems.push({ propertyPath: 'clusterName', reason: `must be 1-63 letters, digits, '-' or '_', starting and ending with a letter or digit, got ${JSON.stringify(args.clusterName)}` });
  }
  if (!/^[-\w._()]{1,90}$/.test(args.resourceGroupName) || args.resourceGroupName.endsWith('.')) {
    problems.push({ propertyPath: 'resourceGroupName', reason: `must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.', got ${JSON.stringify(args.resourceGroupName)}` });
  }
  if (!DNS_PREFIX.test(args.dnsPrefix)) {
    problems.push({
      propertyPath: args.dnsPrefix === args.clusterName ? 'clusterName' : 'dnsPrefix',
      reason: `is used as the DNS prefix, which must be 1-54 letters, digits or '-', starting and ending with a letter or digit, got ${JSON.stringify(args.dnsPrefix)}`
        + (args.dnsPrefix === args.clusterName ? '; set dnsPrefix, or choose a cluster name without \'_\'' : ''),
    });
  }
  if (!/^1\.\d{2}(\.\d+)?$/.test(args.kubernetesVersion)) {
    problems.push({ propertyPath: 'kubernetesVersion', reason: `must be major.minor or major.minor.patch such as 1.33, got ${JSON.stringify(args.kubernetesVersion)}` });
  } else if (Number(args.kubernetesVersion.split('.')[1]) > 36) {
    problems.push({ propertyPath: 'kubernetesVersion', reason: `has no Ubuntu2204 node image (the GPU pools' pinned OS runs on Kubernetes 1.25 to 1.36), got ${JSON.stringify(args.kubernetesVersion)}` });
  }
  problems.push(...validateMaintenanceWindow(args.maintenanceWindow, 'maintenanceWindow'));
  problems.push(...validateDeployerAccess(args));
  const sp = args.systemPool;
  problems.push(...integerProblems('systemPool.minCount', sp.minCount, 1, 1000));
  problems.push(...integerProblems('systemPool.maxCount', sp.maxCount, 1, 1000));
  if (sp.minCount > sp.maxCount) {
    problems.push({ propertyPath: 'systemPool.maxCount', reason: `must be >= systemPool.minCount (${sp.minCount}), got ${sp.maxCount}` });
  }
  for (const [key, value] of [['network.podCidr', args.network.podCidr], ['network.serviceCidr', args.network.serviceCidr]] as const) {
    if (!isCidr(value)) {
      problems.push({ propertyPath: key, reason: `must be an IPv4 CIDR such as 10.0.0.0/16, got ${JSON.stringify(value)}` });
    }
  }
  if (args.privateCluster && (args.authorizedIpRanges?.length ?? 0) > 0) {
    problems.push({ propertyPath: 'authorizedIpRanges', reason: 'cannot be used with privateCluster: a private API server has no public endpoint to restrict; drop one of them' });
  }
  (args.authorizedIpRanges ?? []).forEach((r, i) => {
    if (!isCidr(r)) {
      problems.push({ propertyPath: `authorizedIpRanges[${i}]`, reason: `must be an IPv4 CIDR such as 203.0.113.0/24, got ${JSON.stringify(r)}` });
    }
  });
  return problems;
}

/**
 * An AKS cluster for GPU inference with secure defaults: Entra ID authentication with Azure RBAC, local
 * accounts disabled, OIDC issuer and workload identity on, Azure CNI overlay, node OS auto-upgrade, and a
 * small inline system pool. GPU pools are added with `GpuNodePool`.
 *
 * Exposes the kubeconfig as a secret output and a Kubernetes `provider` for the components that install
 * operators and workloads.
 */
export class AksCluster extends pulumi.ComponentResource {
  /** Name of the resource group holding the cluster. */
  public readonly resourceGroupName: pulumi.Output<string>;
  /** Azure resource name of the managed cluster. */
  public readonly clusterName: pulumi.Output<string>;
  /** The managed cluster resource. */
  public readonly cluster: containerservice.ManagedCluster;
  /** The OIDC issuer URL, for workload identity federation. */
  public readonly oidcIssuerUrl: pulumi.Output<string | undefined>;
  /** User kubeconfig (Entra ID via kubelogin), as a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** A Kubernetes provider for this cluster; it is ready once the deployer has its Kubernetes rights. */
  public readonly provider: k8s.Provider;
  /** The deployer's "Azure Kubernetes Service RBAC Cluster Admin" assignment, unless turned off. */
  public readonly deployerAccess: pulumi.CustomResource | undefined;
  /** The maintenance configurations (one per auto-upgrade channel that is on). */
  public readonly maintenance: readonly containerservice.MaintenanceConfiguration[];

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const a = resolveAksClusterArgs(name, args);
    throwIfArgProblems('AksCluster', name, validateAksClusterArgs(a));

    let resourceGroupName: pulumi.Output<string>;
    if (a.createResourceGroup) {
      const rg = new resources.ResourceGroup(`${name}-rg`, {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        tags: a.tags,
      }, { parent: this });
      resourceGroupName = rg.name;
    } else {
      resourceGroupName = pulumi.output(a.resourceGroupName);
    }

    this.cluster = new containerservice.ManagedCluster(`${name}-aks`, {
      resourceGroupName,
      resourceName: a.clusterName,
      location: a.location,
      dnsPrefix: a.dnsPrefix,
      kubernetesVersion: a.kubernetesVersion,
      identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
      sku: { name: containerservice.ManagedClusterSKUName.Base, tier: a.skuTier },
      // Only the system pool is inline; GPU pools are separate AgentPools (see ignoreChanges below).
      agentPoolProfiles: [{
        name: 'system',
        mode: containerservice.AgentPoolMode.System,
        type: containerservice.AgentPoolType.VirtualMachineScaleSets,
        vmSize: a.systemPool.vmSize,
        osType: containerservice.OSType.Linux,
        osSKU: containerservice.OSSKU.Ubuntu2204,
        enableAutoScaling: true,
        count: a.systemPool.minCount,
        minCount: a.systemPool.minCount,
        maxCount: a.systemPool.maxCount,
        availabilityZones: a.systemPool.zones,
      }],
      networkProfile: {
        networkPlugin: containerservice.NetworkPlugin.Azure,
        networkPluginMode: containerservice.NetworkPluginMode.Overlay,
        podCidr: a.network.podCidr,
        serviceCidr: a.network.serviceCidr,
        dnsServiceIP: a.network.dnsServiceIp,
        loadBalancerSku: containerservice.LoadBalancerSku.Standard,
      },
      enableRBAC: true,
      aadProfile: {
        managed: true,
        enableAzureRBAC: true,
        adminGroupObjectIDs: a.adminGroupObjectIds,
        tenantID: a.tenantId,
      },
      disableLocalAccounts: true,
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      autoUpgradeProfile: {
        upgradeChannel: a.upgradeChannel,
        nodeOSUpgradeChannel: a.nodeOsUpgradeChannel,
      },
      apiServerAccessProfile: {
        enablePrivateCluster: a.privateCluster,
        authorizedIPRanges: a.authorizedIpRanges,
      },
      tags: a.tags,
    }, {
      parent: this,
      // Azure does not allow updating inline pools together with separately managed AgentPools.
      ignoreChanges: ['agentPoolProfiles'],
    });

    this.resourceGroupName = resourceGroupName;
    this.clusterName = this.cluster.name;
    this.oidcIssuerUrl = this.cluster.oidcIssuerProfile.apply(p => p?.issuerURL);

    const creds = containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName,
      resourceName: this.cluster.name,
      format: 'exec',
    }, { parent: this });
    this.kubeconfig = pulumi.secret(creds.kubeconfigs.apply(kcs => {
      if (kcs.length === 0) {
        throw new pulumi.ResourceError('AKS returned no user kubeconfig', this);
      }
      return setKubeloginMode(Buffer.from(kcs[0].value, 'base64').toString('utf8'), a.kubeloginMode);
    }));

    this.deployerAccess = a.grantDeployerClusterAdmin
      ? deployerClusterAdmin(`${name}-deployer-admin`, this.cluster.id, a.deployerPrincipalType, { parent: this })
      : undefined;
    this.maintenance = maintenanceConfigurations(`${name}-maintenance`, {
      resourceGroupName,
      clusterName: this.cluster.name,
      nodeOsUpgradeChannel: a.nodeOsUpgradeChannel,
      upgradeChannel: a.upgradeChannel,
      window: a.maintenanceWindow,
    }, { parent: this });
    // Every Kubernetes object goes through this provider: it waits for the deployer's rights.
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: this.deployerAccess ? [this.deployerAccess] : [] });

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      clusterName: this.clusterName,
      oidcIssuerUrl: this.oidcIssuerUrl,
      kubeconfig: this.kubeconfig,
    });
  }
}

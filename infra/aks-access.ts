/**
 * Kubernetes rights of the identity that runs `pulumi up`. The cluster uses Entra ID with Azure RBAC and has local
 * accounts disabled, so without an Azure role on the cluster the deployer's first Kubernetes request (a Namespace)
 * is refused with 403. Either the program grants the deploying principal (the one `getClientConfig` reports) the
 * built-in role "Azure Kubernetes Service RBAC Cluster Admin" on the cluster, or the user names an Entra ID admin
 * group the deployer is a member of.
 */
import * as authorization from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';
import { ArgProblem } from './private/args';

/** The built-in role "Azure Kubernetes Service RBAC Cluster Admin" (all Kubernetes resources of the cluster). */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE_ID = 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b';

/** What kind of Entra ID principal runs Pulumi. */
export type DeployerPrincipalType = 'User' | 'ServicePrincipal';

/**
 * The principal type that goes with a kubelogin mode: the Azure CLI and device code are how people log in; a
 * service principal, a managed identity and workload identity are how CI does.
 */
export function principalTypeForLogin(kubeloginMode: string): DeployerPrincipalType {
  return kubeloginMode === 'azurecli' || kubeloginMode === 'devicecode' ? 'User' : 'ServicePrincipal';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True for an Entra ID object id (a GUID). */
export function isObjectId(s: string): boolean {
  return GUID.test(s);
}

/** How the deployer gets its Kubernetes rights: checked arguments. */
export function validateDeployerAccess(args: { grantDeployerClusterAdmin: boolean; adminGroupObjectIds?: readonly unknown[] }): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const groups = args.adminGroupObjectIds ?? [];
  if (!args.grantDeployerClusterAdmin && groups.length === 0) {
    problems.push({
      propertyPath: 'grantDeployerClusterAdmin',
      reason: 'is false and no adminGroupObjectIds are given, so nobody can use the cluster (local accounts are disabled): '
        + 'set it to true, or give the object id of an Entra ID group the deployer belongs to in adminGroupObjectIds',
    });
  }
  groups.forEach((g, i) => {
    if (typeof g === 'string' && !isObjectId(g)) {
      problems.push({ propertyPath: `adminGroupObjectIds[${i}]`, reason: `must be an Entra ID group object id (a GUID), got ${JSON.stringify(g)}` });
    }
  });
  return problems;
}

/**
 * Grants the principal running Pulumi "Azure Kubernetes Service RBAC Cluster Admin" on the cluster. Azure RBAC
 * for Kubernetes can take a few minutes to take effect after the assignment is created.
 */
export function deployerClusterAdmin(name: string, clusterId: pulumi.Input<string>, principalType: DeployerPrincipalType,
  opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  const client = authorization.getClientConfigOutput({ parent: opts.parent });
  return new authorization.RoleAssignment(name, {
    scope: clusterId,
    principalId: client.objectId,
    // Azure refuses an assignment whose principal type does not match the principal (and the SDK defaults to User).
    principalType,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE_ID}`,
  }, opts);
}

/**
 * The Pulumi program (`pulumi up` in this directory): the stack configuration decides the mode (a new AKS
 * cluster, or an existing cluster), the GPU pools, the operators and which apps from `apps.ts` are deployed.
 * Everything is checked before the first resource is declared; see `program.ts` for the order.
 */
import * as pulumi from '@pulumi/pulumi';
import { APPS } from './apps';
import { loadStackConfig } from './config';
import { loadStackSecrets } from './stack-secrets';
import { chartVersions, runProgram } from './program';

const stack = runProgram(loadStackConfig(APPS), APPS, pulumi.getStack(), loadStackSecrets());

/** `aks` or `platform`. */
export const mode = stack.mode;
/** User kubeconfig of the AKS cluster (secret; Entra ID through kubelogin). */
export const kubeconfig = stack.cluster?.kubeconfig;
/** Resource group and name of the AKS cluster. */
export const resourceGroupName = stack.cluster?.resourceGroupName;
export const clusterName = stack.cluster?.clusterName;
/** OIDC issuer of the AKS cluster, for workload identity federation. */
export const oidcIssuerUrl = stack.cluster?.oidcIssuerUrl;
/** The GPU pools created (mode `aks`). */
export const gpuPools = pulumi.all(stack.gpuPools.map(p => p.poolName));
/** Installed chart versions. */
export const charts = chartVersions();
/** The ClusterTopologyBinding workloads can name, when topology-aware scheduling is on. */
export const topologyName = stack.grove.topologyName;
/** The apps deployed, and the GPU nodes each needs at minimum and at most. */
export const apps = stack.capacity;
/** What the stack provides that workloads may reference: CRDs, Secrets with their keys, claims, KAI queues. */
export const provides = stack.provides;
/**
 * What this run applied, read back by the next run's update-safety check. Written only once the check passed, so a
 * refused update leaves the record of the last good deployment in place.
 */
export const deployed = stack.updateChecked.apply(() => stack.deployed);

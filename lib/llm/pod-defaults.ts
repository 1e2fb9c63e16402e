/**
 * The pod and container defaults of the Dynamo contract (`contract/contract.ts`) as Grove construct props.
 */
import { DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS, SecurityProfile, containerSecurity, podSecurity } from './contract';
import { ContainerProps } from '../grove/container';
import { PodCliqueOptions } from '../grove/pod-clique';

/** The operator's grace period and the pod security context (GenerateBasePodSpec in graph.go; restricted PSS). */
export function podDefaults(profile: SecurityProfile): Pick<PodCliqueOptions, 'terminationGracePeriodSeconds' | 'podSpec'> {
  const sc = podSecurity(profile);
  return {
    terminationGracePeriodSeconds: DYNAMO_TERMINATION_GRACE_PERIOD_SECONDS,
    podSpec: { securityContext: { ...sc, seccompProfile: sc.seccompProfile ? { ...sc.seccompProfile } : undefined } },
  };
}

/** The container security context of the profile, in the Grove CRD's shape. */
export function containerSecurityContext(profile: SecurityProfile): ContainerProps['securityContext'] {
  const sc = containerSecurity(profile);
  return {
    ...sc,
    capabilities: { add: sc.capabilities.add ? [...sc.capabilities.add] : undefined, drop: sc.capabilities.drop ? [...sc.capabilities.drop] : undefined },
    seccompProfile: sc.seccompProfile ? { ...sc.seccompProfile } : undefined,
  };
}

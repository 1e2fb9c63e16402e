import { SharingScope } from './startup';

/** Something with a Grove name (a clique, a scaling group, a claim template). */
export interface INamed {
  /** The name Grove knows it by. */
  readonly name: string;
}

/**
 * Shares a DRA ResourceClaim (e.g. a GPU or network device claim) among pods.
 * The claim comes from a template added with `PodCliqueSet.addResourceClaimTemplate()`, or from an existing
 * `ResourceClaimTemplate` object by name.
 */
export interface ResourceSharing {
  /** The claim template: one added to the PodCliqueSet, or the name of an existing ResourceClaimTemplate. */
  readonly claim: INamed | string;
  /** One claim shared by all replicas of the owner, or one per replica. */
  readonly scope: SharingScope;
  /**
   * Namespace of an existing ResourceClaimTemplate (only for templates not added to the PodCliqueSet).
   * @default - the PodCliqueSet's namespace
   */
  readonly namespace?: string;
  /**
   * Only these cliques get the claim (PodCliqueSet and scaling-group level only).
   * @default - every clique under the owner
   */
  readonly cliques?: INamed[];
  /**
   * Only these scaling groups get the claim (PodCliqueSet level only).
   * @default - every scaling group
   */
  readonly scalingGroups?: INamed[];
}

/** @internal */
export function renderResourceSharing(s: ResourceSharing): any {
  const filter = s.cliques === undefined && s.scalingGroups === undefined
    ? undefined
    : { childCliqueNames: s.cliques?.map(c => c.name), childScalingGroupNames: s.scalingGroups?.map(g => g.name) };
  return {
    name: typeof s.claim === 'string' ? s.claim : s.claim.name,
    namespace: s.namespace,
    scope: s.scope,
    filter,
  };
}

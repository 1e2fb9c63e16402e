/** In which order the cliques of a PodCliqueSet start. */
export enum CliqueStartupType {
  /** No ordering. */
  ANY_ORDER = 'CliqueStartupTypeAnyOrder',
  /** Each clique starts after the clique added before it. */
  IN_ORDER = 'CliqueStartupTypeInOrder',
  /** Each clique starts after the cliques it names with `startsAfter`. */
  EXPLICIT = 'CliqueStartupTypeExplicit',
}

/** How Grove rolls out a change of the pod templates. */
export enum UpdateStrategyType {
  /**
   * GREP-393 (`next` Grove API only, and its default): in steps that each bring up a gang of `minAvailable` of every
   * changed component on the new version, so prefill and decode stay balanced and versions never mix within a unit.
   */
  COHERENT = 'Coherent',
  /** One PodCliqueSet replica at a time, recreating pods. */
  ROLLING_RECREATE = 'RollingRecreate',
  /** Grove records the new template; pods are replaced when you delete them. */
  ON_DELETE = 'OnDelete',
}

/** Who shares a DRA ResourceClaim. */
export enum SharingScope {
  /** One claim for the owner, shared by all of its replicas. */
  ALL_REPLICAS = 'AllReplicas',
  /** One claim per replica of the owner. */
  PER_REPLICA = 'PerReplica',
}

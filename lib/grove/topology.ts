import * as grove from '../../imports/grove-grove.io';

/**
 * A ClusterTopologyBinding a topology constraint refers to: a `ClusterTopologyBinding` construct of the app, or
 * one that already exists in the cluster (`ClusterTopologyBinding.fromExisting()`).
 */
export interface ITopologyBinding {
  /** The ClusterTopologyBinding's name. */
  readonly name: string;
  /** Its domains, broadest first (synth-time admission checks constraints against them). */
  readonly domains: string[];
}

/**
 * Well-known topology domains. A domain is any name the referenced ClusterTopologyBinding defines
 * (lowercase, `^[a-z][a-z0-9-]*$`); these are the ones Grove names.
 */
export class TopologyDomain {
  public static readonly REGION = 'region';
  public static readonly ZONE = 'zone';
  public static readonly DATACENTER = 'datacenter';
  public static readonly BLOCK = 'block';
  public static readonly RACK = 'rack';
  public static readonly HOST = 'host';
  public static readonly NUMA = 'numa';
  private constructor() {}
}

/**
 * Packs each replica of a PodCliqueSet, scaling group or clique into one topology domain (e.g. keep a
 * tensor-parallel group inside one NVLink or InfiniBand domain). Needs topology-aware scheduling enabled in
 * the Grove operator and a ClusterTopologyBinding.
 */
export interface TopologyConstraint {
  /**
   * The ClusterTopologyBinding whose domains are used.
   * @default - inherited from the enclosing scaling group or PodCliqueSet constraint (required at the top-most constrained level)
   */
  readonly topology?: ITopologyBinding;
  /**
   * Each replica MUST fit inside one domain of this kind (e.g. `TopologyDomain.RACK`).
   * @default - no hard packing
   */
  readonly packRequired?: string;
  /**
   * Each replica SHOULD fit inside one domain of this kind (best effort).
   * @default - no preferred packing
   */
  readonly packPreferred?: string;
}

/** @internal */
export function renderTopologyConstraint(t: TopologyConstraint | undefined): grove.PodCliqueSetSpecTemplateTopologyConstraint | undefined {
  if (t === undefined) {
    return undefined;
  }
  const pack = t.packRequired === undefined && t.packPreferred === undefined
    ? undefined
    : { required: t.packRequired, preferred: t.packPreferred };
  return {
    topologyName: t.topology?.name,
    pack,
  };
}

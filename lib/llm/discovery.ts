/** Options of etcd-based discovery. */
export interface EtcdDiscoveryOptions {
  /** etcd endpoints, e.g. `http://etcd.dynamo-system:2379`. */
  readonly etcdEndpoints: string;
  /**
   * NATS server for KV events and request planes, e.g. `nats://nats.dynamo-system:4222`.
   * @default - none
   */
  readonly natsServer?: string;
}

/**
 * How the Dynamo components of a service find each other.
 */
export class Discovery {
  /**
   * Kubernetes-native discovery (the Dynamo platform's default): workers register `DynamoWorkerMetadata`
   * objects and EndpointSlices of their Services signal readiness. Needs the Dynamo CRDs in the cluster;
   * cdk8s-grove emits the ServiceAccount, Role and RoleBinding the pods need.
   */
  public static kubernetes(): Discovery {
    return new Discovery('kubernetes');
  }

  /** etcd (and optionally NATS) run by you. The pods get no Kubernetes API token. */
  public static etcd(options: EtcdDiscoveryOptions): Discovery {
    return new Discovery('etcd', options.etcdEndpoints, options.natsServer);
  }

  private constructor(
    /** The discovery backend. */
    public readonly backend: 'kubernetes' | 'etcd',
    /** etcd endpoints, for the etcd backend. */
    public readonly etcdEndpoints?: string,
    /** NATS server, when given. */
    public readonly natsServer?: string,
  ) {}
}

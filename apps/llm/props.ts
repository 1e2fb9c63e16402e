/** What a deployment tells an example app about its cluster. */
export interface LlmAppProps {
  /**
   * The KAI queue the service is charged to.
   * @default 'inference'
   */
  readonly queue?: string;
  /**
   * The KAI node pool (scheduling shard) of the GPU nodes.
   * @default - KAI's default shard
   */
  readonly nodePool?: string;
  /**
   * Give the GPU pods InfiniBand (the Dynamo AKS InfiniBand recipe): each requests the RDMA device `rdma/ib`, runs
   * privileged with `IPC_LOCK`, and gets the UCX/NCCL environment and a large `/dev/shm`. Turn it on only where an
   * RDMA device plugin advertises `rdma/ib` on the GPU nodes (for example the NVIDIA Network Operator with such a
   * plugin in its NicClusterPolicy); elsewhere the GPU pods stay Pending.
   * @default - the node SKU's default (on for InfiniBand SKUs)
   */
  readonly infiniband?: boolean;
  /**
   * Namespace of the service.
   * @default 'inference'
   */
  readonly namespace?: string;
}

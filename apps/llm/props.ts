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
   * Namespace of the service.
   * @default 'inference'
   */
  readonly namespace?: string;
}

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DisaggregatedLlm, DynamoMetric, Scheduler } from '../../lib';
import { LlmAppProps } from './props';

/**
 * Qwen/Qwen3-0.6B with prefill and decode split and KV-aware routing, as in the Grove announcement: one frontend,
 * one prefill worker and two decode workers, one GPU each (compare with Dynamo's `vllm_disagg_router` example).
 */
export class Qwen3Disagg extends Chart {
  /** The service. */
  public readonly llm: DisaggregatedLlm;

  constructor(scope: Construct, id: string, props: LlmAppProps = {}) {
    super(scope, id, { namespace: props.namespace ?? 'inference' });
    this.llm = new DisaggregatedLlm(this, 'qwen3', {
      model: 'Qwen/Qwen3-0.6B',
      scheduler: Scheduler.kai({ queue: props.queue ?? 'inference', nodePool: props.nodePool }),
      huggingFaceToken: { secretName: 'hf-token-secret' },
      infiniband: props.infiniband,
      prefill: { replicas: 1 },
      // Decode scales on its KV-cache use (a GPU worker's CPU use says nothing about its load); at least the two
      // decode workers of the intent stay.
      decode: { replicas: 2, autoScaling: { minReplicas: 2, maxReplicas: 4, metrics: [DynamoMetric.kvCacheUsage(0.7)] } },
    });
  }
}

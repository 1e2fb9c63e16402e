import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DisaggregatedLlm, LlmEngine, ModelCache, Scheduler } from '../../lib';
import { LlmAppProps } from './props';

/**
 * DeepSeek-R1 (FP8, 671B) disaggregated on SGLang, after Dynamo's `deepseek-r1/sglang/disagg-16gpu` recipe:
 * prefill and decode are each tensor-parallel 16 with expert parallelism across two ND96isr_H100_v5 nodes, so
 * every instance is a leader/worker scaling group, and the service needs four GPU nodes.
 */
export class DeepseekR1Disagg extends Chart {
  /** The service. */
  public readonly llm: DisaggregatedLlm;

  constructor(scope: Construct, id: string, props: LlmAppProps = {}) {
    super(scope, id, { namespace: props.namespace ?? 'inference' });
    this.llm = new DisaggregatedLlm(this, 'dsr1', {
      model: 'deepseek-ai/DeepSeek-R1',
      engine: LlmEngine.sglang(),
      scheduler: Scheduler.kai({ queue: props.queue ?? 'inference', nodePool: props.nodePool }),
      huggingFaceToken: { secretName: 'hf-token-secret' },
      infiniband: props.infiniband,
      // The recipe's 80Gi /dev/shm, with or without InfiniBand (without it the service would fall back to 8Gi).
      sharedMemorySize: '80Gi',
      modelCache: ModelCache.persistentVolumeClaim('model-cache', { mountPath: '/model-cache' }),
      prefill: {
        tensorParallel: 16,
        extraArgs: ['--ep-size', '16', '--trust-remote-code', '--mem-fraction-static', '0.75', '--load-balance-method', 'round_robin'],
      },
      decode: {
        tensorParallel: 16,
        dataParallel: 16,
        extraArgs: ['--enable-dp-attention', '--ep-size', '16', '--trust-remote-code', '--mem-fraction-static', '0.75', '--prefill-round-robin-balance'],
      },
    });
  }
}

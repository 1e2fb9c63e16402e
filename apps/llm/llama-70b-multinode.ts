import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AggregatedLlm, ModelCache, Scheduler } from '../../lib';
import { LlmAppProps } from './props';

/**
 * Llama-3.1-70B-Instruct in FP8 on 16 H100s: each model instance is tensor-parallel 16 across two
 * Standard_ND96isr_H100_v5 nodes (a leader pod and a worker pod, gang-scheduled together), and the service is
 * scaled out to a second instance, which Grove schedules as its own gang.
 */
export class Llama70bMultinode extends Chart {
  /** The service. */
  public readonly llm: AggregatedLlm;

  constructor(scope: Construct, id: string, props: LlmAppProps = {}) {
    super(scope, id, { namespace: props.namespace ?? 'inference' });
    this.llm = new AggregatedLlm(this, 'llama-70b', {
      model: 'RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8',
      scheduler: Scheduler.kai({ queue: props.queue ?? 'inference', nodePool: props.nodePool }),
      huggingFaceToken: { secretName: 'hf-token-secret' },
      infiniband: props.infiniband,
      // The recipe's 80Gi /dev/shm, with or without InfiniBand (without it the service would fall back to 8Gi).
      sharedMemorySize: '80Gi',
      modelCache: ModelCache.persistentVolumeClaim('model-cache'),
      worker: { tensorParallel: 16, replicas: 2 },
    });
  }
}

import { Construct } from 'constructs';
import { checkRequiredProps } from '../required-props';
import { ServingRole } from './engines';
import { LlmService, LlmServiceProps } from './llm-service';
import { LlmWorkerOptions, LlmWorkerRole } from './llm-worker-role';

/** Props of an AggregatedLlm. */
export interface AggregatedLlmProps extends LlmServiceProps {
  /** The worker role: each instance does both prefill and decode. */
  readonly worker: LlmWorkerOptions;
}

/**
 * An LLM served aggregated (every instance does prefill and decode) behind a Dynamo frontend, as one Grove
 * PodCliqueSet. Multi-node instances become leader/worker scaling groups, exactly as in `DisaggregatedLlm`.
 *
 * @example
 * new AggregatedLlm(chart, 'llama-70b', {
 *   model: 'RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8',
 *   scheduler: Scheduler.kai({ queue: 'inference' }),
 *   worker: { tensorParallel: 16, replicas: 2 },
 * });
 */
export class AggregatedLlm extends LlmService {
  /** The worker role. */
  public readonly worker: LlmWorkerRole;

  constructor(scope: Construct, id: string, props: AggregatedLlmProps) {
    checkRequiredProps(scope, id, 'AggregatedLlm', props, {
      model: "pass the model's Hugging Face id, e.g. `model: 'Qwen/Qwen3-0.6B'`",
      worker: 'pass the worker role, e.g. `worker: { replicas: 1 }`',
    });
    super(scope, id, props, [{ role: ServingRole.AGGREGATED, options: props.worker, kvTransferDefault: false }]);
    [this.worker] = this.roles;
  }
}

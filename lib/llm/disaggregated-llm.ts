import { Construct } from 'constructs';
import { checkRequiredProps } from '../required-props';
import { ServingRole } from './engines';
import { LlmService, LlmServiceProps } from './llm-service';
import { LlmWorkerOptions, LlmWorkerRole } from './llm-worker-role';

/** Props of a DisaggregatedLlm. */
export interface DisaggregatedLlmProps extends LlmServiceProps {
  /** The prefill role: computes the KV cache of each prompt and hands it to a decode worker. */
  readonly prefill: LlmWorkerOptions;
  /** The decode role: generates tokens from the transferred KV cache. */
  readonly decode: LlmWorkerOptions;
}

/**
 * An LLM served with prefill and decode split into separately scaled roles, behind a Dynamo frontend with
 * KV-aware routing, as one Grove PodCliqueSet.
 *
 * Each role's instance is `tensorParallel × pipelineParallel` GPUs: one pod when that fits a node, otherwise a
 * scaling group of a leader and workers spanning whole nodes, wired the way the engine needs. The base gang (what
 * must be placed for the service to start) is the frontend plus one instance of each role.
 *
 * Rollouts: at the next Grove API (`GroveOperatorConfig.set(app, { groveApi: 'next' })`) the set is written with the
 * Coherent strategy and each role's `rollingUpdate.maxUnavailable` at its `minAvailable` (one instance): each step
 * takes one prefill + decode unit down, brings it back on the new version, and drains an even share of the rest, so
 * prefill and decode of the same version stay in their ratio and, when each role's replicas are a multiple of the
 * smallest, no capacity is stranded between steps. `minAvailable` stays 1 per role because Grove never lets it
 * change after creation: a ratio-derived floor would refuse the next rescale. At the pinned API the strategy is
 * RollingRecreate (written explicitly), which rolls the roles independently; `cdk8s-grove rollout` shows both plans.
 *
 * @example
 * new DisaggregatedLlm(chart, 'qwen3', {
 *   model: 'Qwen/Qwen3-0.6B',
 *   scheduler: Scheduler.kai({ queue: 'inference' }),
 *   prefill: { replicas: 1 },
 *   decode: { replicas: 2 },
 * });
 */
export class DisaggregatedLlm extends LlmService {
  /** The prefill role. */
  public readonly prefill: LlmWorkerRole;
  /** The decode role. */
  public readonly decode: LlmWorkerRole;

  constructor(scope: Construct, id: string, props: DisaggregatedLlmProps) {
    checkRequiredProps(scope, id, 'DisaggregatedLlm', props, {
      model: "pass the model's Hugging Face id, e.g. `model: 'Qwen/Qwen3-0.6B'`",
      prefill: 'pass the prefill role, e.g. `prefill: { replicas: 1 }`',
      decode: 'pass the decode role, e.g. `decode: { replicas: 1 }`',
    });
    super(scope, id, props, [
      { role: ServingRole.PREFILL, options: props.prefill, kvTransferDefault: true },
      { role: ServingRole.DECODE, options: props.decode, kvTransferDefault: true },
    ]);
    [this.prefill, this.decode] = this.roles;
  }
}

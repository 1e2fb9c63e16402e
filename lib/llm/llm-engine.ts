import * as engines from './engines';

/**
 * The inference engine every worker of an LLM service runs, on NVIDIA Dynamo's runtime images. Each factory
 * carries the launch knowledge of the upstream Dynamo examples: flags for prefill/decode disaggregation, KV
 * transfer over NIXL, KV events for the router, and the multi-node wiring (leader address from Grove's
 * environment and headless Service, node ranks, start order).
 */
export class LlmEngine {
  /** vLLM (`python3 -m dynamo.vllm`). Multi-node instances use vLLM's `mp` executor unless `executor: 'ray'`. */
  public static vllm(options: engines.VllmEngineOptions = {}): LlmEngine {
    return new LlmEngine(engines.vllmEngine(options));
  }

  /** SGLang (`python3 -m dynamo.sglang`). */
  public static sglang(options: engines.SglangEngineOptions = {}): LlmEngine {
    return new LlmEngine(engines.sglangEngine(options));
  }

  /** TensorRT-LLM (`python3 -m dynamo.trtllm`); multi-node instances launch through MPI over SSH, leader last. */
  public static trtllm(options: engines.TrtllmEngineOptions = {}): LlmEngine {
    return new LlmEngine(engines.trtllmEngine(options));
  }

  /** Any engine described by the `Engine` interface of `engines` (for engines or versions not built in). */
  public static custom(engine: engines.Engine): LlmEngine {
    return new LlmEngine(engine);
  }

  private constructor(
    /** The engine's launch knowledge. */
    public readonly spec: engines.Engine,
  ) {}

  /** The engine kind (`vllm`, `sglang`, `trtllm`). */
  public get kind(): engines.EngineKind {
    return this.spec.kind;
  }
}

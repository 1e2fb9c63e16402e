/**
 * Lookup of the default engine of each kind.
 */
import { SGLANG } from './sglang';
import { TRTLLM } from './trtllm';
import { Engine, EngineKind } from './types';
import { VLLM } from './vllm';

/** The default engine of each kind (pinned runtime images, upstream defaults). */
export const ENGINES: Readonly<Record<EngineKind, Engine>> = {
  [EngineKind.VLLM]: VLLM,
  [EngineKind.SGLANG]: SGLANG,
  [EngineKind.TRTLLM]: TRTLLM,
};

/**
 * The default engine of a kind. Use `vllmEngine()`, `sglangEngine()` or `trtllmEngine()` for a custom image
 * or engine-specific options.
 *
 * @param kind the engine kind
 */
export function engineFor(kind: EngineKind): Engine {
  return ENGINES[kind];
}

import { Construct } from 'constructs';
import { DeepseekR1Disagg } from './deepseek-r1-disagg';
import { Llama70bMultinode } from './llama-70b-multinode';
import { Qwen3Disagg } from './qwen3-disagg';

export * from './deepseek-r1-disagg';
export * from './llama-70b-multinode';
export * from './props';
export * from './qwen3-disagg';

/** Adds the LLM example apps to `app`; chart ids become the file names in dist/. */
export function addLlmApps(app: Construct): void {
  new Qwen3Disagg(app, 'qwen3-disagg');
  new Llama70bMultinode(app, 'llama-70b-multinode');
  new DeepseekR1Disagg(app, 'deepseek-r1-disagg');
}

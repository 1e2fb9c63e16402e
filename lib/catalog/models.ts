/**
 * Well-known models and how much GPU memory their weights take.
 *
 * Parameter counts are the ones the model cards state. Weight bytes are parameters times bytes per parameter of the
 * checkpoint's dtype, except where a checkpoint mixes dtypes (noted at the entry). KV cache is workload-dependent and
 * not part of the table; pass it to `estimateModelMemoryGiB`.
 */
import { GroveValidationError, ValidationProblem } from '../errors';
import { nodeSku } from './node-skus';

/** Weight data types and their size in bytes per parameter. */
export const DTYPE_BYTES = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int4: 0.5,
} as const;

/** A weight data type. */
export type WeightDtype = keyof typeof DTYPE_BYTES;

/** A model's size. */
export interface ModelInfo {
  /** Hugging Face id, e.g. `meta-llama/Llama-3.1-8B-Instruct`. */
  readonly id: string;
  /** Total parameters, in billions. */
  readonly parametersBillions: number;
  /**
   * Parameters active per token, in billions, for mixture-of-experts models.
   * @default - undefined for dense models (all parameters are active)
   */
  readonly activeParametersBillions?: number;
  /** Dtype of the published checkpoint's (bulk of the) weights. */
  readonly dtype: WeightDtype;
  /** Bytes the weights take in GPU memory when served in `dtype`. */
  readonly weightBytes: number;
}

const B = 1e9;

function dense(id: string, parametersBillions: number, dtype: WeightDtype): ModelInfo {
  return { id, parametersBillions, dtype, weightBytes: parametersBillions * B * DTYPE_BYTES[dtype] };
}

/** Llama 3 70B: embedding and LM head are 128256 x 8192 each; FP8 checkpoints keep them in BF16. */
const LLAMA3_70B_EMBED_AND_HEAD_B = (2 * 128256 * 8192) / B;

const MODELS: readonly ModelInfo[] = [
  dense('Qwen/Qwen3-0.6B', 0.6, 'bf16'),
  dense('Qwen/Qwen3-32B', 32.8, 'bf16'),
  dense('meta-llama/Llama-3.1-8B-Instruct', 8.03, 'bf16'),
  dense('meta-llama/Llama-3.1-70B-Instruct', 70.6, 'bf16'),
  dense('meta-llama/Llama-3.3-70B-Instruct', 70.6, 'bf16'),
  {
    // The FP8 checkpoint Dynamo's llama-3-70b recipes serve: linear layers FP8, embedding and LM head BF16.
    id: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic',
    parametersBillions: 70.6,
    dtype: 'fp8',
    weightBytes: ((70.6 - LLAMA3_70B_EMBED_AND_HEAD_B) * DTYPE_BYTES.fp8 + LLAMA3_70B_EMBED_AND_HEAD_B * DTYPE_BYTES.bf16) * B,
  },
  {
    // Llama 3.1 70B with the same FP8 scheme (same architecture, so the same layer sizes as the 3.3 checkpoint above).
    id: 'RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8',
    parametersBillions: 70.6,
    dtype: 'fp8',
    weightBytes: ((70.6 - LLAMA3_70B_EMBED_AND_HEAD_B) * DTYPE_BYTES.fp8 + LLAMA3_70B_EMBED_AND_HEAD_B * DTYPE_BYTES.bf16) * B,
  },
  {
    // Mixture of experts, 37B active; published in block-scaled FP8. The 671B exclude the multi-token-prediction
    // module (~14B more) that is only loaded for speculative decoding.
    id: 'deepseek-ai/DeepSeek-R1',
    parametersBillions: 671,
    activeParametersBillions: 37,
    dtype: 'fp8',
    weightBytes: 671 * B * DTYPE_BYTES.fp8,
  },
];

/** Every model in the catalog. */
export function models(): readonly ModelInfo[] {
  return MODELS;
}

/** Looks up a model by Hugging Face id (case-insensitive), returning undefined when unknown. */
export function findModel(id: string): ModelInfo | undefined {
  const key = typeof id === 'string' ? id.toLowerCase() : '';
  return MODELS.find(m => m.id.toLowerCase() === key);
}

/**
 * Looks up a model by Hugging Face id (case-insensitive).
 *
 * @throws GroveValidationError listing the known models when the id is not in the catalog
 */
export function modelInfo(id: string): ModelInfo {
  const found = findModel(id);
  if (found === undefined) {
    throw new GroveValidationError([{
      constructPath: 'catalog/models',
      field: 'model',
      message: 'unknown model',
      value: id,
      fix: `use one of ${MODELS.map(m => m.id).join(', ')}, or pass a ModelInfo with the parameter count`,
    }]);
  }
  return found;
}

/** Options of `estimateModelMemoryGiB`. */
export interface ModelMemoryOptions {
  /**
   * Serve the weights in this dtype instead of the checkpoint's (e.g. `fp8` for on-the-fly quantization).
   * @default - the checkpoint's dtype, with its exact weight bytes
   */
  readonly dtype?: WeightDtype;
  /**
   * Extra memory on top of the weights, as a fraction of them: CUDA context, activations, fragmentation.
   * @default 0.1
   */
  readonly overheadFraction?: number;
  /**
   * KV cache to reserve, in GiB, for all GPUs together.
   * @default 0
   */
  readonly kvCacheGiB?: number;
}

const GIB = 2 ** 30;

/**
 * GPU memory a model needs in total across all GPUs that serve one copy of it, in GiB: weights, plus
 * `overheadFraction` of the weights, plus `kvCacheGiB`.
 *
 * @param model a Hugging Face id from the catalog, or a `ModelInfo`
 */
export function estimateModelMemoryGiB(model: string | ModelInfo, options: ModelMemoryOptions = {}): number {
  const info = typeof model === 'string' ? modelInfo(model) : model;
  const overhead = options.overheadFraction ?? 0.1;
  const kv = options.kvCacheGiB ?? 0;
  const problems: ValidationProblem[] = [];
  if (!(overhead >= 0)) {
    problems.push({ constructPath: 'catalog/models', field: 'overheadFraction', message: 'must be >= 0', value: overhead });
  }
  if (!(kv >= 0)) {
    problems.push({ constructPath: 'catalog/models', field: 'kvCacheGiB', message: 'must be >= 0', value: kv });
  }
  if (problems.length > 0) {
    throw new GroveValidationError(problems);
  }
  const weightBytes = options.dtype === undefined || options.dtype === info.dtype
    ? info.weightBytes
    : info.parametersBillions * B * DTYPE_BYTES[options.dtype];
  return (weightBytes / GIB) * (1 + overhead) + kv;
}

/** Options of `minGpusForModel`. */
export interface MinGpusOptions extends ModelMemoryOptions {
  /**
   * Fraction of each GPU's memory the serving engine may use (vLLM's `--gpu-memory-utilization`).
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
}

/**
 * Fewest GPUs of a SKU whose memory holds `estimateModelMemoryGiB(model, options)`. This is a lower bound for the
 * tensor/pipeline-parallel size; engines usually also need it to divide the model's attention heads, which in
 * practice means a power of two.
 */
export function minGpusForModel(model: string | ModelInfo, sku: string, options: MinGpusOptions = {}): number {
  const utilization = options.gpuMemoryUtilization ?? 0.9;
  if (!(utilization > 0 && utilization <= 1)) {
    throw new GroveValidationError([{ constructPath: 'catalog/models', field: 'gpuMemoryUtilization', message: 'must be in (0, 1]', value: utilization }]);
  }
  const perGpu = nodeSku(sku).gpuMemoryGiB * utilization;
  return Math.max(1, Math.ceil(estimateModelMemoryGiB(model, options) / perGpu));
}

import { GroveValidationError } from '../../lib/errors';
import { estimateModelMemoryGiB, findModel, minGpusForModel, modelInfo, models } from '../../lib/catalog';
import { describeWithReference, readReference } from '../support/reference';

const GIB = 2 ** 30;

describe('model table', () => {
  test.each([
    ['Qwen/Qwen3-0.6B', 0.6, 'bf16', 1.2e9],
    ['Qwen/Qwen3-32B', 32.8, 'bf16', 65.6e9],
    ['meta-llama/Llama-3.1-8B-Instruct', 8.03, 'bf16', 16.06e9],
    ['meta-llama/Llama-3.1-70B-Instruct', 70.6, 'bf16', 141.2e9],
    ['meta-llama/Llama-3.3-70B-Instruct', 70.6, 'bf16', 141.2e9],
    ['deepseek-ai/DeepSeek-R1', 671, 'fp8', 671e9],
  ])('%s: %fB params in %s = %d bytes', (id, params, dtype, bytes) => {
    const m = modelInfo(id);
    expect([m.parametersBillions, m.dtype]).toEqual([params, dtype]);
    expect(m.weightBytes).toBeCloseTo(bytes, -6);
  });

  test('the FP8 Llama 3.3 keeps embedding and LM head in BF16', () => {
    const m = modelInfo('RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic');
    expect(m.dtype).toBe('fp8');
    // 68.5B FP8 + 2.1B BF16 parameters
    expect(m.weightBytes / 1e9).toBeCloseTo(72.7, 1);
  });

  test('DeepSeek-R1 is a mixture of experts with 37B active', () => {
    expect(modelInfo('deepseek-ai/DeepSeek-R1').activeParametersBillions).toBe(37);
  });

  test('ids are case-insensitive; unknown ids fail listing the known ones', () => {
    expect(modelInfo('qwen/qwen3-0.6b').id).toBe('Qwen/Qwen3-0.6B');
    expect(findModel('acme/unknown')).toBeUndefined();
    expect(() => modelInfo('acme/unknown')).toThrow(GroveValidationError);
    expect(() => modelInfo('acme/unknown')).toThrow(/use one of Qwen\/Qwen3-0.6B/);
  });

  test('ids are unique', () => {
    expect(new Set(models().map(m => m.id.toLowerCase())).size).toBe(models().length);
  });
});

describe('estimateModelMemoryGiB', () => {
  test('weights plus 10% overhead by default', () => {
    expect(estimateModelMemoryGiB('meta-llama/Llama-3.1-8B-Instruct')).toBeCloseTo((16.06e9 / GIB) * 1.1, 6);
  });

  test('overhead can be switched off and KV cache added', () => {
    expect(estimateModelMemoryGiB('meta-llama/Llama-3.1-8B-Instruct', { overheadFraction: 0 })).toBeCloseTo(16.06e9 / GIB, 6);
    expect(estimateModelMemoryGiB('Qwen/Qwen3-0.6B', { overheadFraction: 0, kvCacheGiB: 10 })).toBeCloseTo(1.2e9 / GIB + 10, 6);
  });

  test('a serving dtype overrides the checkpoint dtype', () => {
    expect(estimateModelMemoryGiB('meta-llama/Llama-3.1-70B-Instruct', { dtype: 'fp8', overheadFraction: 0 })).toBeCloseTo(70.6e9 / GIB, 6);
  });

  test('accepts a ModelInfo for models outside the table', () => {
    const custom = { id: 'acme/m', parametersBillions: 10, dtype: 'bf16' as const, weightBytes: 20e9 };
    expect(estimateModelMemoryGiB(custom, { overheadFraction: 0 })).toBeCloseTo(20e9 / GIB, 6);
  });

  test('fails on negative overhead or KV cache', () => {
    expect(() => estimateModelMemoryGiB('Qwen/Qwen3-0.6B', { overheadFraction: -1, kvCacheGiB: Number.NaN })).toThrow(/2 problems found/);
  });
});

describe('minGpusForModel', () => {
  test.each([
    ['meta-llama/Llama-3.1-8B-Instruct', 'Standard_ND96isr_H100_v5', 1],
    ['meta-llama/Llama-3.3-70B-Instruct', 'Standard_ND96isr_H100_v5', 3],
    ['meta-llama/Llama-3.3-70B-Instruct', 'Standard_ND96isr_H200_v5', 2],
    ['RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', 'Standard_ND96isr_H100_v5', 2],
    ['meta-llama/Llama-3.1-70B-Instruct', 'Standard_ND96asr_v4', 5],
    ['deepseek-ai/DeepSeek-R1', 'Standard_ND96isr_H100_v5', 10],
    ['deepseek-ai/DeepSeek-R1', 'Standard_ND96isr_H200_v5', 6],
  ])('%s on %s needs at least %i GPU(s)', (model, sku, gpus) => {
    expect(minGpusForModel(model, sku)).toBe(gpus);
  });

  test('fails on a utilization outside (0, 1]', () => {
    expect(() => minGpusForModel('Qwen/Qwen3-0.6B', 'Standard_ND96isr_H100_v5', { gpuMemoryUtilization: 1.5 })).toThrow(/gpuMemoryUtilization: must be in \(0, 1\]/);
  });
});

describeWithReference('models used by the Dynamo recipes', () => {
  test('the recipes\' models are in the table', () => {
    const recipes = ['llama-3-70b_vllm_disagg-multi-node_deploy.yaml', 'deepseek-r1_sglang_disagg-16gpu_deploy.yaml']
      .map(f => readReference('dynamo', 'recipes', f)).join('\n');
    for (const id of ['RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', 'deepseek-ai/DeepSeek-R1']) {
      expect(recipes).toContain(id);
      expect(findModel(id)).toBeDefined();
    }
  });
});

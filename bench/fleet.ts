/**
 * A deterministic fleet of LLM services for the benchmark: a mix of aggregated, disaggregated and multi-node
 * `AggregatedLlm` / `DisaggregatedLlm` services with distinct names, spread over several charts of one App.
 */
import { App, Chart } from 'cdk8s';
import { AggregatedLlm, DisaggregatedLlm, LlmEngine, Metric, ModelCache, Scheduler } from '../lib';

/** Charts of the fleet (a chart is a team or namespace, one file under dist/); services are split evenly. */
export const CHARTS = 5;

/** The shapes the fleet cycles through, in order. */
export const SHAPES = [
  'aggregated', 'disaggregated', 'multi-node-aggregated', 'disaggregated-autoscaled', 'multi-node-disaggregated',
] as const;

/** Adds service `i` of the fleet to `chart`. */
export function addService(chart: Chart, i: number): void {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const scheduler = Scheduler.kai({ queue: `team-${i % 7}` });
  const huggingFaceToken = { secretName: 'hf-token-secret' };
  switch (SHAPES[i % SHAPES.length]) {
    case 'aggregated':
      new AggregatedLlm(chart, name, {
        model: i % 2 === 0 ? 'Qwen/Qwen3-0.6B' : 'meta-llama/Llama-3.1-8B-Instruct', scheduler, huggingFaceToken,
        engine: [LlmEngine.vllm(), LlmEngine.sglang(), LlmEngine.trtllm()][i % 3],
        worker: { replicas: 1 + (i % 3) },
      });
      return;
    case 'disaggregated':
      new DisaggregatedLlm(chart, name, {
        model: 'Qwen/Qwen3-32B', scheduler, huggingFaceToken,
        engine: i % 2 === 0 ? LlmEngine.vllm() : LlmEngine.sglang(),
        prefill: { tensorParallel: 2, replicas: 1 }, decode: { tensorParallel: 2, replicas: 2 },
      });
      return;
    case 'multi-node-aggregated':
      new AggregatedLlm(chart, name, {
        model: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', scheduler, huggingFaceToken,
        modelCache: ModelCache.persistentVolumeClaim('model-cache'),
        worker: { tensorParallel: 16, replicas: 2 },
      });
      return;
    case 'disaggregated-autoscaled':
      new DisaggregatedLlm(chart, name, {
        model: 'Qwen/Qwen3-0.6B', scheduler, huggingFaceToken,
        prefill: { replicas: 1 },
        decode: { replicas: 2, autoScaling: { minReplicas: 1, maxReplicas: 4, metrics: [Metric.cpuUtilization(80)] }, allowUtilizationAutoscaling: true },
      });
      return;
    case 'multi-node-disaggregated':
      new DisaggregatedLlm(chart, name, {
        model: 'deepseek-ai/DeepSeek-R1', engine: LlmEngine.sglang(), scheduler, huggingFaceToken,
        modelCache: ModelCache.persistentVolumeClaim('model-cache', { mountPath: '/model-cache' }),
        prefill: { tensorParallel: 16, extraArgs: ['--ep-size', '16', '--trust-remote-code'] },
        decode: { tensorParallel: 16, dataParallel: 16, extraArgs: ['--enable-dp-attention', '--ep-size', '16', '--trust-remote-code'] },
      });
      return;
  }
}

/**
 * A new App holding `services` services in `charts` charts (`team-<k>`, namespace `team-<k>`), service `i` in
 * chart `floor(i * charts / services)`.
 */
export function buildFleet(services: number, charts = CHARTS): App {
  const app = new App();
  const chartCount = Math.max(1, Math.min(charts, services));
  const all = Array.from({ length: chartCount }, (_, k) => {
    const name = `team-${String(k).padStart(3, '0')}`;
    return new Chart(app, name, { namespace: name });
  });
  for (let i = 0; i < services; i++) {
    addService(all[Math.floor((i * chartCount) / services)], i);
  }
  return app;
}

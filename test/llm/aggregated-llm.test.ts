import { Testing } from 'cdk8s';
import { AggregatedLlm, LlmEngine } from '../../lib';
import { catchValidation } from '../grove/helpers';

describe('AggregatedLlm', () => {
  test('defaults: a frontend and one single-GPU worker, no KV transfer, KV events for the router', () => {
    const chart = Testing.chart();
    const llm = new AggregatedLlm(chart, 'chat', { model: 'Qwen/Qwen3-0.6B', worker: {} });
    const pcs = Testing.synth(chart).find(o => o.kind === 'PodCliqueSet');
    expect(pcs.spec.template.cliques.map((c: any) => c.name)).toEqual(['frontend', 'worker']);
    const worker = pcs.spec.template.cliques[1];
    expect(worker.labels['nvidia.com/dynamo-component-type']).toBe('worker');
    const args: string[] = worker.spec.podSpec.containers[0].args;
    expect(args).not.toContain('--disaggregation-mode');
    expect(args).not.toContain('--kv-transfer-config'); // @default kvTransfer false when aggregated
    expect(args).toContain('--kv-events-config');
    expect(llm.worker.clique?.replicas).toBe(1);
  });

  test('multi-node SGLang worker: leader and worker cliques wired through Grove env and the headless Service', () => {
    const chart = Testing.chart();
    const llm = new AggregatedLlm(chart, 'ds', { model: 'deepseek-ai/DeepSeek-R1', engine: LlmEngine.sglang(), worker: { tensorParallel: 16, replicas: 3, minAvailable: 2 } });
    const pcs = Testing.synth(chart).find(o => o.kind === 'PodCliqueSet');
    expect(pcs.spec.template.podCliqueScalingGroups).toEqual([{ name: 'worker', cliqueNames: ['worker-ldr', 'worker-wkr'], replicas: 3, minAvailable: 2 }]);
    const leaderArgs = pcs.spec.template.cliques[1].spec.podSpec.containers[0].args.join(' ');
    expect(leaderArgs).toContain('--dist-init-addr $(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-worker-ldr-0.$(GROVE_HEADLESS_SERVICE):29500');
    expect(leaderArgs).toContain('--nnodes 2 --node-rank 0');
    expect(pcs.spec.template.cliques[2].spec.podSpec.containers[0].args.join(' ')).toContain('--node-rank $((GROVE_PCLQ_POD_INDEX + 1))');
    expect(llm.worker.scaleTargets(1)).toEqual([{ role: 'worker', apiVersion: 'grove.io/v1alpha1', kind: 'PodCliqueScalingGroup', name: 'ds-0-worker', podCliqueSetReplica: 0 }]);
  });

  describe('fails when', () => {
    test('the worker has more GPUs than fit a node but not a whole number of nodes', () => {
      const e = catchValidation(() => new AggregatedLlm(Testing.chart(), 'x', { model: 'Qwen/Qwen3-0.6B', worker: { tensorParallel: 4, pipelineParallel: 3 } }));
      expect(e.problems[0]).toMatchObject({ constructPath: 'test/x', field: 'worker.tensorParallel × worker.pipelineParallel', value: 12 });
    });

    test('replicas is below minAvailable', () => {
      expect(() => new AggregatedLlm(Testing.chart(), 'x', { model: 'Qwen/Qwen3-0.6B', worker: { replicas: 1, minAvailable: 2 } }))
        .toThrow(/\[test\/x\/Service\/worker\] minAvailable: must be a whole number between 1 and 1, got 2/);
    });
  });
});

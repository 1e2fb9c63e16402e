import {
  DYNAMO_VERSION, MultiNodePart, MultiNodeStartOrder, ServingRole, VLLM, vllmEngine,
  VllmExecutor, WorkerOptions,
} from '../../../lib/llm/engines';
import { GroveValidationError } from '../../../lib/errors';
import { describeWithReference } from '../../support/reference';
import { commandWords, flagSet, flagValue, goldenArgString, goldenSection, referenceContainer, specWords, withoutFlags } from './support';

const QWEN = 'Qwen/Qwen3-0.6B';
const NIXL = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';

function opts(o: Partial<WorkerOptions> & Pick<WorkerOptions, 'role'>): WorkerOptions {
  return { model: QWEN, tensorParallel: 1, pipelineParallel: 1, kvTransfer: false, kvEvents: false, ...o };
}

describeWithReference('vLLM launch specs reproduce the upstream examples', () => {
  test('disagg_router v1beta1: prefill with NIXL and KV events, decode without', () => {
    // GIVEN the prefill and decode containers of the KV-routed example
    const file = 'examples/vllm_disagg_router.v1beta1.yaml';
    const prefillRef = referenceContainer(file, 'VllmPrefillWorker');
    const decodeRef = referenceContainer(file, 'VllmDecodeWorker');

    // WHEN the engine renders both roles (KV events requested for both: decode ignores them, as dynamo.vllm does)
    const prefill = VLLM.worker(opts({ role: 'prefill', kvTransfer: true, kvEvents: true }));
    const decode = VLLM.worker(opts({ role: 'decode', kvTransfer: false, kvEvents: true }));

    // THEN command, args and working directory are the example's, exactly
    expect(prefill.command).toEqual(prefillRef.command);
    expect(prefill.args).toEqual(prefillRef.args);
    expect(prefill.workingDir).toBe(prefillRef.workingDir);
    expect(decode.command).toEqual(decodeRef.command);
    expect(decode.args).toEqual(decodeRef.args);
    expect(decode.workingDir).toBe(decodeRef.workingDir);
    // and the example sets no container env the spec lacks
    for (const e of [...(prefillRef.env ?? []), ...(decodeRef.env ?? [])]) {
      expect(prefill.env).toContainEqual(e);
    }
  });

  test('disagg v1beta1: prefill and decode args are exact', () => {
    const file = 'examples/vllm_disagg.v1beta1.yaml';
    expect(VLLM.worker(opts({ role: 'prefill', kvTransfer: true })).args).toEqual(referenceContainer(file, 'VllmPrefillWorker').args);
    expect(VLLM.worker(opts({ role: 'decode' })).args).toEqual(referenceContainer(file, 'VllmDecodeWorker').args);
  });

  test('disagg_router v1alpha1: the legacy --is-*-worker flags map onto --disaggregation-mode', () => {
    const file = 'examples/vllm_disagg_router.v1alpha1.yaml';
    for (const [component, role] of [['VllmPrefillWorker', 'prefill'], ['VllmDecodeWorker', 'decode']] as const) {
      const ref = referenceContainer(file, component);
      const spec = VLLM.worker(opts({ role }));
      expect(flagSet(specWords(spec))).toEqual(flagSet(commandWords(ref)));
    }
  });

  test('disagg_planner v1beta1: prefill command line (split differently) is the same words', () => {
    const ref = referenceContainer('examples/vllm_disagg_planner.v1beta1.yaml', 'VllmPrefillWorker');
    expect(specWords(VLLM.worker(opts({ role: 'prefill', kvTransfer: true })))).toEqual(commandWords(ref));
  });

  test('llama-3-70b multi-node recipe: prefill shell line is the same words, decode differs only by the role flag', () => {
    // GIVEN the recipe's `/bin/sh -c "python3 -m dynamo.vllm --model $MODEL_PATH ..."` lines (token comparison;
    // with a direct command the kubelet would need $(MODEL_PATH) instead of $MODEL_PATH)
    const file = 'recipes/llama-3-70b_vllm_disagg-multi-node_deploy.yaml';
    const common = {
      model: '$MODEL_PATH', servedModelName: '$SERVED_MODEL_NAME', tensorParallel: 8, dataParallel: 1,
      extraArgs: ['--gpu-memory-utilization', '0.90', '--no-enable-prefix-caching', '--block-size', '128'],
    };
    const prefill = VLLM.worker(opts({ role: 'prefill', ...common }));
    const decode = VLLM.worker(opts({ role: 'decode', ...common }));

    expect(specWords(prefill)).toEqual(commandWords(referenceContainer(file, 'VllmPrefillWorker')));
    // The 0.8.0 recipe's decode worker has no role flag; current dynamo.vllm wants --disaggregation-mode decode.
    expect(withoutFlags(specWords(decode), ['--disaggregation-mode'])).toEqual(commandWords(referenceContainer(file, 'VllmDecodeWorker')));
    expect(flagValue(specWords(decode), '--disaggregation-mode')).toBe('decode');
  });

  test('llama-3-70b single-node recipe pairs different TP on prefill and decode, so parallelism need not match', () => {
    const file = 'recipes/llama-3-70b_vllm_disagg-single-node_deploy.yaml';
    const tp = (c: string) => flagValue(commandWords(referenceContainer(file, c)), '--tensor-parallel-size');
    expect(tp('VllmPrefillWorker')).not.toEqual(tp('VllmDecodeWorker'));
    expect(VLLM.kvTransfer.parallelismMustMatch).toBe(false);
  });

  test('disagg-multinode v1beta1: leader = example args (engine id per gang replica) + mp flags', () => {
    // GIVEN the multi-node example: TP 2 over two pods of one GPU
    const file = 'examples/vllm_disagg-multinode.v1beta1.yaml';
    const multiNode = { nodes: 2, gpusPerNode: 1, part: MultiNodePart.LEADER };
    const checks = [
      { component: 'prefill', role: 'prefill' as const },
      { component: 'decode', role: 'decode' as const },
    ];
    for (const { component, role } of checks) {
      const ref = referenceContainer(file, component);
      const spec = VLLM.worker(opts({ role, tensorParallel: 2, kvTransfer: true, multiNode }));
      const words = specWords(spec);

      // THEN the engine flags are the example's, with the engine id templated per scaling-group replica
      const engineWords = withoutFlags(words, ['--distributed-executor-backend', '--nnodes', '--master-addr', '--master-port', '--node-rank']);
      const normalise = (ws: string[]) => ws.map(w => (w.startsWith('{"kv_connector"') ? JSON.stringify({ ...JSON.parse(w), engine_id: '<id>' }) : w));
      expect(flagSet(normalise(engineWords))).toEqual(flagSet(normalise(commandWords(ref))));
      expect(JSON.parse(flagValue(words, '--kv-transfer-config')!).engine_id).toBe('$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)');

      // AND the mp flags the operator appends for the leader (GROVE_TRANSLATION.md §5)
      expect(spec.args.slice(-10)).toEqual([
        '--distributed-executor-backend', 'mp', '--nnodes', '2',
        '--master-addr', `$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-${component}-ldr-0.$(GROVE_HEADLESS_SERVICE)`,
        '--master-port', '29500', '--node-rank', '0',
      ]);
    }
  });

  test('GOLDEN G3: Ray leader and worker commands', () => {
    const g3 = goldenSection('G3');
    const ray = vllmEngine({ executor: VllmExecutor.RAY });
    const base = opts({ role: 'aggregated', tensorParallel: 4, extraArgs: ['--custom-flag', 'custom-value'] });
    const leader = ray.worker({ ...base, multiNode: { nodes: 2, gpusPerNode: 2, part: 'leader' } });
    const worker = ray.worker({ ...base, multiNode: { nodes: 2, gpusPerNode: 2, part: 'worker' } });

    // Worker: exactly the golden string (leader clique `worker-ldr` is the default for an aggregated worker).
    expect(worker.command).toEqual(['/bin/sh', '-c']);
    expect(worker.args).toEqual([goldenArgString(g3, '- name: worker-wkr')]);
    expect(worker.livenessProbe ?? worker.readinessProbe ?? worker.startupProbe).toBeUndefined();

    // Leader: same words as the golden, apart from the model flag and the explicit default PP 1.
    const golden = goldenArgString(g3, '- name: worker-ldr');
    expect(leader.args[0].startsWith('ray start --head --port=6379 && python3 -m dynamo.vllm ')).toBe(true);
    expect(golden.startsWith('ray start --head --port=6379 && python3 -m dynamo.vllm ')).toBe(true);
    const tail = (line: string) => line.split(' && ')[1].split(' ');
    expect(flagSet(withoutFlags(tail(leader.args[0]), ['--model']))).toEqual(flagSet(withoutFlags(tail(golden), ['--pipeline-parallel-size'])));
    expect(leader.livenessProbe).toBeDefined();
  });
});

describe('vLLM launch specs (unit)', () => {
  test('default image is the pinned vllm-runtime', () => {
    expect(VLLM.defaultImage).toBe(`nvcr.io/nvidia/ai-dynamo/vllm-runtime:${DYNAMO_VERSION}`);
    expect(VLLM.worker(opts({ role: 'aggregated' })).image).toBe(VLLM.defaultImage);
    expect(vllmEngine({ image: 'my/vllm:1' }).worker(opts({ role: 'aggregated' })).image).toBe('my/vllm:1');
  });

  test('tp and pp are passed through; 1 is left to the engine default', () => {
    const args = VLLM.worker(opts({ role: 'aggregated', tensorParallel: 8, pipelineParallel: 2 })).args;
    expect(flagValue(args, '--tensor-parallel-size')).toBe('8');
    expect(flagValue(args, '--pipeline-parallel-size')).toBe('2');
    const single = VLLM.worker(opts({ role: 'aggregated' })).args;
    expect(single).not.toContain('--tensor-parallel-size');
    expect(single).not.toContain('--pipeline-parallel-size');
  });

  test('aggregated worker has no role flag; KV events are emitted for aggregated and prefill only', () => {
    const agg = VLLM.worker(opts({ role: 'aggregated', kvEvents: true }));
    expect(agg.args).not.toContain('--disaggregation-mode');
    expect(agg.args).toContain('--kv-events-config');
    expect(VLLM.worker(opts({ role: 'decode', kvEvents: true })).args).not.toContain('--kv-events-config');
    expect(VLLM.kvEventsRoles).toEqual([ServingRole.PREFILL, ServingRole.AGGREGATED]);
  });

  test('single-node KV transfer config has no engine id', () => {
    expect(flagValue(VLLM.worker(opts({ role: 'decode', kvTransfer: true })).args, '--kv-transfer-config')).toBe(NIXL);
  });

  test('worker pods carry the operator defaults: ports, probes, /dev/shm', () => {
    const spec = VLLM.worker(opts({ role: 'prefill', kvTransfer: true }));
    expect(spec.ports).toEqual([{ name: 'system', containerPort: 9090 }, { name: 'nixl', containerPort: 19090 }]);
    expect(spec.livenessProbe?.httpGet).toEqual({ path: '/live', port: 'system' });
    expect(spec.readinessProbe?.httpGet).toEqual({ path: '/health', port: 'system' });
    expect(spec.startupProbe?.failureThreshold).toBe(720);
    expect(spec.sharedMemory).toBe(true);
  });

  test('extraEnv is appended after the engine env', () => {
    const spec = VLLM.worker(opts({ role: 'decode', extraEnv: [{ name: 'HF_HOME', value: '/models' }] }));
    expect(spec.env[spec.env.length - 1]).toEqual({ name: 'HF_HOME', value: '/models' });
  });

  describe('multi-node (mp, TP 16 over two 8-GPU pods)', () => {
    const mn = (part: 'leader' | 'worker') => VLLM.worker(opts({
      role: 'decode', tensorParallel: 16, kvTransfer: true,
      multiNode: { nodes: 2, gpusPerNode: 8, part, leaderClique: 'llama-decode-ldr', workerClique: 'llama-decode-wkr' },
    }));

    test('leader runs dynamo.vllm directly with rank 0 and keeps probes', () => {
      const leader = mn('leader');
      expect(leader.command).toEqual(['python3', '-m', 'dynamo.vllm']);
      expect(flagValue(leader.args, '--node-rank')).toBe('0');
      expect(flagValue(leader.args, '--master-addr')).toBe('$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-llama-decode-ldr-0.$(GROVE_HEADLESS_SERVICE)');
      expect(leader.args).not.toContain('--headless');
      expect(leader.readinessProbe).toBeDefined();
    });

    test('worker runs headless in a shell with the rank from the pod index and no probes', () => {
      const worker = mn('worker');
      expect(worker.command).toEqual(['/bin/sh', '-c']);
      expect(worker.args).toHaveLength(1);
      expect(worker.args[0]).toContain('--node-rank $((GROVE_PCLQ_POD_INDEX + 1)) --headless');
      expect(worker.args[0].startsWith('exec python3 -m dynamo.vllm --model ')).toBe(true);
      const words = specWords(worker);
      expect(flagValue(words, '--nnodes')).toBe('2');
      expect(flagValue(words, '--tensor-parallel-size')).toBe('16');
      expect(JSON.parse(flagValue(words, '--kv-transfer-config')!)).toEqual({ ...JSON.parse(NIXL), engine_id: '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)' });
      expect(worker.livenessProbe ?? worker.readinessProbe ?? worker.startupProbe).toBeUndefined();
    });

    test('both parts pin the NIXL side channel to the pod IP', () => {
      for (const s of [mn('leader'), mn('worker')]) {
        expect(s.env).toContainEqual({ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFromField: 'status.podIP' });
      }
    });

    test('start order is any order (upstream emits no startsAfter for vLLM)', () => {
      expect(VLLM.multiNode.startOrder).toBe(MultiNodeStartOrder.ANY_ORDER);
      expect(VLLM.multiNodeStartsAfter({ leaderClique: 'a-ldr', workerClique: 'a-wkr' })).toEqual({ 'a-ldr': [], 'a-wkr': [] });
    });
  });

  test('multi-node data parallel: hybrid LB with per-node start rank', () => {
    const base = opts({ role: 'aggregated', tensorParallel: 2, dataParallel: 8 });
    const leader = VLLM.worker({ ...base, multiNode: { nodes: 2, gpusPerNode: 8, part: 'leader' } });
    const worker = VLLM.worker({ ...base, multiNode: { nodes: 2, gpusPerNode: 8, part: 'worker' } });
    expect(flagValue(leader.args, '--data-parallel-size-local')).toBe('4');
    expect(flagValue(leader.args, '--data-parallel-start-rank')).toBe('0');
    expect(leader.args).toContain('--data-parallel-hybrid-lb');
    expect(worker.args[0]).toContain('--data-parallel-start-rank $(( 4 * (GROVE_PCLQ_POD_INDEX + 1) ))');
    expect(flagValue(specWords(worker), '--data-parallel-size')).toBe('8');
  });

  test('the worker shell line quotes JSON and model paths safely', () => {
    const worker = VLLM.worker(opts({
      role: 'prefill', model: "/models/it's here", tensorParallel: 2, kvTransfer: true, kvEvents: true,
      multiNode: { nodes: 2, gpusPerNode: 1, part: 'worker' },
    }));
    const words = specWords(worker);
    expect(flagValue(words, '--model')).toBe("/models/it's here");
    expect(JSON.parse(flagValue(words, '--kv-events-config')!).endpoint).toBe('tcp://*:20080');
  });

  describe('validation', () => {
    const fails = (o: WorkerOptions, re: RegExp) => {
      expect(() => VLLM.worker(o)).toThrow(GroveValidationError);
      expect(() => VLLM.worker(o)).toThrow(re);
    };
    test('fails when TP × PP does not use every requested GPU', () => {
      fails(opts({ role: 'prefill', tensorParallel: 12, multiNode: { nodes: 2, gpusPerNode: 8, part: 'leader' } }), /must equal multiNode\.nodes × multiNode\.gpusPerNode/);
    });
    test('fails when the instance fits in one pod', () => {
      fails(opts({ role: 'prefill', tensorParallel: 4, multiNode: { nodes: 2, gpusPerNode: 8, part: 'leader' } }), /fits in one pod/);
    });
    test('fails on non-positive parallel sizes and too few nodes', () => {
      fails(opts({ role: 'prefill', tensorParallel: 0 }), /tensorParallel: must be an integer >= 1/);
      fails(opts({ role: 'prefill', tensorParallel: 2, multiNode: { nodes: 1, gpusPerNode: 2, part: 'leader' } }), /multiNode\.nodes: must be an integer >= 2/);
    });
    test('fails when extraArgs repeats a managed flag', () => {
      fails(opts({ role: 'prefill', extraArgs: ['--tensor-parallel-size=4'] }), /must not repeat --tensor-parallel-size/);
    });
    test('fails on a clique name that is not a DNS label', () => {
      fails(opts({ role: 'prefill', tensorParallel: 2, multiNode: { nodes: 2, gpusPerNode: 1, part: 'leader', leaderClique: 'Prefill_LDR' } }), /multiNode\.leaderClique/);
    });
  });
});


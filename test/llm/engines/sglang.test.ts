import { GroveValidationError } from '../../../lib/errors';
import { DYNAMO_VERSION, MultiNodeStartOrder, SGLANG, sglangEngine, WorkerOptions } from '../../../lib/llm/engines';
import { describeWithReference } from '../../support/reference';
import { commandWords, flagSet, flagValue, goldenArgString, goldenSection, referenceContainer, specWords, withoutFlags } from './support';

const RECIPE = 'recipes/deepseek-r1_sglang_disagg-16gpu_deploy.yaml';
const LEADER_ADDR = '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-decode-ldr-0.$(GROVE_HEADLESS_SERVICE):29500';

function opts(o: Partial<WorkerOptions> & Pick<WorkerOptions, 'role'>): WorkerOptions {
  return { model: 'Qwen/Qwen3-0.6B', tensorParallel: 1, pipelineParallel: 1, kvTransfer: false, kvEvents: false, ...o };
}

/** The DeepSeek-R1 recipe's workers: TP 16 over two 8-GPU pods; tuning flags go through extraArgs. */
function recipeWorker(role: 'prefill' | 'decode', part: 'leader' | 'worker') {
  const extra = role === 'prefill'
    ? ['--ep-size', '16', '--trust-remote-code', '--mem-fraction-static', '0.75', '--load-balance-method', 'round_robin']
    : ['--enable-dp-attention', '--ep-size', '16', '--trust-remote-code', '--mem-fraction-static', '0.75', '--prefill-round-robin-balance'];
  return SGLANG.worker(opts({
    role, model: '/model-cache/deepseek-r1', servedModelName: 'deepseek-ai/DeepSeek-R1', tensorParallel: 16,
    dataParallel: role === 'decode' ? 16 : undefined,
    // The 0.7.0 recipe predates --disaggregation-transfer-backend nixl; kvTransfer adds it (checked below).
    kvTransfer: false,
    extraArgs: extra,
    multiNode: { nodes: 2, gpusPerNode: 8, part },
  }));
}

describeWithReference('SGLang launch specs reproduce the DeepSeek-R1 16-GPU recipe and the operator goldens', () => {
  for (const role of ['prefill', 'decode'] as const) {
    test(`${role} leader: recipe flags + --dist-init-addr/--nnodes/--node-rank 0`, () => {
      // GIVEN the recipe container (flags as written before the operator's multi-node rewrite)
      const ref = referenceContainer(RECIPE, role);
      // WHEN rendering the leader
      const spec = recipeWorker(role, 'leader');
      // THEN the command is the recipe's and the flags are the recipe's plus the rendezvous flags
      expect(spec.command).toEqual(ref.command);
      const addr = `$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-${role}-ldr-0.$(GROVE_HEADLESS_SERVICE):29500`;
      expect(flagSet(specWords(spec))).toEqual(flagSet([...commandWords(ref), '--dist-init-addr', addr, '--nnodes', '2', '--node-rank', '0']));
      expect(spec.readinessProbe).toBeDefined();
    });

    test(`${role} worker: same flags in a shell, rank from the pod index, no probes`, () => {
      const ref = referenceContainer(RECIPE, role);
      const spec = recipeWorker(role, 'worker');
      expect(spec.command).toEqual(['/bin/sh', '-c']);
      expect(spec.args[0]).toMatch(/^exec python3 -m dynamo\.sglang /);
      const words = specWords(spec);
      expect(flagValue(words, '--node-rank')).toBe('$((GROVE_PCLQ_POD_INDEX + 1))');
      expect(flagSet(withoutFlags(words, ['--dist-init-addr', '--nnodes', '--node-rank']))).toEqual(flagSet(commandWords(ref)));
      expect(spec.livenessProbe ?? spec.readinessProbe ?? spec.startupProbe).toBeUndefined();
    });
  }

  test('image repository is the recipe\'s, at the pinned release', () => {
    const ref = referenceContainer(RECIPE, 'prefill');
    expect(SGLANG.defaultImage.split(':')[0]).toBe(ref.image.split(':')[0]);
    expect(SGLANG.defaultImage).toBe(`nvcr.io/nvidia/ai-dynamo/sglang-runtime:${DYNAMO_VERSION}`);
  });

  test('GOLDEN G2: worker-wkr and worker-ldr rendezvous flags', () => {
    // GIVEN the operator's golden multi-node SGLang cliques (3 nodes, leader clique worker-ldr)
    const g2 = goldenSection('G2');
    const base = opts({ role: 'aggregated', tensorParallel: 6, extraArgs: ['--custom-flag', 'custom-value'] });
    const ours = (part: 'leader' | 'worker') => specWords(SGLANG.worker({ ...base, multiNode: { nodes: 3, gpusPerNode: 2, part } }));
    const golden = (marker: string) => commandWords({ command: ['/bin/sh', '-c'], args: [goldenArgString(g2, marker)] });
    // THEN apart from the flags the engine always sets, the words are the golden's
    const managed = ['--model-path', '--tp-size'];
    expect(flagSet(withoutFlags(ours('worker'), managed, ['--skip-tokenizer-init']))).toEqual(flagSet(golden('- name: worker-wkr')));
    expect(flagSet(withoutFlags(ours('leader'), managed, ['--skip-tokenizer-init']))).toEqual(flagSet(golden('- name: worker-ldr')));
  });
});

describe('SGLang launch specs (unit)', () => {
  test('disaggregation flags: mode, NIXL transfer backend, bootstrap port, host', () => {
    const prefill = SGLANG.worker(opts({ role: 'prefill', kvTransfer: true })).args;
    expect(flagValue(prefill, '--disaggregation-mode')).toBe('prefill');
    expect(flagValue(prefill, '--disaggregation-transfer-backend')).toBe('nixl');
    expect(flagValue(prefill, '--disaggregation-bootstrap-port')).toBe('30001');
    expect(flagValue(prefill, '--host')).toBe('0.0.0.0');
    expect(SGLANG.worker(opts({ role: 'decode' })).args).not.toContain('--disaggregation-transfer-backend');
    expect(flagValue(sglangEngine({ bootstrapPort: 12345 }).worker(opts({ role: 'decode' })).args, '--disaggregation-bootstrap-port')).toBe('12345');
  });

  test('aggregated workers get no disaggregation flags', () => {
    const args = SGLANG.worker(opts({ role: 'aggregated', kvTransfer: true })).args;
    expect(args.some(a => a.startsWith('--disaggregation'))).toBe(false);
    expect(args).not.toContain('--host');
  });

  test('KV events on every role', () => {
    for (const role of ['prefill', 'decode', 'aggregated'] as const) {
      const args = SGLANG.worker(opts({ role, kvEvents: true })).args;
      expect(JSON.parse(flagValue(args, '--kv-events-config')!)).toEqual({ publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:5557' });
    }
  });

  test('tp, pp and dp are passed through', () => {
    const args = SGLANG.worker(opts({ role: 'decode', tensorParallel: 8, pipelineParallel: 2, dataParallel: 8 })).args;
    expect(flagValue(args, '--tp-size')).toBe('8');
    expect(flagValue(args, '--pp-size')).toBe('2');
    expect(flagValue(args, '--dp-size')).toBe('8');
  });

  test('multi-node pods get GLOO_SOCKET_IFNAME and the leader address from the clique name', () => {
    const spec = SGLANG.worker(opts({ role: 'decode', tensorParallel: 16, multiNode: { nodes: 2, gpusPerNode: 8, part: 'leader' } }));
    expect(flagValue(spec.args, '--dist-init-addr')).toBe(LEADER_ADDR);
    expect(spec.env).toContainEqual({ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' });
    expect(SGLANG.multiNode.startOrder).toBe(MultiNodeStartOrder.ANY_ORDER);
    expect(SGLANG.multiNode.rendezvousPort).toBe(29500);
  });

  test('fails when TP × PP does not match the GPUs of the instance', () => {
    const o = opts({ role: 'decode', tensorParallel: 8, multiNode: { nodes: 2, gpusPerNode: 8, part: 'leader' } });
    expect(() => SGLANG.worker(o)).toThrow(GroveValidationError);
    expect(() => SGLANG.worker(o)).toThrow(/\(2 × 8 = 16\)/);
  });

  test('fails when extraArgs repeats --tp', () => {
    expect(() => SGLANG.worker(opts({ role: 'decode', extraArgs: ['--tp', '2'] }))).toThrow(/must not repeat --tp/);
  });
});

import { GroveValidationError } from '../../../lib/errors';
import {
  DYNAMO_VERSION, MultiNodeStartOrder, TRTLLM, TrtllmCacheTransceiverBackend, trtllmEngine, WorkerOptions,
} from '../../../lib/llm/engines';
import { describeWithReference, readReference } from '../../support/reference';
import { flagValue, goldenSection, shellWords, specWords } from './support';

function opts(o: Partial<WorkerOptions> & Pick<WorkerOptions, 'role'>): WorkerOptions {
  return { model: 'Qwen/Qwen3-0.6B', servedModelName: 'Qwen/Qwen3-0.6B', tensorParallel: 1, pipelineParallel: 1, kvTransfer: false, kvEvents: false, ...o };
}

/** Splits the leader's `a && b && mpirun ...` line and returns the mpirun words. */
function mpirunWords(line: string): string[] {
  const parts = line.split(' && ');
  const mpirun = parts.find(p => p.startsWith('mpirun '));
  if (!mpirun) throw new Error(`no mpirun in ${line}`);
  return shellWords(mpirun);
}

const TP8 = (part: 'leader' | 'worker', extra: Partial<WorkerOptions> = {}) => TRTLLM.worker(opts({
  role: 'prefill', tensorParallel: 8, kvTransfer: true, kvEvents: true,
  multiNode: { nodes: 2, gpusPerNode: 4, part }, ...extra,
}));

describeWithReference('TRT-LLM launch specs follow the operator translation and goldens', () => {
  test('GOLDEN G5: the leader has exactly one arg containing "--oversubscribe -n <nodes × GPUs> "', () => {
    // GIVEN the golden assertion for 2 nodes with one GPU each
    const g5 = goldenSection('G5');
    const asserted = /`(--oversubscribe -n 2 )`/.exec(g5)![1];
    // WHEN rendering the leader of that shape
    const leader = TRTLLM.worker(opts({ role: 'aggregated', tensorParallel: 2, multiNode: { nodes: 2, gpusPerNode: 1, part: 'leader' } }));
    // THEN
    expect(leader.args.filter(a => a.includes(asserted))).toHaveLength(1);
  });

  test('GROVE_TRANSLATION §5: SSH port, Secret mount, FQDN env, worker readiness, leader starts after workers', () => {
    const text = readReference('dynamo', 'GROVE_TRANSLATION.md');
    const bullet = text.slice(text.indexOf('* TRT-LLM:'), text.indexOf('`applyCliqueStartupDependencies`'));
    const sshPort = Number(/over SSH port (\d+)/.exec(bullet)![1]);
    const readinessPort = Number(/readiness = TCP (\d+)/.exec(bullet)![1]);
    const secret = /\(`([a-z-]+)`, Helm/.exec(bullet)![1];
    const mountPath = /mounted at `([^`]+)`/.exec(bullet)![1];
    const [envName, envValue] = /env `(\w+)=(\w+)`/.exec(bullet)!.slice(1);

    const leader = TP8('leader');
    const worker = TP8('worker');
    expect(TRTLLM.multiNode.rendezvousPort).toBe(sshPort);
    expect(worker.readinessProbe?.tcpSocket?.port).toBe(readinessPort);
    expect(worker.livenessProbe ?? worker.startupProbe).toBeUndefined();
    expect(worker.args[0]).toContain('sshd -D');
    for (const spec of [leader, worker]) {
      expect(spec.secretMounts).toEqual([{ volumeName: secret, secretName: secret, mountPath, readOnly: true, defaultMode: 0o644 }]);
      expect(spec.env).toContainEqual({ name: envName, value: envValue });
    }
    const mpirun = mpirunWords(leader.args[0]);
    expect(mpirun.join(' ')).toContain('--mca pml ob1');
    expect(flagValue(mpirun, '--mca')).toBe('pml');

    // Start order: only TRT-LLM multi-node gets `leader startsAfter: [<name>-wkr]`.
    expect(text).toMatch(/ONLY TRT-LLM multinode gets `startsAfter` \(leader `startsAfter: \[<name>-wkr\]`\)/);
    expect(TRTLLM.multiNode.startOrder).toBe(MultiNodeStartOrder.LEADER_AFTER_WORKERS);
    expect(TRTLLM.multiNodeStartsAfter({ leaderClique: 'prefill-ldr', workerClique: 'prefill-wkr' }))
      .toEqual({ 'prefill-ldr': ['prefill-wkr'], 'prefill-wkr': [] });
  });
});

describe('TRT-LLM launch specs (unit)', () => {
  test('default image is the pinned tensorrtllm-runtime', () => {
    expect(TRTLLM.defaultImage).toBe(`nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:${DYNAMO_VERSION}`);
  });

  test('single-node prefill: upstream flags, cache transceiver through --override-engine-args, KV events', () => {
    const spec = TRTLLM.worker(opts({ role: 'prefill', kvTransfer: true, kvEvents: true, extraArgs: ['--extra-engine-args', '/cfg/prefill.yaml'] }));
    expect(spec.command).toEqual(['python3', '-m', 'dynamo.trtllm']);
    expect(spec.args).toEqual([
      '--model-path', 'Qwen/Qwen3-0.6B', '--served-model-name', 'Qwen/Qwen3-0.6B',
      '--disaggregation-mode', 'prefill',
      '--override-engine-args', '{"cache_transceiver_config":{"backend":"DEFAULT"}}',
      '--publish-events-and-metrics',
      '--extra-engine-args', '/cfg/prefill.yaml',
    ]);
    expect(spec.workingDir).toBe('/workspace/');
  });

  test('decode does not publish KV events; the backend is configurable', () => {
    const args = trtllmEngine({ cacheTransceiverBackend: TrtllmCacheTransceiverBackend.NIXL })
      .worker(opts({ role: 'decode', kvTransfer: true, kvEvents: true })).args;
    expect(args).not.toContain('--publish-events-and-metrics');
    expect(JSON.parse(flagValue(args, '--override-engine-args')!)).toEqual({ cache_transceiver_config: { backend: 'NIXL' } });
  });

  test('tp and pp are passed through', () => {
    const args = TRTLLM.worker(opts({ role: 'decode', tensorParallel: 4, pipelineParallel: 2 })).args;
    expect(flagValue(args, '--tensor-parallel-size')).toBe('4');
    expect(flagValue(args, '--pipeline-parallel-size')).toBe('2');
  });

  describe('multi-node (TP 8 over two 4-GPU pods)', () => {
    test('leader: mpirun over all hosts with nodes × GPUs ranks, wrapping dynamo.trtllm in trtllm-llmapi-launch', () => {
      const leader = TP8('leader');
      expect(leader.command).toEqual(['/bin/sh', '-c']);
      const mpirun = mpirunWords(leader.args[0]);
      expect(flagValue(mpirun, '-n')).toBe('8');
      expect(mpirun).toContain('--oversubscribe');
      expect(flagValue(mpirun, '-H')!.split(',')).toEqual([
        '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-prefill-ldr-0.$(GROVE_HEADLESS_SERVICE)',
        '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-prefill-wkr-0.$(GROVE_HEADLESS_SERVICE)',
      ]);
      expect(mpirun[mpirun.indexOf('plm_rsh_args') + 1]).toBe('-p 2222 -o StrictHostKeyChecking=no -i $HOME/.ssh/id_rsa');
      const bash = mpirun.indexOf('bash');
      expect(mpirun[bash + 1]).toBe('-c');
      const inner = shellWords(mpirun[bash + 2]);
      expect(inner.slice(0, 4)).toEqual(['trtllm-llmapi-launch', 'python3', '-m', 'dynamo.trtllm']);
      expect(flagValue(inner, '--tensor-parallel-size')).toBe('8');
      expect(JSON.parse(flagValue(inner, '--override-engine-args')!)).toEqual({ cache_transceiver_config: { backend: 'DEFAULT' } });
      expect(leader.readinessProbe?.httpGet?.port).toBe('system');
    });

    test('leader forwards every container env var and the operator\'s common list to the ranks', () => {
      const leader = TP8('leader', { extraEnv: [{ name: 'UCX_NET_DEVICES', value: 'mlx5_0:1' }, { name: 'HF_TOKEN', value: 'x' }] });
      const mpirun = mpirunWords(leader.args[0]);
      const forwarded = mpirun.flatMap((w, i) => (w === '-x' ? [mpirun[i + 1]] : []));
      for (const e of leader.env) expect(forwarded).toContain(e.name);
      expect(forwarded).toContain('TRTLLM_USE_UCX_KVCACHE');
      expect(forwarded).toEqual([...forwarded].sort());
      expect(new Set(forwarded).size).toBe(forwarded.length);
    });

    test('worker runs only sshd on 2222 and reports ready over TCP', () => {
      const worker = TP8('worker');
      expect(worker.args[0]).toContain('echo "Port 2222";');
      expect(worker.args[0]).toMatch(/exec \/usr\/sbin\/sshd -D -f \$HOME\/\.ssh\/sshd_config$/);
      expect(worker.args[0]).not.toContain('dynamo.trtllm');
      expect(worker.readinessProbe).toEqual({ tcpSocket: { port: 2222 }, initialDelaySeconds: 20, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 10 });
    });

    test('both parts allow mpirun as root through env and set the Secret mount', () => {
      for (const part of ['leader', 'worker'] as const) {
        const spec = TP8(part);
        expect(spec.env).toContainEqual({ name: 'OMPI_ALLOW_RUN_AS_ROOT', value: '1' });
        expect(spec.env).toContainEqual({ name: 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM', value: '1' });
      }
      expect(trtllmEngine({ sshSecretName: 'my-ssh' }).worker(opts({ role: 'decode', tensorParallel: 2, multiNode: { nodes: 2, gpusPerNode: 1, part: 'worker' } }))
        .secretMounts?.[0].secretName).toBe('my-ssh');
    });

    test('the model words survive the nested quoting', () => {
      const leader = TP8('leader', { model: "/models/a b's" });
      const inner = shellWords(mpirunWords(leader.args[0]).slice(-1)[0]);
      expect(flagValue(inner, '--model-path')).toBe("/models/a b's");
      expect(specWords(leader)[0]).toBe('mkdir');
    });
  });

  describe('validation', () => {
    test('fails when TP × PP differs from nodes × GPUs', () => {
      const o = opts({ role: 'prefill', tensorParallel: 4, multiNode: { nodes: 2, gpusPerNode: 4, part: 'leader' } });
      expect(() => TRTLLM.worker(o)).toThrow(GroveValidationError);
      expect(() => TRTLLM.worker(o)).toThrow(/\(2 × 4 = 8\)/);
    });
    test('fails on data parallelism', () => {
      expect(() => TRTLLM.worker(opts({ role: 'decode', dataParallel: 2 }))).toThrow(/dataParallel: has no dynamo\.trtllm flag/);
    });
    test('fails when kvTransfer would clash with a user --override-engine-args', () => {
      expect(() => TRTLLM.worker(opts({ role: 'decode', kvTransfer: true, extraArgs: ['--override-engine-args', '{}'] })))
        .toThrow(/must not contain --override-engine-args/);
      expect(() => TRTLLM.worker(opts({ role: 'decode', kvTransfer: false, extraArgs: ['--override-engine-args', '{}'] }))).not.toThrow();
    });
  });
});

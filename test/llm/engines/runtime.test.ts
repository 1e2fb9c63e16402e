import { execFileSync } from 'child_process';
import {
  dynamoPlatformEnv, ENGINES, engineFor, EngineKind, GROVE_WORKER_NODE_RANK, groveInstanceHosts, groveLeaderHost,
  ServingRole, sglangEngine, startsAfterFor, MultiNodeStartOrder, VLLM, vllmEngine, VllmExecutor, workerProbes,
  workerRuntimeEnv, WORKER_PORTS, TRTLLM, SGLANG, LaunchSpec,
} from '../../../lib/llm/engines';
import { describeWithReference, readReference } from '../../support/reference';
import { goldenArgString, goldenEnv, goldenProbe, goldenSection } from './support';

describeWithReference('operator defaults for worker containers (GOLDEN.md G2 worker-ldr)', () => {
  const g2 = () => goldenSection('G2');

  test('every deployment-independent worker env var matches the golden', () => {
    const golden = goldenEnv(g2(), '- name: worker-ldr');
    const deploymentSpecific = ['DYNAMO_POD_GANG_SET_REPLICAS', 'WORKER_ENV_1', 'NATS_SERVER', 'ETCD_ENDPOINTS', 'DYN_NAMESPACE',
      'DYN_COMPONENT', 'DYN_DISCOVERY_BACKEND', 'DYN_PARENT_DGD_K8S_NAME', 'DYN_PARENT_DGD_K8S_NAMESPACE'];
    const expected = golden.filter(e => !deploymentSpecific.includes(e.name)).map(e => (e.valueFrom
      ? { name: e.name, valueFromField: (e.valueFrom as { fieldRef: { fieldPath: string } }).fieldRef.fieldPath }
      : { name: e.name, value: e.value }));
    expect(expected.length).toBeGreaterThanOrEqual(11);
    expect([...workerRuntimeEnv()].sort(byName)).toEqual([...expected].sort(byName));
  });

  test('the deployment-specific env comes from dynamoPlatformEnv', () => {
    const golden = goldenEnv(g2(), '- name: worker-ldr');
    const env = dynamoPlatformEnv({
      role: ServingRole.AGGREGATED, dynamoNamespace: 'test-namespace-test-dynamo-graph-deployment',
      parentName: 'test-dynamo-graph-deployment', parentNamespace: 'test-namespace', natsServer: 'nats-address', etcdEndpoints: 'etcd-address',
    });
    for (const e of env) {
      expect(golden).toContainEqual(e);
    }
    const frontend = goldenEnv(goldenSection('G1'), '- name: frontend');
    expect(frontend).toContainEqual(dynamoPlatformEnv({ role: ServingRole.FRONTEND, dynamoNamespace: 'test-namespace-test-dynamo-graph-deployment' })
      .find(e => e.name === 'DYN_NAMESPACE_PREFIX'));
  });

  test('probes and ports match the golden', () => {
    const probes = workerProbes();
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const { successThreshold, ...golden } = goldenProbe(g2(), '- name: worker-ldr', p);
      expect(successThreshold).toBe(0); // the Go zero value, i.e. unset
      expect(probes[p]).toEqual(golden);
    }
    expect(WORKER_PORTS).toEqual([{ name: 'system', containerPort: 9090 }, { name: 'nixl', containerPort: 19090 }]);
  });

  test('leader host and rank expressions are the golden\'s', () => {
    const wkr = goldenArgString(g2(), '- name: worker-wkr');
    expect(wkr).toContain(`--dist-init-addr ${groveLeaderHost('worker-ldr')}:29500`);
    expect(wkr).toContain(`--node-rank ${GROVE_WORKER_NODE_RANK}`);
  });

  test('grove/API.md §7.2: the sibling address pattern', () => {
    const api = readReference('grove', 'API.md');
    expect(api).toContain('`$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-<clq>-0.$(GROVE_HEADLESS_SERVICE)`');
    expect(groveLeaderHost('<clq>')).toBe('$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-<clq>-0.$(GROVE_HEADLESS_SERVICE)');
  });
});

describe('multi-node helpers (unit)', () => {
  test('instance hosts: leader first, then worker pods 0..nodes-2', () => {
    expect(groveInstanceHosts({ leaderClique: 'd-ldr', workerClique: 'd-wkr' }, 3)).toEqual([
      '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-d-ldr-0.$(GROVE_HEADLESS_SERVICE)',
      '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-d-wkr-0.$(GROVE_HEADLESS_SERVICE)',
      '$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-d-wkr-1.$(GROVE_HEADLESS_SERVICE)',
    ]);
  });

  test('startsAfter per order', () => {
    const c = { leaderClique: 'l', workerClique: 'w' };
    expect(startsAfterFor(MultiNodeStartOrder.LEADER_AFTER_WORKERS, c)).toEqual({ l: ['w'], w: [] });
    expect(startsAfterFor(MultiNodeStartOrder.ANY_ORDER, c)).toEqual({ l: [], w: [] });
  });

  test('engine lookup and traits', () => {
    expect(engineFor(EngineKind.TRTLLM)).toBe(TRTLLM);
    expect(Object.keys(ENGINES).sort()).toEqual(['sglang', 'trtllm', 'vllm']);
    expect(VLLM.multiNode.rendezvousPort).toBe(29500);
    expect(vllmEngine({ executor: VllmExecutor.RAY }).multiNode.rendezvousPort).toBe(6379);
    expect(TRTLLM.multiNode.workerProbe).toBe('ssh-tcp');
    expect(SGLANG.kvTransfer.requiredOn).toEqual(['prefill', 'decode']);
    expect(VLLM.kvTransfer.requiredOn).toEqual(['prefill']);
    for (const e of Object.values(ENGINES)) {
      expect(e.kvTransfer.parallelismMustMatch).toBe(false);
      expect(e.pythonModule).toBe(`dynamo.${e.kind}`);
    }
  });

  test('platform env: kubernetes discovery by default, etcd leaves it out', () => {
    expect(dynamoPlatformEnv({ role: ServingRole.PREFILL, dynamoNamespace: 'ns-g' })).toEqual([
      { name: 'DYN_NAMESPACE', value: 'ns-g' },
      { name: 'DYN_COMPONENT', value: 'prefill' },
      { name: 'DYN_DISCOVERY_BACKEND', value: 'kubernetes' },
    ]);
    expect(dynamoPlatformEnv({ role: ServingRole.DECODE, dynamoNamespace: 'ns-g', discoveryBackend: 'etcd' }).map(e => e.name))
      .not.toContain('DYN_DISCOVERY_BACKEND');
  });
});

describe('multi-node shell lines parse under /bin/sh -n', () => {
  /** Applies the kubelet's $(VAR) expansion with sample Grove values, then asks sh to parse the line. */
  function shParses(spec: LaunchSpec): void {
    const groveValues: Record<string, string> = {
      GROVE_PCSG_NAME: 'llm-0-prefill', GROVE_PCSG_INDEX: '0', GROVE_HEADLESS_SERVICE: 'llm-0.default.svc.cluster.local',
    };
    const line = spec.args[0].replace(/\$\((GROVE_[A-Z_]+)\)/g, (m, name: string) => groveValues[name] ?? m);
    expect(spec.command).toEqual(['/bin/sh', '-c']);
    expect(() => execFileSync('/bin/sh', ['-n', '-c', line], { stdio: 'pipe' })).not.toThrow();
  }
  const mn = (part: 'leader' | 'worker') => ({ nodes: 2, gpusPerNode: 4, part });
  const base = { model: "/m/it's", tensorParallel: 8, pipelineParallel: 1, kvTransfer: true, kvEvents: true, extraArgs: ['--x', '{"a": [1, 2]}'] };

  test('vLLM mp worker, Ray leader and worker', () => {
    shParses(VLLM.worker({ ...base, role: 'prefill', multiNode: mn('worker') }));
    const ray = vllmEngine({ executor: VllmExecutor.RAY });
    shParses(ray.worker({ ...base, role: 'prefill', multiNode: mn('leader') }));
    shParses(ray.worker({ ...base, role: 'prefill', multiNode: mn('worker') }));
  });

  test('SGLang worker', () => {
    shParses(sglangEngine().worker({ ...base, role: 'decode', multiNode: mn('worker') }));
  });

  test('TRT-LLM leader and worker, including the nested bash -c', () => {
    const leader = TRTLLM.worker({ ...base, role: 'prefill', multiNode: mn('leader') });
    shParses(leader);
    shParses(TRTLLM.worker({ ...base, role: 'prefill', multiNode: mn('worker') }));
    const inner = /bash -c ('(?:[^']|'\\'')*')$/.exec(leader.args[0]);
    expect(inner).not.toBeNull();
  });
});

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}

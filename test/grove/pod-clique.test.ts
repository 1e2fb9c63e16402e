import { Testing } from 'cdk8s';
import { EnvFrom, EnvValue, PodCliqueSet, Probe, Volume } from '../../lib';
import { APP, catchValidation, synthPcs } from './helpers';

function set(name = 'svc') {
  const chart = Testing.chart();
  return { chart, pcs: new PodCliqueSet(chart, 'Service', { metadata: { name } }) };
}

describe('PodClique', () => {
  test('defaults', () => {
    const { chart, pcs } = set();
    const clique = pcs.addClique('DecodeWorker', { containers: [APP] });
    const c = synthPcs(chart).spec.template.cliques[0];
    expect(c).toMatchSnapshot();
    expect(clique.name).toBe('decode-worker'); // @default the construct id as a DNS label
    expect(c.name).toBe('decode-worker');
    expect(c.spec.roleName).toBe('decode-worker'); // @default the clique name
    expect(c.spec.replicas).toBe(1); // @default 1, always emitted
    expect(c.spec.minAvailable).toBeUndefined(); // @default Grove sets it to replicas
    expect(c.spec.startsAfter).toBeUndefined();
    expect(c.spec.autoScalingConfig).toBeUndefined();
    expect(c.labels).toBeUndefined();
    expect(c.annotations).toBeUndefined();
    expect(c.spec.podSpec.containers[0].name).toBe('decode-worker'); // @default first container takes the clique name
    expect(c.spec.podSpec.tolerations).toBeUndefined();
    expect(c.spec.podSpec.terminationGracePeriodSeconds).toBeUndefined(); // @default Grove sets 30
  });

  test('kitchen sink', () => {
    const { chart, pcs } = set();
    pcs.addClique('worker', {
      name: 'wrk',
      roleName: 'worker-role',
      replicas: 4,
      minAvailable: 2,
      labels: { tier: 'gpu' },
      annotations: { note: 'x' },
      autoScaling: { minReplicas: 2, maxReplicas: 8, metrics: [] },
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'h100' },
      serviceAccountName: 'worker',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 60,
      volumes: [Volume.emptyDir('shm', { medium: 'Memory', sizeLimit: '64Gi' }), Volume.secret('tls', 'tls-secret')],
      initContainers: [{ image: 'init:1', command: ['true'] }],
      containers: [{
        image: 'engine:1.2',
        command: ['python3', '-m', 'engine'],
        args: ['--port', '8000'],
        workingDir: '/work',
        env: { PLAIN: 'v', TOKEN: EnvValue.fromSecret('hf', 'token'), POD: EnvValue.fromFieldPath('metadata.name'), CFG: EnvValue.fromConfigMap('cm', 'k') },
        envFrom: [EnvFrom.secret('extra'), EnvFrom.configMap('more', 'X_')],
        ports: [{ name: 'http', containerPort: 8000 }],
        resources: { cpu: { request: '8', limit: '16' }, memory: { request: '64Gi', limit: '64Gi' }, gpus: 4, extended: { 'rdma/ib': 1 } },
        readiness: Probe.httpGet('/health', 'http', { periodSeconds: 10 }),
        liveness: Probe.tcpSocket(8000),
        startup: Probe.exec(['cat', '/ready'], { failureThreshold: 60 }),
        volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
        securityContext: { capabilities: { add: ['IPC_LOCK'] } },
      }, { name: 'sidecar', image: 'sidecar:1' }],
    });
    const c = synthPcs(chart).spec.template.cliques[0];
    expect(c).toMatchSnapshot();
    const pod = c.spec.podSpec;
    const engine = pod.containers[0];
    expect(engine.resources).toEqual({
      requests: { 'cpu': '8', 'memory': '64Gi', 'nvidia.com/gpu': '4', 'rdma/ib': '1' },
      limits: { 'cpu': '16', 'memory': '64Gi', 'nvidia.com/gpu': '4', 'rdma/ib': '1' },
    });
    expect(engine.env).toEqual([
      { name: 'PLAIN', value: 'v' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'CFG', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
    ]);
    expect(engine.readinessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10 });
    expect(engine.livenessProbe).toEqual({ tcpSocket: { port: 8000 } });
    expect(pod.volumes[0]).toEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Gi' } });
    expect(pod.initContainers[0].name).toBe('init-wrk');
    expect(pod.containers.map((x: any) => x.name)).toEqual(['wrk', 'sidecar']);
    // GPUs requested: the GPU taint toleration is added (@default tolerateGpuTaint true)
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(c.spec.autoScalingConfig).toEqual({ minReplicas: 2, maxReplicas: 8, metrics: [] });
  });

  test('gpusPerPod sums the containers', () => {
    const { pcs } = set();
    const c = pcs.addClique('w', { containers: [{ ...APP, resources: { gpus: 2 } }, { image: 'b:1', name: 'b', resources: { gpus: 1 } }, { image: 'c:1', name: 'c' }] });
    expect(c.gpusPerPod).toBe(3);
  });

  test('tolerateGpuTaint: false leaves the toleration out', () => {
    const { chart, pcs } = set();
    pcs.addClique('w', { tolerateGpuTaint: false, containers: [{ ...APP, resources: { gpus: 1 } }] });
    expect(synthPcs(chart).spec.template.cliques[0].spec.podSpec.tolerations).toBeUndefined();
  });

  test('podSpec escape hatch: lists appended, nodeSelector merged, other fields replace', () => {
    const { chart, pcs } = set();
    pcs.addClique('w', {
      containers: [APP],
      nodeSelector: { a: '1' },
      serviceAccountName: 'from-props',
      podSpec: {
        containers: [{ name: 'extra', image: 'extra:1' }],
        nodeSelector: { b: '2' },
        serviceAccountName: 'from-overlay',
        hostNetwork: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
      },
    });
    const pod = synthPcs(chart).spec.template.cliques[0].spec.podSpec;
    expect(pod.containers.map((x: any) => x.name)).toEqual(['w', 'extra']);
    expect(pod.nodeSelector).toEqual({ a: '1', b: '2' });
    expect(pod.serviceAccountName).toBe('from-overlay');
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });

  test('mnnvlGroup becomes the grove.io/mnnvl-group annotation', () => {
    const { chart, pcs } = set();
    pcs.addClique('w', { containers: [APP], mnnvlGroup: 'none' });
    expect(synthPcs(chart).spec.template.cliques[0].annotations).toEqual({ 'grove.io/mnnvl-group': 'none' });
  });

  describe('fails when', () => {
    test('the combined name exceeds 45 characters, saying by how much', () => {
      const { pcs } = set('a-rather-long-podcliqueset-name-x'); // 33
      const e = catchValidation(() => pcs.addClique('decode-workers', { containers: [APP] })); // 14 -> 47
      expect(e.message).toMatch(/\[test\/Service\/decode-workers\] name: Grove limits the combined length of PodCliqueSet and clique names to 45 characters; 'a-rather-long-podcliqueset-name-x' \(33\) \+ 'decode-workers' \(14\) = 47/);
      expect(e.message).toMatch(/shorten them by 2/);
    });

    test('the combined name in a scaling group exceeds 45 characters', () => {
      const { pcs } = set('twenty-characters-nm');
      const g = pcs.addScalingGroup('sixteen-chars-gp');
      expect(() => g.addClique('leader-ten', { containers: [APP] })).toThrow(/PodCliqueSet, scaling group and clique names .* = 46, got "leader-ten"; shorten them by 1: .*on the clique or scaling group/);
    });

    test('the name is not a DNS label', () => {
      const { pcs } = set();
      expect(() => pcs.addClique('w', { name: '9lives', containers: [APP] })).toThrow(/name: clique name must start with a letter/);
    });

    test('replicas is zero and minAvailable above replicas, both reported', () => {
      const { pcs } = set();
      const e = catchValidation(() => pcs.addClique('w', { replicas: 2, minAvailable: 3, containers: [APP] }));
      expect(e.problems).toHaveLength(1);
      expect(e.message).toMatch(/minAvailable: must be a whole number between 1 and 2, got 3/);
      const e2 = catchValidation(() => pcs.addClique('x', { replicas: 0, containers: [APP] }));
      expect(e2.message).toMatch(/replicas: must be a whole number >= 1, got 0/);
    });

    test('autoScaling bounds are below minAvailable or replicas', () => {
      const { pcs } = set();
      const e = catchValidation(() => pcs.addClique('w', { replicas: 3, minAvailable: 2, autoScaling: { minReplicas: 1, maxReplicas: 2 }, containers: [APP] }));
      expect(e.problems.map(p => p.field)).toEqual(['autoScaling.minReplicas', 'autoScaling.maxReplicas']);
    });

    test('a clique in a scaling group has its own autoscaler', () => {
      const { pcs } = set();
      const g = pcs.addScalingGroup('g');
      expect(() => g.addClique('w', { autoScaling: { maxReplicas: 3 }, containers: [APP] })).toThrow(/a clique in a scaling group cannot have its own autoscaler; set `autoScaling` on the scaling group instead/);
    });

    test('a clique starts after itself or after a clique of another set', () => {
      const { pcs } = set();
      const a = pcs.addClique('a', { containers: [APP] });
      expect(() => a.addStartsAfter(a)).toThrow(/a clique cannot start after itself/);
      const other = new PodCliqueSet(Testing.chart(), 'Other', { metadata: { name: 'other' } }).addClique('o', { containers: [APP] });
      expect(() => a.addStartsAfter(other)).toThrow(/belongs to another PodCliqueSet/);
    });

    test('startsAfter is set but the startup type is not EXPLICIT', () => {
      const chart = Testing.chart();
      const pcs = new PodCliqueSet(chart, 'S', { metadata: { name: 's' }, cliqueStartupType: 'CliqueStartupTypeInOrder' as any });
      const a = pcs.addClique('a', { containers: [APP] });
      pcs.addClique('b', { containers: [APP], startsAfter: [a] });
      expect(() => Testing.synth(chart)).toThrow(/\[test\/S\/b\] startsAfter: Grove ignores startsAfter unless cliqueStartupType is EXPLICIT/);
    });

    test('it has no container', () => {
      const { chart, pcs } = set();
      pcs.addClique('w');
      expect(() => Testing.synth(chart)).toThrow(/\[test\/Service\/w\] containers: a clique needs at least one container; pass `containers` or call addContainer\(\)/);
    });

    test('two containers share a name', () => {
      const { chart, pcs } = set();
      pcs.addClique('w', { containers: [{ ...APP, name: 'x' }, { ...APP, name: 'x' }] });
      expect(() => Testing.synth(chart)).toThrow(/containers: container names must be unique, got "x"/);
    });

    test('an env value looks like a secret (secrets only by reference, @default allowInlineSecrets false)', () => {
      const { chart, pcs } = set();
      pcs.addClique('w', { containers: [{ ...APP, env: { HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz0123', MODEL: 'Qwen/Qwen3-0.6B' } }] });
      const e = catchValidation(() => Testing.synth(chart));
      expect(e.message).toBe('[test/Service/w] containers.env.HF_TOKEN: the literal value looks like a Hugging Face token (hf_...) (hf_a...); secrets must not be written into manifests; '
        + 'put it in a Secret and use EnvValue.fromSecret(secretName, key) (or set allowInlineSecrets: true if it is not a secret)');
      expect(e.message).not.toContain('hf_abcdefghijklmnopqrstuvwxyz0123');
      const { chart: chart2, pcs: pcs2 } = set();
      pcs2.addClique('w', { allowInlineSecrets: true, containers: [{ ...APP, env: { HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz0123' } }] });
      expect(synthPcs(chart2).spec.template.cliques[0].spec.podSpec.containers[0].env).toEqual([{ name: 'HF_TOKEN', value: 'hf_abcdefghijklmnopqrstuvwxyz0123' }]);
    });

    test('two volumes share a name', () => {
      const { pcs } = set();
      const c = pcs.addClique('w', { containers: [APP], volumes: [Volume.emptyDir('v')] });
      expect(() => c.addVolume(Volume.emptyDir('v'))).toThrow(/volumes: volume names must be unique, got "v"/);
    });
  });
});

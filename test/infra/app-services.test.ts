/**
 * What the apps need from the stack: the preflight of the Hugging Face Secret and the model-cache claim (token
 * set, key, access mode, storage class), what workloads reference, the stack's `provides` list, and the
 * user-settable PodCliqueSet await timeout.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { APPS } from '../../infra/apps';
import { manifestReferences } from '../../lib/cluster';
import { aksStorageClassFor } from '../../infra/app-services';
import { parseStackConfig } from '../../infra/config';
import { StackPreflightError } from '../../infra/errors';
import { runProgram, synthesizeApps } from '../../infra/program';
import { appServiceProblems, referenceProblems, stackProvides } from '../../infra/stack-provides';
import { installMocks, projectConfig, readStackFile, Recorder, settle, testSecrets } from './harness';

// The machine is shared: program runs take seconds each when the suite runs in parallel.
jest.setTimeout(120_000);

function devConfig(patch: (raw: Record<string, any>) => void = () => undefined) {
  const raw = projectConfig(readStackFile('dev'));
  patch(raw);
  return parseStackConfig(raw, APPS, 'dev');
}

const messages = (cfg: ReturnType<typeof devConfig>, secrets = testSecrets() as any) =>
  appServiceProblems(cfg, synthesizeApps(cfg, APPS, 'dev'), secrets).map(p => `${p.field}: ${p.message}`);

describe('what the example apps reference', () => {
  test('qwen3-disagg and llama-70b-multinode read HF_TOKEN of hf-token-secret and mount model-cache, all in inference', () => {
    const cfg = devConfig();
    const apps = synthesizeApps(cfg, APPS, 'dev');
    const qwen = manifestReferences(apps.find(a => a.name === 'qwen3-disagg')!.objects);
    expect([...new Set(qwen.filter(r => r.kind === 'secret').map(r => `${r.name} ${r.keys}`))]).toEqual(['inference/hf-token-secret HF_TOKEN']);
    const llama = manifestReferences(apps.find(a => a.name === 'llama-70b-multinode')!.objects).filter(r => r.kind === 'claim');
    // the frontend, and two instances of a leader and a worker pod: the cache is shared across nodes
    expect([...new Set(llama.map(r => r.name))]).toEqual(['inference/model-cache']);
    expect(llama.reduce((n, r) => n + (r.pods ?? 0), 0)).toBe(5);
  });
});

describe('the preflight of the Secret and the claim', () => {
  test('passes for the dev stack with the token set', () => {
    expect(messages(devConfig())).toEqual([]);
  });

  test('no huggingFaceToken: names the namespace, the Secret and the command that sets it', () => {
    expect(messages(devConfig(), { secretKeys: [] })).toEqual([
      'cdk8s-grove:huggingFaceToken: is not set, but the workloads in inference read the Hugging Face token from Secret hf-token-secret',
    ]);
    const cfg = devConfig();
    expect(() => runProgram(cfg, APPS, 'dev', { secretKeys: [] })).toThrow(/pulumi config set --secret huggingFaceToken/);
  });

  test('a key other than the one the workloads read', () => {
    expect(messages(devConfig(r => { r.workloads = { huggingFaceTokenSecret: { key: 'token' } }; }))).toEqual([
      'cdk8s-grove:workloads.huggingFaceTokenSecret.key: is "token", but workloads in inference read key "HF_TOKEN" of Secret hf-token-secret',
    ]);
  });

  test('ReadWriteOnce for a cache that pods on several nodes mount', () => {
    expect(messages(devConfig(r => { r.workloads = { modelCache: { accessMode: 'ReadWriteOnce' } }; }))).toEqual([
      expect.stringMatching(/^cdk8s-grove:workloads\.modelCache\.accessMode: is ReadWriteOnce, but \d+ pods in inference mount claim model-cache/),
    ]);
  });

  test('ReadWriteMany on an Azure Disk class', () => {
    expect(messages(devConfig(r => { r.workloads = { modelCache: { storageClassName: 'managed-csi-premium' } }; }))).toEqual([
      'cdk8s-grove:workloads.modelCache.storageClassName: is an Azure Disk class, which cannot be mounted ReadWriteMany',
    ]);
    expect(aksStorageClassFor('ReadWriteMany')).toBe('azurefile-csi-premium');
    expect(aksStorageClassFor('ReadWriteOnce')).toBe('managed-csi-premium');
  });
});

describe('the reference preflight (the stack\'s cluster model against every reference of the apps)', () => {
  beforeEach(async () => {
    await installMocks('dev');
  });

  test('the dev stack passes: everything its apps reference, the stack provides', () => {
    const cfg = devConfig();
    const apps = synthesizeApps(cfg, APPS, 'dev');
    expect(apps.map(a => a.name)).toEqual(['qwen3-disagg', 'llama-70b-multinode']);
    expect(referenceProblems(cfg, apps)).toEqual([]);
  });

  test('an app reading a Secret the stack does not create fails the program, naming the Secret and the object', () => {
    const cfg = devConfig(r => { r.apps = ['qwen3-disagg']; });
    const [app] = synthesizeApps(cfg, APPS, 'dev');
    const pcs = app.objects.find((o: any) => o.kind === 'PodCliqueSet') as any;
    pcs.spec.template.cliques[1].spec.podSpec.containers[0].env.push({ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } });
    const problems = referenceProblems(cfg, [app]);
    expect(problems).toEqual([expect.objectContaining({
      constructPath: `qwen3-disagg:PodCliqueSet/inference/${pcs.metadata.name}`,
      message: expect.stringMatching(/^clique \S+ references Secret inference\/api-key \(env API_KEY\), which the stack does not create/),
    })]);
    const registry = { 'qwen3-disagg': (a: any, ctx: any) => {
      APPS['qwen3-disagg'](a, ctx);
      const chart = a.node.findAll().find((c: any) => c instanceof ApiObject && c.kind === 'PodCliqueSet') as ApiObject;
      chart.addJsonPatch(JsonPatch.add('/spec/template/cliques/1/spec/podSpec/containers/0/env/-', { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } }));
    } };
    expect(() => runProgram(cfg, registry as any, 'dev', testSecrets())).toThrow(/PodCliqueSet\/inference\/qwen3\].*references Secret inference\/api-key/);
  });
});

describe('the stack provides, and waits as long as the user says', () => {
  let rec: Recorder;
  beforeEach(async () => {
    rec = await installMocks('dev');
  });

  test('provides: the claim of the configured name and class; no Secret or claim in namespaces that use none', () => {
    const cfg = devConfig(r => { r.apps = ['qwen3-disagg']; r.workloads = { modelCache: { claimName: 'weights' } }; });
    const provides = stackProvides(cfg, synthesizeApps(cfg, APPS, 'dev'));
    // qwen3-disagg mounts model-cache, not weights: nothing to provide
    expect(provides.claims).toEqual([]);
    expect(provides.secrets).toEqual([{ namespace: 'inference', name: 'hf-token-secret', keys: ['HF_TOKEN'] }]);
  });

  test('workloads.readyTimeoutSeconds sets each PodCliqueSet\'s await timeout', async () => {
    const cfg = devConfig(r => { r.apps = ['qwen3-disagg']; r.workloads = { readyTimeoutSeconds: 7200 }; });
    runProgram(cfg, APPS, 'dev', testSecrets());
    await settle();
    const pcs = rec.named('app-qwen3-disagg-objects').inputs.objs.filter((o: any) => o.kind === 'PodCliqueSet');
    expect(pcs.map((p: any) => p.metadata.annotations['pulumi.com/timeoutSeconds'])).toEqual(['7200']);
  });

  test('a bad timeout is a config error', () => {
    expect(() => devConfig(r => { r.workloads = { readyTimeoutSeconds: 'soon' }; })).toThrow(StackPreflightError);
  });
});

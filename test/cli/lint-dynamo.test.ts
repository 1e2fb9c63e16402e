/**
 * The Dynamo rule family of `cdk8s-grove lint` (lib/cli/lint-dynamo.ts over lib/llm/contract): one broken fixture
 * per rule, each failing with file:line, field and fix; the clean fixture and the example apps pass. Each rule
 * names the upstream behaviour (github.com/ai-dynamo/dynamo) in its message.
 */
import { App } from 'cdk8s';
import { addLlmApps } from '../../apps/llm';
import { LlmService } from '../../lib';
import { presentObjects } from '../../lib/llm/contract';
import { CLI_TIMEOUT_MS, FIXTURES, cli } from './support';
import { HAS_REFERENCE, readReference } from '../support/reference';

jest.setTimeout(CLI_TIMEOUT_MS);

const DIR = `${FIXTURES}/dynamo`;
/** What the fixtures' cluster has: the Dynamo platform CRDs and the Hugging Face Secret. */
const PRESENT = ['--present', 'CustomResourceDefinition/dynamoworkermetadatas.nvidia.com', '--present', 'Secret/hf-token-secret', '--present', 'PersistentVolumeClaim/model-cache'];

/** The finding lines of a text report. */
function findingLines(stdout: string): string[] {
  return stdout.split('\n\n')[0].split('\n').filter(l => /^\S+:\d+ {2}/.test(l));
}

function dynamoLines(args: string[]): { status: number | null; lines: string[] } {
  const r = cli(['lint', ...args]);
  return { status: r.status, lines: findingLines(r.stdout).filter(l => /\[dynamo-/.test(l)) };
}

test('the clean fixture meets the contract: no dynamo finding, exit 0', () => {
  expect(dynamoLines([`${DIR}/clean.yaml`, ...PRESENT, '--strict'])).toEqual({ status: 0, lines: [] });
});

test('without --present, what the cluster must provide is an info, never a failure', () => {
  const r = dynamoLines([`${DIR}/clean.yaml`, '--strict']);
  expect(r.status).toBe(0);
  expect(r.lines.map(l => l.replace(/ {2}.*\[/, ' ['))).toEqual([
    `${DIR}/clean.yaml:109 [dynamo-discovery-backend]`, // the DynamoWorkerMetadata CRD (lib/runtime/src/discovery/kube/crd.rs)
    `${DIR}/clean.yaml:115 [dynamo-references]`, // the Hugging Face Secret
  ]);
  expect(r.lines[0]).toMatch(/ info {2}clique prefill uses Kubernetes discovery.*CRD dynamoworkermetadatas\.nvidia\.com.*fix: install the Dynamo platform CRDs/);
});

describe('one broken fixture per rule', () => {
  const cases: [string, number, RegExp[]][] = [
    // deploy/operator/internal/dynamo/graph.go GenerateComponentService; lib/runtime/src/discovery/kube/daemon.rs
    ['discovery-labels', 1, [/^test\/cli\/fixtures\/dynamo\/discovery-labels\.yaml:44 {2}Service\/demo-decode {2}metadata\.labels {2}error {2}Service demo-decode selects Dynamo pods .*lacks nvidia\.com\/dynamo-discovery-backend: "kubernetes", nvidia\.com\/dynamo-discovery-enabled: "true".*daemon\.rs.*; fix: add .* to the Service's metadata\.labels .* {2}\[dynamo-discovery-labels\]$/]],
    // lib/runtime/src/distributed.rs: DYN_DISCOVERY_BACKEND etcd needs ETCD_ENDPOINTS
    ['discovery-backend', 1, [
      /discovery-backend\.yaml:108 {2}PodCliqueSet\/demo {2}spec\.template\.cliques\[1\]\.spec\.podSpec\.containers\[0\]\.env {2}error {2}clique prefill sets neither DYN_DISCOVERY_BACKEND=kubernetes nor ETCD_ENDPOINTS.*; fix: set DYN_DISCOVERY_BACKEND=kubernetes .* or ETCD_ENDPOINTS {2}\[dynamo-discovery-backend\]$/,
      /discovery-backend\.yaml:137 .*clique decode sets neither/,
    ]],
    // examples/backends/vllm/deploy/disagg.yaml: --disaggregation-mode on both roles
    ['kv-connector', 1, [/kv-connector\.yaml:138 {2}PodCliqueSet\/demo {2}spec\.template\.cliques\[2\]\.spec\.podSpec\.containers\[0\]\.args {2}error {2}the decode role of disaggregated service inference-demo runs vllm without --disaggregation-mode or --kv-transfer-config or --is-prefill-worker or --is-decode-worker.*; fix: pass --disaggregation-mode decode \(and the same connector on the other role\) {2}\[dynamo-kv-connector\]$/]],
    // the KV router hashes blocks of --kv-cache-block-size tokens; vLLM --block-size defaults to 16
    ['kv-block-size', 1, [
      /kv-block-size\.yaml:108 .*args {2}error {2}the frontend clique frontend routes with --kv-cache-block-size 64 but prefill runs vllm with --block-size 32;.*fix: use the same size on both: --block-size 64 on the workers.* {2}\[dynamo-kv-block-size\]$/,
      /kv-block-size\.yaml:138 .*decode runs vllm with the default --block-size 16/,
    ]],
    ['gpu-autoscaling', 1, [/gpu-autoscaling\.yaml:129 {2}PodCliqueSet\/demo {2}spec\.template\.cliques\[2\]\.spec\.autoScalingConfig {2}error {2}clique decode requests 1 GPU per pod but autoscales on cpu utilization;.*fix: scale on a metric of GPU-worker load.* {2}\[dynamo-gpu-autoscaling\]$/]],
    ['references', 1, [
      /references\.yaml:133 .*env\[3\]\.valueFrom\.secretKeyRef {2}error {2}clique prefill reads key HF_TOKEN of Secret hf-token-secret, which has only token; fix: add key HF_TOKEN/,
      /references\.yaml:163 .*clique decode reads key HF_TOKEN/,
      /references\.yaml:169 .*volumes\[0\]\.persistentVolumeClaim {2}error {2}PersistentVolumeClaim model-cache offers ReadWriteOnce but 2 pods mount it.*; fix: use a ReadWriteMany claim/,
    ]],
    // deploy/operator/internal/dynamo/graph.go GenerateBasePodSpec: fsGroup 1000
    ['pod', 0, [/pod\.yaml:129 {2}PodCliqueSet\/demo {2}spec\.template\.cliques\[2\]\.spec\.podSpec {2}warning {2}clique decode mounts a persistent volume without securityContext\.fsGroup;.*uid 1000.*; fix: set securityContext\.fsGroup: 1000 {2}\[dynamo-pod\]$/]],
  ];
  test.each(cases)('%s', (name, status, expected) => {
    const r = dynamoLines([`${DIR}/${name}.yaml`, ...PRESENT]);
    expect(r.status).toBe(status);
    expect(r.lines).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(r.lines[i]).toMatch(re));
  });

  test('a warning of the pod rule fails with --strict', () => {
    expect(dynamoLines([`${DIR}/pod.yaml`, ...PRESENT, '--strict']).status).toBe(1);
  });
});

test('the example apps in dist/ have no dynamo finding once their requirements() are declared present', () => {
  const app = new App();
  addLlmApps(app);
  const services = app.node.findAll().filter((c): c is LlmService => c instanceof LlmService);
  expect(services).toHaveLength(3);
  const present = [...new Set(services.flatMap(s => presentObjects(s.requirements())))];
  const queues = [...new Set(services.flatMap(s => s.requirements().queues.map(q => q.name)))];
  const r = dynamoLines(['dist', ...present.flatMap(p => ['--present', p]), ...queues.flatMap(q => ['--kai-queue', q])]);
  expect(r).toEqual({ status: 0, lines: [] });
});

(HAS_REFERENCE ? test : test.skip)('the operator\'s own output (GOLDEN.md G2, graph_test.go) lacks the discovery labels the current graph.go adds', () => {
  const text = readReference('dynamo', 'GOLDEN.md');
  const start = text.indexOf('```yaml\n', text.indexOf('### Expected PodCliqueSet', text.indexOf('## G2'))) + 8;
  const yaml = text.slice(start, text.indexOf('```', start)).replace(/^(\s*[\w-]+: )(\(.*\))\s*$/gm, (_, k, v) => `${k}${JSON.stringify(v)}`);
  const r = cli(['lint', '-', ...PRESENT], { input: yaml });
  const lines = findingLines(r.stdout).filter(l => /\[dynamo-discovery-labels\]/.test(l));
  expect(lines.filter(l => /its pods lack nvidia\.com\/dynamo-discovery-backend/.test(l)).map(l => /clique (\S+)/.exec(l)![1]).sort())
    .toEqual(['frontend', 'worker-ldr']); // GOLDEN.md abbreviates worker-wkr and the planner as "(same as ...)"
});

/**
 * The construct output held against what the Dynamo operator produces, not against our reading of it: the operator's
 * golden PodCliqueSets (GOLDEN.md, transcribed from deploy/operator/internal/dynamo/graph_test.go in
 * github.com/ai-dynamo/dynamo), the component Services of GenerateComponentService (graph.go) and the upstream example
 * deployment examples/backends/vllm/deploy/v1beta1/disagg.yaml. Roles, env, ports, probes, labels, volumes, security
 * context and multi-node wiring are compared field by field; the differences the README's "Differences from the
 * Dynamo operator" table documents are named in DOCUMENTED and excepted, nothing else.
 */
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AggregatedLlm, DisaggregatedLlm, LlmEngine } from '../../../lib';
import { describeWithReference, readReference, readReferenceYaml } from '../../support/reference';

/** Env the goldens carry that this project deliberately does not emit (README table), with the reason. */
const DOCUMENTED_ENV: Record<string, string> = {
  DYNAMO_POD_GANG_SET_REPLICAS: 'a DGD-level env of the test input (spec.envs), not an operator default',
  WORKER_ENV_1: 'a component env of the test input',
  NATS_SERVER: 'operator config infrastructure.natsAddress of the test; Kubernetes discovery with the ZMQ event plane needs no NATS',
  ETCD_ENDPOINTS: 'operator config infrastructure.etcdAddress of the test; Kubernetes discovery needs no etcd',
  DYN_PARENT_DGD_K8S_NAME: 'no DynamoGraphDeployment owns the PodCliqueSet',
  DYN_PARENT_DGD_K8S_NAMESPACE: 'no DynamoGraphDeployment owns the PodCliqueSet',
};
/** Operator labels this project does not emit: they name the DGD and its selector, which do not exist here. */
const DOCUMENTED_LABELS = ['nvidia.com/selector', 'nvidia.com/dynamo-graph-deployment-name', 'nvidia.com/dynamo-sub-component-type', 'nvidia.com/label1', 'nvidia.com/label2'];

const DGD = 'test-dynamo-graph-deployment';
const NS = 'test-namespace';

/** The fenced YAML block that follows `marker` inside section `section` of GOLDEN.md. */
function goldenBlock(section: string, marker: string): any {
  const text = readReference('dynamo', 'GOLDEN.md');
  const start = text.indexOf(`## ${section}`);
  const at = text.indexOf(marker, start);
  const open = text.indexOf('```yaml\n', at) + '```yaml\n'.length;
  // GOLDEN.md abbreviates repeated parts as `key: (same as ...)`; those become strings.
  const block = text.slice(open, text.indexOf('```', open)).replace(/^(\s*[\w-]+: )(\(.*\))\s*$/gm, (_, k, v) => `${k}${JSON.stringify(v)}`);
  return parse(block);
}

const byName = (cliques: any[], name: string) => cliques.find(c => c.name === name);
const envMap = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
const withoutZero = (p: any) => p && Object.fromEntries(Object.entries(p).filter(([k, v]) => !(k === 'successThreshold' && v === 0)));
const ports = (c: any) => (c.ports ?? []).map((p: any) => `${p.name}:${p.containerPort}/${p.protocol ?? 'TCP'}`).sort();

/** A flag's value in a shell line or an args list. */
function flag(container: any, name: string): string | undefined {
  const tokens = [...(container.command ?? []), ...(container.args ?? [])].flatMap((t: string) => t.split(/\s+/));
  const i = tokens.indexOf(name);
  return i >= 0 ? tokens[i + 1] : undefined;
}

function synthPcs(build: (chart: ReturnType<typeof Testing.chart>) => void): { pcs: any; services: any[] } {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart);
  return { pcs: objects.find(o => o.kind === 'PodCliqueSet'), services: objects.filter(o => o.kind === 'Service') };
}

/** The same shape as the goldens' worker: nodeCount 3, 2 GPUs and 2 CPUs / 2Gi per pod, 5 instances. */
const WORKER = { tensorParallel: 6, gpusPerNode: 2, replicas: 5, resources: { cpu: { request: '2', limit: '2' }, memory: { request: '2Gi', limit: '2Gi' } } };
const COMMON = { name: DGD, namespace: NS, model: 'm/m', infiniband: false };

/** Compares one worker clique of ours with the operator's, field by field. */
function compareWorkerClique(ours: any, theirs: any, expectProbes: boolean): void {
  // labels: every operator label but the documented DGD ones, same value
  for (const [k, v] of Object.entries(theirs.labels as Record<string, string>).filter(([k]) => !DOCUMENTED_LABELS.includes(k))) {
    expect([k, ours.labels[k]]).toEqual([k, v]);
  }
  expect(ours.spec.roleName).toBe(theirs.spec.roleName);
  expect(ours.spec.replicas).toBe(theirs.spec.replicas);
  expect(ours.spec.minAvailable ?? ours.spec.replicas).toBe(theirs.spec.minAvailable); // Grove defaults minAvailable to replicas
  const [op, pp] = [ours.spec.podSpec, theirs.spec.podSpec];
  expect(op.terminationGracePeriodSeconds).toBe(pp.terminationGracePeriodSeconds);
  expect(op.securityContext.fsGroup).toBe(pp.securityContext.fsGroup);
  expect(op.volumes).toEqual(expect.arrayContaining(pp.volumes));
  const [oc, pc] = [op.containers[0], pp.containers[0]];
  expect(oc.name).toBe(pc.name);
  // The API server defaults an extended resource's request to its limit, so a limits-only GPU equals ours.
  const defaulted = { ...pc.resources, requests: { ...pc.resources.requests, 'nvidia.com/gpu': pc.resources.requests?.['nvidia.com/gpu'] ?? pc.resources.limits?.['nvidia.com/gpu'] } };
  expect(oc.resources).toEqual(defaulted);
  expect(oc.volumeMounts).toEqual(expect.arrayContaining(pc.volumeMounts));
  if (Array.isArray(pc.ports)) expect(ports(oc)).toEqual(ports(pc));
  if (Array.isArray(pc.env)) {
    const [oe, pe] = [envMap(oc), envMap(pc)];
    for (const [name, value] of Object.entries(pe).filter(([n]) => DOCUMENTED_ENV[n] === undefined)) {
      expect([name, oe[name]]).toEqual([name, value]);
    }
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (expectProbes) {
      expect([probe, oc[probe]]).toEqual([probe, withoutZero(pc[probe])]);
    } else {
      expect([probe, oc[probe]]).toEqual([probe, undefined]);
    }
  }
}

describeWithReference('against the Dynamo operator (GOLDEN.md, graph_test.go)', () => {
  test('G2 (SGLang multi-node worker): scaling group, leader and worker cliques, env, ports, probes, rendezvous flags', () => {
    const golden = goldenBlock('G2', '### Expected PodCliqueSet');
    const { pcs } = synthPcs(chart => new AggregatedLlm(chart, 'g', { ...COMMON, engine: LlmEngine.sglang(), worker: WORKER }));
    const t = pcs.spec.template;
    expect(t.podCliqueScalingGroups).toEqual(golden.spec.template.podCliqueScalingGroups);
    expect(t.headlessServiceConfig).toEqual(golden.spec.template.headlessServiceConfig);
    expect(t.cliqueStartupType ?? 'CliqueStartupTypeAnyOrder').toBe(golden.spec.template.cliqueStartupType);
    const [ldr, wkr] = ['worker-ldr', 'worker-wkr'].map(n => byName(golden.spec.template.cliques, n));
    wkr.labels = ldr.labels; // "(identical to worker-ldr)"
    compareWorkerClique(byName(t.cliques, 'worker-ldr'), ldr, true);
    compareWorkerClique(byName(t.cliques, 'worker-wkr'), { ...wkr, spec: { ...wkr.spec, podSpec: { ...wkr.spec.podSpec, containers: [{ ...wkr.spec.podSpec.containers[0], ports: undefined, env: undefined, resources: ldr.spec.podSpec.containers[0].resources }] } } }, false);
    for (const [name, rank] of [['worker-ldr', '0'], ['worker-wkr', '$((GROVE_PCLQ_POD_INDEX']] as const) {
      const [ours, theirs] = [byName(t.cliques, name).spec.podSpec.containers[0], byName(golden.spec.template.cliques, name).spec.podSpec.containers[0]];
      expect([name, flag(ours, '--dist-init-addr')]).toEqual([name, flag(theirs, '--dist-init-addr')]);
      expect([name, flag(ours, '--nnodes')]).toEqual([name, flag(theirs, '--nnodes')]);
      expect([name, flag(ours, '--node-rank')]).toEqual([name, rank]);
      expect(flag(theirs, '--node-rank')).toBe(rank);
    }
    // frontend: the operator's defaults where the golden's user values do not replace them (G2 frontend has user probes)
    const [of, gf] = [byName(t.cliques, 'frontend'), byName(golden.spec.template.cliques, 'frontend')];
    expect(ports(of.spec.podSpec.containers[0])).toEqual(ports(gf.spec.podSpec.containers[0]));
    const fe = envMap(gf.spec.podSpec.containers[0]);
    for (const name of ['DYN_HTTP_PORT', 'DYNAMO_PORT', 'DYN_NAMESPACE', 'DYN_NAMESPACE_PREFIX', 'DYN_COMPONENT', 'DYN_DISCOVERY_BACKEND', 'POD_NAME', 'POD_NAMESPACE', 'POD_UID']) {
      expect([name, envMap(of.spec.podSpec.containers[0])[name]]).toEqual([name, fe[name]]);
    }
    expect(of.spec.podSpec.securityContext.fsGroup).toBe(gf.spec.podSpec.securityContext.fsGroup);
    expect(of.spec.podSpec.volumes).toEqual(gf.spec.podSpec.volumes);
  });

  test('G3 (vLLM multi-node, Ray executor): the leader starts the Ray head then vLLM, the worker only joins, without probes', () => {
    const golden = goldenBlock('G3', '### Expected PodCliqueSet');
    const { pcs } = synthPcs(chart => new AggregatedLlm(chart, 'g', { ...COMMON, engine: LlmEngine.vllm({ executor: 'ray' }), worker: { ...WORKER, tensorParallel: 6 } }));
    const [ldr, wkr] = ['worker-ldr', 'worker-wkr'].map(n => byName(golden, n).spec.podSpec.containers[0]);
    const [ol, ow] = ['worker-ldr', 'worker-wkr'].map(n => byName(pcs.spec.template.cliques, n).spec.podSpec.containers[0]);
    expect(ol.command).toEqual(ldr.command);
    expect(ol.args[0]).toMatch(/^ray start --head --port=6379 && python3 -m dynamo\.vllm .* --distributed-executor-backend ray$/);
    expect(ldr.args[0]).toMatch(/^ray start --head --port=6379 && python3 -m dynamo\.vllm .* --distributed-executor-backend ray$/);
    expect(ow).toMatchObject({ command: wkr.command, args: wkr.args });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect([probe, ow[probe]]).toEqual([probe, undefined]);
    expect(byName(pcs.spec.template.cliques, 'worker-wkr').spec.replicas).toBe(byName(golden, 'worker-wkr').spec.replicas);
  });

  test('component Services as GenerateComponentService (graph.go) builds them under Kubernetes discovery', () => {
    const { services } = synthPcs(chart => new AggregatedLlm(chart, 'g', { ...COMMON, engine: LlmEngine.sglang(), worker: WORKER }));
    const dynNs = `${NS}-${DGD}`;
    const operator = (component: string, type: string, port: object) => ({
      name: `${DGD}-${component}`,
      labels: { 'nvidia.com/dynamo-discovery-backend': 'kubernetes', 'nvidia.com/dynamo-discovery-enabled': 'true' },
      selector: { 'nvidia.com/dynamo-component-type': type, 'nvidia.com/dynamo-namespace': dynNs, 'nvidia.com/dynamo-component': component },
      ports: [port],
    });
    const expected = [
      operator('frontend', 'frontend', { name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }),
      operator('worker', 'worker', { name: 'system', port: 9090, targetPort: 'system', protocol: 'TCP' }),
    ];
    expect(services.map(s => ({ name: s.metadata.name, labels: s.metadata.labels, selector: s.spec.selector, ports: s.spec.ports })))
      .toEqual(expected.map(e => ({ ...e, labels: expect.objectContaining(e.labels) })));
  });
});

describeWithReference('against the upstream example examples/backends/vllm/deploy/v1beta1/disagg.yaml', () => {
  const dgd = readReferenceYaml('dynamo', 'examples', 'vllm_disagg.v1beta1.yaml').find(d => d.kind === 'DynamoGraphDeployment');
  const component = (type: string) => dgd.spec.components.find((c: any) => c.type === type);
  const { pcs } = synthPcs(chart => new DisaggregatedLlm(chart, 'd', {
    name: dgd.metadata.name, model: 'Qwen/Qwen3-0.6B', infiniband: false, frontend: { routerMode: undefined }, prefill: {}, decode: {},
  }));
  const clique = (name: string) => byName(pcs.spec.template.cliques, name);

  test.each(['prefill', 'decode'])('%s: the example\'s command, engine flags, working directory and GPUs; the operator\'s worker defaults', type => {
    const theirs = component(type).podTemplate.spec.containers[0];
    const ours = clique(type).spec.podSpec.containers[0];
    expect(ours.command).toEqual(theirs.command);
    expect(ours.workingDir).toBe(theirs.workingDir);
    for (const f of ['--model', '--disaggregation-mode']) {
      expect([f, flag(ours, f)]).toEqual([f, flag(theirs, f)]);
    }
    // Documented difference: the NIXL connector is stated on both roles (as the upstream multi-node example does);
    // this single-node example leaves decode to the Dynamo vLLM worker's default connector.
    const prefill = component('prefill').podTemplate.spec.containers[0];
    expect(flag(ours, '--kv-transfer-config')).toBe(flag(prefill, '--kv-transfer-config'));
    expect(ours.resources.limits['nvidia.com/gpu']).toBe(theirs.resources.limits['nvidia.com/gpu']);
    // what the operator adds to a prefill/decode component (component_worker.go, GOLDEN.md G2 worker env/ports/probes)
    const golden = byName(goldenBlock('G2', '### Expected PodCliqueSet').spec.template.cliques, 'worker-ldr').spec.podSpec;
    expect(ports(ours)).toEqual(ports(golden.containers[0]));
    const ge = envMap(golden.containers[0]);
    for (const name of ['DYN_SYSTEM_ENABLED', 'DYN_SYSTEM_PORT', 'DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS', 'DYN_HEALTH_CHECK_ENABLED', 'NIXL_TELEMETRY_ENABLE', 'NIXL_TELEMETRY_EXPORTER', 'NIXL_TELEMETRY_PROMETHEUS_PORT', 'DYN_FORWARDPASS_METRIC_PORT', 'DYN_DISCOVERY_BACKEND', 'POD_NAME', 'POD_NAMESPACE', 'POD_UID']) {
      expect([name, envMap(ours)[name]]).toEqual([name, ge[name]]);
    }
    expect(envMap(ours).DYN_COMPONENT).toBe(type);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect([probe, ours[probe]]).toEqual([probe, withoutZero(golden.containers[0][probe])]);
    expect(clique(type).spec.podSpec.terminationGracePeriodSeconds).toBe(golden.terminationGracePeriodSeconds);
    expect(clique(type).spec.podSpec.securityContext.fsGroup).toBe(golden.securityContext.fsGroup);
    expect(clique(type).spec.podSpec.volumes).toEqual(golden.volumes);
  });

  test('the frontend runs the operator\'s default command (component_frontend.go: python3 -m dynamo.frontend) on the http port', () => {
    const ours = clique('frontend').spec.podSpec.containers[0];
    expect(ours.command).toEqual(['python3', '-m', 'dynamo.frontend']);
    expect(ours.image.split(':')[0]).toBe(component('frontend').podTemplate.spec.containers[0].image.split(':')[0]);
    expect(ports(ours)).toEqual(['http:8000/TCP']);
  });
});

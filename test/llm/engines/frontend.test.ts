import {
  DEFAULT_PLANNER_CONFIG, dynamoFrontend, dynamoPlanner, DYNAMO_VERSION, EngineKind, RouterMode,
} from '../../../lib/llm/engines';
import { describeWithReference } from '../../support/reference';
import { goldenEnv, goldenProbe, goldenSection, referenceContainer } from './support';

describeWithReference('frontend and planner reproduce the upstream examples', () => {
  test('disagg_router v1beta1/v1alpha1: KV routing through DYN_ROUTER_MODE=kv', () => {
    const spec = dynamoFrontend({ routerMode: RouterMode.KV });
    for (const file of ['examples/vllm_disagg_router.v1beta1.yaml', 'examples/vllm_disagg_router.v1alpha1.yaml']) {
      for (const e of referenceContainer(file, 'Frontend').env ?? []) {
        expect(spec.env).toContainEqual(e);
      }
    }
    expect(spec.env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'kv' });
  });

  test('disagg-multinode v1beta1: frontend command and args are exact', () => {
    const ref = referenceContainer('examples/vllm_disagg-multinode.v1beta1.yaml', 'Frontend');
    const spec = dynamoFrontend();
    expect(spec.command).toEqual(ref.command);
    expect(spec.args).toEqual(ref.args);
    expect(spec.image.split(':')[0]).toBe(ref.image.split(':')[0]);
  });

  test('GOLDEN G1: the operator\'s frontend env (ports) and port are present', () => {
    const g1 = goldenSection('G1');
    const golden = goldenEnv(g1, '- name: frontend');
    const spec = dynamoFrontend();
    for (const name of ['DYN_HTTP_PORT', 'DYNAMO_PORT']) {
      expect(spec.env).toContainEqual(golden.find(e => e.name === name));
    }
    expect(spec.ports).toEqual([{ name: 'http', containerPort: 8000 }]);
  });

  test('disagg_planner v1beta1: planner container (config compared as JSON)', () => {
    const ref = referenceContainer('examples/vllm_disagg_planner.v1beta1.yaml', 'Planner');
    const spec = dynamoPlanner({ backend: EngineKind.VLLM });
    expect(spec.image).toBe(ref.image);
    expect(spec.command).toEqual(ref.command);
    expect(spec.args[0]).toBe(ref.args![0]);
    expect(JSON.parse(spec.args[1])).toEqual(JSON.parse(ref.args![1]));
  });

  test('GOLDEN G1: planner env, ports and startup probe', () => {
    const g1 = goldenSection('G1');
    const golden = goldenEnv(g1, '- name: planner');
    const spec = dynamoPlanner({ backend: EngineKind.SGLANG });
    for (const name of ['DYN_SYSTEM_PORT', 'PLANNER_PROMETHEUS_PORT']) {
      expect(spec.env).toContainEqual(golden.find(e => e.name === name));
    }
    expect(spec.ports).toEqual([{ name: 'metrics', containerPort: 9085 }, { name: 'system', containerPort: 9090 }]);
    expect(spec.startupProbe).toEqual(goldenProbe(g1, '- name: planner', 'startupProbe'));
  });
});

describe('frontend and planner (unit)', () => {
  test('router mode defaults to round-robin and is configurable', () => {
    expect(dynamoFrontend().env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'round-robin' });
    expect(dynamoFrontend({ routerMode: RouterMode.RANDOM }).env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'random' });
  });

  test('default image and probes', () => {
    const spec = dynamoFrontend();
    expect(spec.image).toBe(`nvcr.io/nvidia/ai-dynamo/vllm-runtime:${DYNAMO_VERSION}`);
    expect(spec.livenessProbe).toEqual({ httpGet: { path: '/live', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(spec.readinessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(spec.startupProbe?.failureThreshold).toBe(30);
  });

  test('custom http port flows to args, env and port', () => {
    const spec = dynamoFrontend({ httpPort: 8080 });
    expect(spec.args).toEqual(['--http-port', '8080']);
    expect(spec.env).toContainEqual({ name: 'DYN_HTTP_PORT', value: '8080' });
    expect(spec.ports[0].containerPort).toBe(8080);
  });

  test('planner backend and environment always come from the options', () => {
    const cfg = JSON.parse(dynamoPlanner({ backend: EngineKind.TRTLLM, config: { backend: 'vllm', environment: 'virtual', x: 1 } }).args[1]);
    expect(cfg).toEqual({ environment: 'kubernetes', backend: 'trtllm', x: 1 });
    expect(JSON.parse(dynamoPlanner({ backend: EngineKind.TRTLLM }).args[1])).toEqual({ environment: 'kubernetes', backend: 'trtllm', ...DEFAULT_PLANNER_CONFIG });
  });
});

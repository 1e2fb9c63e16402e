import { aksInfinibandRequirements, RdmaResource } from '../../../lib/llm/engines';
import { parse } from 'yaml';
import { describeWithReference, readReferenceYaml } from '../../support/reference';

describeWithReference('AKS InfiniBand requirements reproduce the aks-ib recipe', () => {
  test('provider profile: device, security context, env, backend, targets', () => {
    // GIVEN the recipe's fabric profile
    const [profile] = readReferenceYaml('dynamo', 'recipes', 'addons_providers_aks-ib.yaml');
    // WHEN taking the defaults
    const req = aksInfinibandRequirements();
    // THEN every fact matches
    const [[resource, count]] = Object.entries(profile.device as Record<string, string>);
    expect(req.rdmaResource).toEqual({ name: resource, count: Number(count) });
    expect(req.securityContext).toEqual(profile.securityContext);
    expect(Object.fromEntries(req.env.map(e => [e.name, e.value]))).toEqual(profile.env);
    expect(req.nixlBackend).toBe(profile.kv_backend);
    expect([...req.appliesTo]).toEqual(profile.target.match);
    expect(profile.image.rule).toBe('{base_tag}');
    expect(req.imageUnchanged).toBe(true);
    expect(profile.place).toMatch(/ONE agentpool/);
    expect(req.sameAgentPool).toBe(true);
  });

  test('kustomize addon: the RDMA resource is both request and limit, env matches', () => {
    const [component] = readReferenceYaml('dynamo', 'recipes', 'addons_kustomize_aks-ib_kustomization.yaml');
    const smp = parse(component.patches[0].patch);
    const svc = smp.spec.services.VllmPrefillWorker;
    const req = aksInfinibandRequirements();
    expect(svc.resources.limits.custom).toEqual({ [req.rdmaResource.name]: String(req.rdmaResource.count) });
    expect(svc.resources.requests.custom).toEqual({ [req.rdmaResource.name]: String(req.rdmaResource.count) });
    expect(svc.extraPodSpec.mainContainer.securityContext).toEqual(req.securityContext);
    const ops = parse(component.patches[1].patch) as { path: string; value: { name: string; value: string } }[];
    const prefillEnv = ops.filter(o => o.path.includes('VllmPrefillWorker')).map(o => o.value);
    expect(prefillEnv).toEqual(req.env);
  });

  test('the /dev/shm default is the size every large-model recipe sets', () => {
    const req = aksInfinibandRequirements();
    const recipes = ['llama-3-70b_vllm_disagg-multi-node_deploy.yaml', 'llama-3-70b_vllm_disagg-single-node_deploy.yaml', 'deepseek-r1_sglang_disagg-16gpu_deploy.yaml'];
    for (const file of recipes) {
      const dgd = readReferenceYaml('dynamo', 'recipes', file).find(d => d.kind === 'DynamoGraphDeployment');
      const workers = Object.values(dgd.spec.services as Record<string, { componentType: string; sharedMemory?: { size: string } }>)
        .filter(s => s.componentType === 'worker');
      expect(workers.length).toBeGreaterThan(0);
      for (const w of workers) expect(w.sharedMemory?.size).toBe(req.sharedMemorySizeLimit);
    }
  });
});

describe('AKS InfiniBand requirements (unit)', () => {
  test('options override devices, interface, resource and /dev/shm', () => {
    const req = aksInfinibandRequirements({
      ucxNetDevices: ['mlx5_4:1'], ncclSocketIfname: 'eth1', rdmaResource: RdmaResource.DYNAMO_RDMA_SHARED, sharedMemorySizeLimit: '64Gi',
    });
    expect(req.env).toEqual([{ name: 'UCX_NET_DEVICES', value: 'mlx5_4:1' }, { name: 'NCCL_SOCKET_IFNAME', value: 'eth1' }]);
    expect(req.rdmaResource).toEqual({ name: 'rdma/hca_shared_devices_a', count: 1 });
    expect(req.sharedMemorySizeLimit).toBe('64Gi');
  });

  test('IPC_LOCK is requested and /dev/shm defaults to 80Gi', () => {
    const req = aksInfinibandRequirements();
    expect(req.securityContext.capabilities.add).toContain('IPC_LOCK');
    expect(req.sharedMemorySizeLimit).toBe('80Gi');
    expect(req.env[0].value).toBe('mlx5_0:1,mlx5_1:1,mlx5_2:1,mlx5_3:1');
  });
});


import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { APPS } from '../../infra/apps';
import { describeRdmaSetup, parseStackConfig, poolRdmaResources, StackConfig, stackRdmaResources } from '../../infra/config';
import { StackPreflightError } from '../../infra/errors';
import { rdmaPluginConfig, SHARED_IB_POLICY, SRIOV_IB_POLICY, TINY_REGISTRY } from './fixtures';
import { defaultNicClusterPolicy } from '../../infra/network-operator';
import { INFRA_DIR, projectConfig, readStackFile } from './harness';

/** The real app registry, plus the tiny fixture app for tests that select it. */
const REGISTRY = { ...APPS, ...TINY_REGISTRY };

/** The dev stack's config with `patch` applied to the raw (unprefixed) keys. */
function dev(patch: (raw: Record<string, any>) => void = () => undefined): Record<string, any> {
  const raw = projectConfig(readStackFile('dev'));
  patch(raw);
  return raw;
}

function problemsOf(raw: Record<string, unknown>): StackPreflightError {
  try {
    parseStackConfig(raw, REGISTRY, 'dev');
  } catch (e) {
    if (e instanceof StackPreflightError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

describe('stack config', () => {
  test('Pulumi.dev.yaml parses against the app registry of apps.ts, with defaults applied', () => {
    const cfg: StackConfig = parseStackConfig(dev(), APPS, 'dev');
    expect(cfg.mode).toBe('aks');
    expect(cfg.azure?.location).toBe('southafricanorth');
    expect(cfg.gpuPools).toEqual([{ name: 'h100', vmSize: 'Standard_ND96isr_H100_v5', minCount: 0, maxCount: 5 }]);
    expect(cfg.operators.grove?.topologyAwareScheduling).toBe(true);
    expect(cfg.apps).toEqual(['qwen3-disagg', 'llama-70b-multinode']);
  });

  test('Pulumi.kind.yaml parses as platform mode without Azure settings', () => {
    const cfg = parseStackConfig(projectConfig(readStackFile('kind')), APPS, 'kind');
    expect(cfg.mode).toBe('platform');
    expect(cfg.azure).toBeUndefined();
    expect(cfg.gpuPools).toEqual([]);
    expect(cfg.operators.gpuOperator?.enabled).toBe(false);
  });

  test('fails naming the key, the value and the fix, for a pool with maxCount below minCount', () => {
    const err = problemsOf(dev(raw => { raw.gpuPools[0].minCount = 6; }));
    expect(err.message).toContain('the stack configuration is invalid (1 problem)');
    expect(err.problems).toEqual([expect.objectContaining({
      constructPath: 'Pulumi.dev.yaml',
      field: 'cdk8s-grove:gpuPools[0].maxCount',
    })]);
    expect(err.message).toContain('[Pulumi.dev.yaml] cdk8s-grove:gpuPools[0].maxCount: must be >= minCount (6), got 5');
    expect(err.message).toContain("pulumi config set --path 'gpuPools[0].maxCount' <value>");
  });

  test('fails for a missing required key, saying how to set it', () => {
    const err = problemsOf(dev(raw => { delete raw.gpuPools[0].maxCount; }));
    expect(err.problems[0].field).toBe('cdk8s-grove:gpuPools[0].maxCount');
    expect(err.problems[0].message).toBe('is required (number)');
    expect(err.problems[0].fix).toContain("pulumi config set --path 'gpuPools[0].maxCount' <value>");
  });

  test('fails for a wrong type, showing the value', () => {
    const err = problemsOf(dev(raw => { raw.gpuPools[0].maxCount = 'two'; }));
    expect(err.message).toContain('cdk8s-grove:gpuPools[0].maxCount: must be a number, got "two"');
  });

  test('fails for a misspelt key, listing the known keys', () => {
    const err = problemsOf(dev(raw => { raw.gpuPools[0].maxcount = 4; }));
    expect(err.problems).toContainEqual(expect.objectContaining({
      field: 'cdk8s-grove:gpuPools[0].maxcount',
      message: 'is not a setting of this program',
    }));
    expect(err.message).toMatch(/known keys here: name, vmSize, minCount, maxCount/);
  });

  test('fails for an unknown top-level key of the project', () => {
    const err = problemsOf(dev(raw => { raw.gpuPool = []; }));
    expect(err.problems[0].field).toBe('cdk8s-grove:gpuPool');
    expect(err.problems[0].fix).toContain('gpuPools');
  });

  test('fails for an unknown mode, listing the allowed ones', () => {
    const err = problemsOf(dev(raw => { raw.mode = 'eks'; }));
    expect(err.message).toContain('cdk8s-grove:mode: must be one of "aks", "platform", got "eks"');
  });

  test('fails when mode aks has no azure block, and when platform mode has one', () => {
    expect(problemsOf(dev(raw => { delete raw.azure; })).problems).toEqual([expect.objectContaining({
      field: 'cdk8s-grove:azure', message: 'is required in mode "aks"',
    })]);
    expect(problemsOf(dev(raw => { raw.mode = 'platform'; })).problems).toContainEqual(expect.objectContaining({
      field: 'cdk8s-grove:azure', fix: 'remove azure, or set mode: aks',
    }));
  });

  test('fails for a private cluster with authorized IP ranges (the component validator, under config keys)', () => {
    const err = problemsOf(dev(raw => { raw.azure.privateCluster = true; raw.azure.authorizedIpRanges = ['203.0.113.0/24']; }));
    expect(err.problems.map(p => p.field)).toEqual(['cdk8s-grove:azure.authorizedIpRanges']);
  });

  test('fails for an invalid pool name, under the config key name', () => {
    const err = problemsOf(dev(raw => { raw.gpuPools[0].name = 'H100-pool'; raw.queues = []; }));
    expect(err.problems.map(p => p.field)).toContain('cdk8s-grove:gpuPools[0].name');
  });

  test('fails for duplicate pools and a reserved kaiNodePool', () => {
    const err = problemsOf(dev(raw => {
      raw.gpuPools.push({ ...raw.gpuPools[0] });
      raw.gpuPools.push({ name: 'spare', maxCount: 1, kaiNodePool: 'default' });
    }));
    expect(err.problems.map(p => p.field)).toEqual(['cdk8s-grove:gpuPools[1].name', 'cdk8s-grove:gpuPools[2].kaiNodePool']);
  });

  test('fails for queues bound to an unknown node pool or whose parent does not exist', () => {
    const err = problemsOf(dev(raw => {
      raw.queues = [{ name: 'a', nodePool: 'a100' }, { name: 'b', parentQueue: 'missing' }];
    }));
    expect(err.problems.map(p => p.field)).toEqual(['cdk8s-grove:queues[0].nodePool', 'cdk8s-grove:queues[1].parentQueue']);
    expect(err.message).toContain('use one of the GPU pools\' node pools ("h100")');
  });

  test('fails for a child queue in another node pool than its parent', () => {
    const err = problemsOf(dev(raw => { delete raw.queues[1].nodePool; }));
    expect(err.problems.map(p => p.field)).toEqual(['cdk8s-grove:queues[1].nodePool']);
  });

  test('fails for a bad topology level and a topology without topology-aware scheduling', () => {
    let err = problemsOf(dev(raw => { raw.operators.grove.topology = { levels: [{ domain: 'host', key: 'kubernetes.io/hostname' }, { domain: 'Rack', key: 'rack' }] }; }));
    expect(err.problems.map(p => p.field)).toEqual([
      'cdk8s-grove:operators.grove.topology.levels[0].key',
      'cdk8s-grove:operators.grove.topology.levels[1].domain',
    ]);
    err = problemsOf(dev(raw => { raw.operators.grove = { topologyAwareScheduling: false, topology: { name: 'x' } }; }));
    expect(err.problems.map(p => p.field)).toEqual(['cdk8s-grove:operators.grove.topology']);
  });

  test('fails for an app that is not registered, listing the registered ones', () => {
    const err = problemsOf(dev(raw => { raw.apps = ['tiny', 'llama']; }));
    expect(err.problems).toEqual([expect.objectContaining({
      field: 'cdk8s-grove:apps[1]', value: 'llama', fix: 'use one of: qwen3-disagg, llama-70b-multinode, deepseek-r1-disagg, tiny',
    })]);
  });

  test('reports every schema problem at once (semantic checks run once the shape is right)', () => {
    const err = problemsOf(dev(raw => { raw.mode = 'eks'; raw.gpuPools[0].maxCount = -1; raw.apps = 'tiny'; }));
    expect(err.problems.map(p => p.field).sort()).toEqual(['cdk8s-grove:apps', 'cdk8s-grove:mode']);
    expect(err.message).toContain('(2 problems)');
  });

  test('fails for an RDMA device plugin config that is not the JSON string the NicClusterPolicy holds', () => {
    const err = problemsOf(dev(raw => {
      raw.operators.networkOperator.nicClusterPolicy = {
        rdmaSharedDevicePlugin: { config: '{"configList": [' },
        sriovDevicePlugin: { config: { resourceList: [] } },
      };
    }));
    expect(err.problems.map(p => p.field)).toEqual([
      'cdk8s-grove:operators.networkOperator.nicClusterPolicy.rdmaSharedDevicePlugin.config',
      'cdk8s-grove:operators.networkOperator.nicClusterPolicy.sriovDevicePlugin.config',
    ]);
    expect(err.problems[0].message).toMatch(/^is not valid JSON/);
    expect(err.problems[1].message).toMatch(/^must be a string holding the plugin's JSON config/);
  });
});

describe('the RDMA resources the stack\'s GPU nodes advertise', () => {
  const parse = (patch: (raw: Record<string, any>) => void) => parseStackConfig(dev(patch), REGISTRY, 'dev');
  const H100 = 'Standard_ND96isr_H100_v5';

  test('none on the dev stack (no Network Operator), nor with the default NicClusterPolicy', () => {
    const cfg = parse(() => undefined);
    expect(stackRdmaResources(cfg)).toEqual([]);
    expect(poolRdmaResources(cfg, H100)).toEqual([]);
    expect(describeRdmaSetup(cfg)).toBe('operators.networkOperator is not enabled, so no RDMA device plugin runs');
    const withDefault = parse(raw => { raw.operators.networkOperator.enabled = true; });
    expect(poolRdmaResources(withDefault, H100)).toEqual([]);
    expect(describeRdmaSetup(withDefault)).toBe('the default NicClusterPolicy of operators.networkOperator has no RDMA device plugin');
  });

  test('a policy of a disabled Network Operator advertises nothing', () => {
    expect(poolRdmaResources(parse(raw => { raw.operators.networkOperator.nicClusterPolicy = SRIOV_IB_POLICY; }), H100)).toEqual([]);
  });

  test('<resourcePrefix>/<resourceName> of every entry of the shared and SR-IOV plugins\' configs, on InfiniBand SKUs only', () => {
    const sriov = parse(raw => { raw.operators.networkOperator = { enabled: true, nicClusterPolicy: SRIOV_IB_POLICY }; });
    expect(stackRdmaResources(sriov)).toEqual([{ name: 'rdma/ib', plugin: 'sriovDevicePlugin' }]);
    expect(poolRdmaResources(sriov, H100)).toEqual(['rdma/ib']);
    expect(poolRdmaResources(sriov, 'Standard_NC80adis_H100_v5')).toEqual([]);
    expect(describeRdmaSetup(sriov)).toBe('the RDMA device plugin of operators.networkOperator.nicClusterPolicy advertises rdma/ib');
    // The shared plugin's prefix defaults to rdma; the SR-IOV plugin's to intel.com.
    const both = parse(raw => {
      raw.operators.networkOperator = { enabled: true, nicClusterPolicy: {
        ...SHARED_IB_POLICY,
        sriovDevicePlugin: { config: rdmaPluginConfig('resourceList', 'ib') },
      } };
    });
    expect(poolRdmaResources(both, H100)).toEqual(['rdma/shared_ib', 'intel.com/ib']);
  });

  test('the README\'s example (SR-IOV device plugin) advertises rdma/ib and repeats the default policy', () => {
    const readme = fs.readFileSync(path.join(INFRA_DIR, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]).find(b => b.includes('sriovDevicePlugin'));
    expect(block).toBeDefined();
    const operators = (parseYaml(`config:\n${block}`) as any).config['cdk8s-grove:operators'];
    const cfg = parse(raw => { raw.operators = operators; });
    expect(poolRdmaResources(cfg, H100)).toEqual(['rdma/ib']);
    const { sriovDevicePlugin, ...rest } = operators.networkOperator.nicClusterPolicy;
    expect(rest).toEqual(defaultNicClusterPolicy());
    expect(sriovDevicePlugin).toMatchObject({ image: 'sriov-network-device-plugin' });
    expect(cfg.operators.gpuOperator).toEqual({ enabled: true });
    expect(cfg.operators.grove).toEqual({ topologyAwareScheduling: true });
  });
});

import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as cdk8s from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { AksCluster } from '../../infra/aks-cluster';
import { setKubeloginMode } from '../../infra/kubelogin';
import { GpuNodePool } from '../../infra/gpu-node-pool';
import { GpuOperator } from '../../infra/gpu-operator';
import { AKS_GPU_TOPOLOGY_LEVELS, GroveOperator } from '../../infra/grove-operator';
import { GroveWorkloads, missingNamespaces } from '../../infra/grove-workloads';
import { KaiScheduler } from '../../infra/kai-scheduler';
import { NetworkOperator } from '../../infra/network-operator';
import { mergeValues } from '../../infra/private/helm';
import { CHARTS, COMPATIBILITY, compareVersions, GPU_OPERATOR, GROVE, KAI_SCHEDULER, NETWORK_OPERATOR } from '../../infra/versions';
import { tinyApp } from './fixtures';
import { FAKE_AKS_KUBECONFIG, installMocks, Recorder, settle, valueOf } from './harness';

let rec: Recorder;
beforeEach(async () => {
  rec = await installMocks();
});

function testProvider(): k8s.Provider {
  return new k8s.Provider('test-k8s', { kubeconfig: 'apiVersion: v1\nkind: Config\n' });
}

describe('AksCluster', () => {
  const args = { location: 'southafricanorth', resourceGroupName: 'rg-test' };

  test('secure defaults: Entra ID with Azure RBAC, no local accounts, OIDC, workload identity, CNI overlay, node OS auto-upgrade', async () => {
    // GIVEN/WHEN a cluster with only the required arguments
    new AksCluster('c', args);
    await settle();

    // THEN the managed cluster carries the secure defaults
    const mc = rec.named('c-aks').inputs;
    expect(mc.aadProfile).toEqual({ managed: true, enableAzureRBAC: true });
    expect(mc.enableRBAC).toBe(true);
    expect(mc.disableLocalAccounts).toBe(true);
    expect(mc.oidcIssuerProfile).toEqual({ enabled: true });
    expect(mc.securityProfile).toEqual({ workloadIdentity: { enabled: true } });
    expect(mc.identity).toEqual({ type: 'SystemAssigned' });
    expect(mc.networkProfile).toEqual({
      networkPlugin: 'azure', networkPluginMode: 'overlay', loadBalancerSku: 'standard',
      outboundType: 'loadBalancer', // the SDK's default
      podCidr: '10.244.0.0/16', serviceCidr: '10.0.0.0/16', dnsServiceIP: '10.0.0.10',
    });
    expect(mc.autoUpgradeProfile).toEqual({ upgradeChannel: 'none', nodeOSUpgradeChannel: 'NodeImage' });
    expect(mc.apiServerAccessProfile).toEqual({ enablePrivateCluster: false });
    expect(mc.sku).toEqual({ name: 'Base', tier: 'Standard' });
    expect(mc.resourceName).toBe('c');
    expect(mc.resourceGroupName).toBe('rg-test');
  });

  test('keeps only a small autoscaled system pool inline and ignores later changes to inline pools', async () => {
    new AksCluster('c', args);
    await settle();
    const mc = rec.named('c-aks');
    expect(mc.inputs.agentPoolProfiles).toEqual([{
      name: 'system', mode: 'System', type: 'VirtualMachineScaleSets', vmSize: 'Standard_D4ds_v5',
      osType: 'Linux', osSKU: 'Ubuntu2204', enableAutoScaling: true, count: 2, minCount: 2, maxCount: 3,
    }]);
    expect(mc.ignoreChanges).toEqual(['agentPoolProfiles']);
  });

  test('creates the resource group, or uses an existing one without managing it', async () => {
    new AksCluster('c', args);
    await settle();
    expect(rec.named('c-rg').inputs).toEqual({ resourceGroupName: 'rg-test', location: 'southafricanorth' });
    expect(rec.named('c-aks').inputDependencies).toContain('c-rg');

    rec.reset();
    new AksCluster('d', { ...args, createResourceGroup: false });
    await settle();
    expect(rec.ofType('azure-native:resources:ResourceGroup')).toEqual([]);
    expect(rec.named('d-aks').inputs.resourceGroupName).toBe('rg-test');
  });

  test('private API server, or a public one restricted to authorized ranges', async () => {
    new AksCluster('p', { ...args, privateCluster: true });
    new AksCluster('q', { ...args, authorizedIpRanges: ['203.0.113.0/24'] });
    await settle();
    expect(rec.named('p-aks').inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
    expect(rec.named('q-aks').inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] });
  });

  test('kubeconfig: a secret output from the user credentials, switched to non-interactive kubelogin, feeding the provider', async () => {
    const cluster = new AksCluster('c', args);
    await settle();
    expect(rec.calls.filter(c => c.token !== 'azure-native:authorization:getClientConfig').map(c => [c.token, c.inputs])).toEqual([[
      'azure-native:containerservice:listManagedClusterUserCredentials',
      { resourceGroupName: 'rg-test', resourceName: 'c', format: 'exec' },
    ]]);
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    const kubeconfig = parseYaml(await valueOf(cluster.kubeconfig));
    expect(kubeconfig.users[0].user.exec.args).toEqual(['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']);
    const provider = rec.named('c-k8s');
    expect(provider.type).toBe('pulumi:providers:kubernetes');
    expect(provider.parent).toBe('c');
    expect(provider.inputDependencies).toContain('c-aks');
    expect(await valueOf(cluster.oidcIssuerUrl)).toBe('https://oidc.example.invalid/c-aks/');
  });

  test('fails when a private cluster is given authorized ranges, or the system pool counts are inverted', () => {
    expect(() => new AksCluster('bad', { ...args, privateCluster: true, authorizedIpRanges: ['203.0.113.0/24'], systemPool: { minCount: 3, maxCount: 2 } }))
      .toThrow(/invalid arguments for AksCluster "bad":\n {2}systemPool.maxCount: must be >= systemPool.minCount \(3\), got 2\n {2}authorizedIpRanges: cannot be used with privateCluster/);
  });

  test('fails for a bad CIDR', () => {
    expect(() => new AksCluster('bad', { ...args, network: { podCidr: '10.244.0.0' } })).toThrow(/network.podCidr: must be an IPv4 CIDR/);
  });
});

describe('setKubeloginMode', () => {
  test('rewrites the device-code login to the chosen mode, keeping the server id', () => {
    const out = parseYaml(setKubeloginMode(FAKE_AKS_KUBECONFIG, 'workloadidentity'));
    expect(out.users[0].user.exec.args).toEqual(['get-token', '--login', 'workloadidentity', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']);
  });

  test('keeps tenant, client and environment for device code and service principals', () => {
    const out = parseYaml(setKubeloginMode(FAKE_AKS_KUBECONFIG, 'spn'));
    expect(out.users[0].user.exec.args).toEqual(['get-token', '--login', 'spn', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630',
      '--environment', 'AzurePublicCloud', '--tenant-id', '00000000-0000-0000-0000-000000000000']);
  });

  test('leaves kubeconfigs without a kubelogin user unchanged', () => {
    const plain = 'apiVersion: v1\nkind: Config\nusers:\n  - name: u\n    user: { token: abc }\n';
    expect(setKubeloginMode(plain, 'azurecli')).toBe(plain);
  });
});

describe('GpuNodePool', () => {
  const cluster = { resourceGroupName: 'rg', clusterName: 'aks' };

  test('defaults: ND96isr H100 v5, driver left to the GPU Operator, pinned Ubuntu, ephemeral OS, VMSS, GPU taint, KAI label, autoscaling, no surge', async () => {
    new GpuNodePool('h100', { cluster, maxCount: 4 });
    await settle();
    const pool = rec.named('h100-pool');
    expect(pool.type).toBe('azure-native:containerservice:AgentPool');
    expect(pool.parent).toBe('h100');
    expect(pool.inputs).toEqual({
      resourceGroupName: 'rg',
      resourceName: 'aks',
      agentPoolName: 'h100',
      mode: 'User',
      type: 'VirtualMachineScaleSets',
      vmSize: 'Standard_ND96isr_H100_v5',
      osType: 'Linux',
      osSKU: 'Ubuntu2204',
      osDiskType: 'Ephemeral',
      gpuProfile: { driver: 'None' },
      enableAutoScaling: true,
      count: 0,
      minCount: 0,
      maxCount: 4,
      scaleDownMode: 'Delete',
      maxPods: 110,
      nodeTaints: ['nvidia.com/gpu=present:NoSchedule'],
      nodeLabels: { 'kai.scheduler/node-pool': 'h100' },
      upgradeSettings: { maxSurge: '0', maxUnavailable: '1' },
    });
    // No OS disk size: AKS sizes ephemeral disks on NVMe-backed VMs itself.
    expect(pool.inputs.osDiskSizeGB).toBeUndefined();
    expect(pool.ignoreChanges).toEqual(['count']);
  });

  test('takes zones, labels, extra taints, its own KAI node pool and a capacity reservation', async () => {
    new GpuNodePool('gpu', {
      cluster, poolName: 'gpua', minCount: 1, maxCount: 2, zones: ['1'], kaiNodePool: 'fabric-a',
      nodeLabels: { 'acme.io/accelerator': 'h100' }, extraTaints: ['acme.io/dedicated=llm:NoSchedule'],
      capacityReservationGroupId: '/subscriptions/x/crg',
    });
    new GpuNodePool('nolabel', { cluster, maxCount: 1, kaiNodePool: false });
    await settle();
    const pool = rec.named('gpu-pool').inputs;
    expect(pool.agentPoolName).toBe('gpua');
    expect(pool.availabilityZones).toEqual(['1']);
    expect(pool.count).toBe(1);
    expect(pool.nodeLabels).toEqual({ 'kai.scheduler/node-pool': 'fabric-a', 'acme.io/accelerator': 'h100' });
    expect(pool.nodeTaints).toEqual(['nvidia.com/gpu=present:NoSchedule', 'acme.io/dedicated=llm:NoSchedule']);
    expect(pool.capacityReservationGroupID).toBe('/subscriptions/x/crg');
    expect(rec.named('nolabel-pool').inputs.nodeLabels).toEqual({});
  });

  test('fails for a bad pool name, inverted counts, reserved label prefixes and a zero surge with zero unavailable', () => {
    expect(() => new GpuNodePool('Bad_Name', { cluster, minCount: 3, maxCount: 2, nodeLabels: { 'kubernetes.azure.com/x': 'y' }, maxUnavailable: '0' }))
      .toThrow(/poolName: must be 1-12 lowercase[\s\S]*maxCount: must be >= minCount \(3\), got 2[\s\S]*uses a prefix AKS reserves[\s\S]*maxUnavailable: must be above 0 when maxSurge is 0/);
  });
});

describe('GpuOperator', () => {
  test('a pinned Helm release in a privileged namespace, owning driver and toolkit', async () => {
    new GpuOperator('gpu', { provider: testProvider() });
    await settle();
    const ns = rec.named('gpu-ns');
    expect(ns.inputs.metadata).toEqual({ name: 'gpu-operator', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
    const release = rec.named('gpu-release');
    expect(release.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(release.provider).toBe('test-k8s');
    expect(release.inputs).toMatchObject({
      name: 'gpu-operator',
      chart: 'gpu-operator',
      version: GPU_OPERATOR.version,
      repositoryOpts: { repo: 'https://helm.ngc.nvidia.com/nvidia' },
      namespace: 'gpu-operator',
      createNamespace: false,
      skipAwait: false,
      reuseValues: false,
      timeout: 1800,
      values: { driver: { enabled: true }, toolkit: { enabled: true }, nfd: { enabled: true } },
    });
    expect(release.inputDependencies).toContain('gpu-ns');
  });

  test('with the Network Operator: its NFD is used and the driver is built with RDMA; extra values merge last', async () => {
    new GpuOperator('gpu', { provider: testProvider(), withNetworkOperator: true, values: { dcgmExporter: { enabled: false }, driver: { version: 'x' } } });
    await settle();
    expect(rec.named('gpu-release').inputs.values).toEqual({
      driver: { enabled: true, rdma: { enabled: true }, version: 'x' },
      toolkit: { enabled: true },
      nfd: { enabled: false },
      dcgmExporter: { enabled: false },
    });
  });
});

describe('NetworkOperator', () => {
  test('a pinned release in a privileged namespace, then the NicClusterPolicy', async () => {
    new NetworkOperator('net', { provider: testProvider() });
    await settle();
    expect(rec.named('net-ns').inputs.metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(rec.named('net-release').inputs).toMatchObject({ chart: 'network-operator', version: NETWORK_OPERATOR.version, namespace: 'network-operator' });
    const policy = rec.named('net-nic-policy');
    expect(policy.type).toBe('kubernetes:mellanox.com/v1alpha1:NicClusterPolicy');
    expect(policy.dependsOn).toEqual(['net-release']);
    expect(policy.inputs.spec.ofedDriver).toMatchObject({ repository: 'nvcr.io/nvidia/mellanox', image: 'doca-driver' });
    expect(policy.inputs.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('rejects an RDMA device plugin config it cannot read (the policy holds it as a JSON string)', () => {
    expect(() => new NetworkOperator('net', { provider: testProvider(), nicClusterPolicy: { sriovDevicePlugin: { config: '{"resourceList": [{}]}' } } }))
      .toThrow(/nicClusterPolicy\.sriovDevicePlugin\.config: "resourceList"\[0\] must have a non-empty string "resourceName"/);
  });

  test('takes a NicClusterPolicy spec as a whole', async () => {
    new NetworkOperator('net', { provider: testProvider(), nicClusterPolicy: { rdmaSharedDevicePlugin: { image: 'p' } } });
    await settle();
    expect(rec.named('net-nic-policy').inputs.spec).toEqual({ rdmaSharedDevicePlugin: { image: 'p' } });
  });
});

describe('KaiScheduler', () => {
  test('a pinned release; Grove owns gang termination; shards per node pool; queues after the CRDs, parents first', async () => {
    new KaiScheduler('kai', {
      provider: testProvider(),
      nodePools: ['h100'],
      clusterAutoscaling: true,
      queues: [
        { name: 'inference', parentQueue: 'h100', nodePool: 'h100', gpu: { quota: 16 } },
        { name: 'h100', nodePool: 'h100', priority: 10 },
      ],
    });
    await settle();
    const release = rec.named('kai-release');
    expect(release.inputs).toMatchObject({
      name: 'kai-scheduler',
      chart: KAI_SCHEDULER.chart,
      version: KAI_SCHEDULER.version,
      namespace: 'kai-scheduler',
      values: {
        global: { clusterAutoscaling: true },
        scheduler: { args: { 'default-staleness-grace-period': '-1s' } },
        defaultQueue: { createDefaultQueue: true },
      },
    });
    expect(release.inputs.repositoryOpts).toBeUndefined();
    expect(rec.named('kai-ns').inputs.metadata).toEqual({ name: 'kai-scheduler' });

    const shard = rec.named('kai-shard-h100');
    expect(shard.inputs).toEqual({
      apiVersion: 'kai.scheduler/v1', kind: 'SchedulingShard', metadata: { name: 'h100' },
      spec: { partitionLabelValue: 'h100', args: { 'default-staleness-grace-period': '-1s' }, placementStrategy: { gpu: 'binpack', cpu: 'binpack' } },
    });
    // After KAI's readiness gate (the operator reports its Config Available), which comes after the release.
    expect(shard.dependsOn).toEqual(['kai-ready']);
    expect(rec.named('kai-ready').dependsOn).toEqual(['kai-release']);

    const parent = rec.named('kai-queue-h100');
    expect(parent.inputs).toEqual({
      apiVersion: 'scheduling.run.ai/v2', kind: 'Queue',
      metadata: { name: 'h100', labels: { 'kai.scheduler/node-pool': 'h100' } },
      spec: {
        priority: 10,
        resources: {
          gpu: { quota: -1, limit: -1, overQuotaWeight: 1 },
          cpu: { quota: -1, limit: -1, overQuotaWeight: 1 },
          memory: { quota: -1, limit: -1, overQuotaWeight: 1 },
        },
      },
    });
    const leaf = rec.named('kai-queue-inference');
    expect(leaf.inputs.spec.parentQueue).toBe('h100');
    expect(leaf.inputs.spec.resources.gpu).toEqual({ quota: 16, limit: -1, overQuotaWeight: 1 });
    expect([...leaf.dependsOn].sort()).toEqual(['kai-queue-h100', 'kai-ready', 'kai-shard-h100']);
  });

  test('fails for queues of an unknown node pool, a reserved shard name and a bad grace period', () => {
    expect(() => new KaiScheduler('kai', {
      provider: testProvider(), nodePools: ['default'], stalenessGracePeriod: '-1', queues: [{ name: 'q', nodePool: 'a100' }],
    })).toThrow(/nodePools\[0\]: must be a DNS-1123 label other than "default"[\s\S]*stalenessGracePeriod: must be a Go duration[\s\S]*queues\[0\].nodePool: no KAI node pool "a100"/);
  });
});

describe('GroveOperator', () => {
  test('a Chart v4 of the pinned version, with the webhook secret left to the operator', async () => {
    new GroveOperator('grove', { provider: testProvider() });
    await settle();
    const chart = rec.named('grove-chart');
    expect(chart.type).toBe('kubernetes:helm.sh/v4:Chart');
    expect(chart.custom).toBe(false);
    expect(chart.remote).toBe(true);
    expect(chart.inputs).toMatchObject({
      name: 'grove',
      chart: GROVE.chart,
      version: GROVE.version,
      namespace: 'grove-system',
      values: { webhookServerSecret: { enabled: false }, config: { topologyAwareScheduling: { enabled: false } } },
    });
    expect(rec.ofType('kubernetes:grove.io/v1alpha1:ClusterTopologyBinding')).toEqual([]);
  });

  test('with topology-aware scheduling: a ClusterTopologyBinding of the AKS pool topology, after the chart', async () => {
    const grove = new GroveOperator('grove', { provider: testProvider(), topologyAwareScheduling: true });
    await settle();
    expect(rec.named('grove-chart').inputs.values.config.topologyAwareScheduling).toEqual({ enabled: true });
    const ctb = rec.named('grove-topology');
    expect(ctb.inputs).toEqual({
      apiVersion: 'grove.io/v1alpha1', kind: 'ClusterTopologyBinding', metadata: { name: 'aks-gpu' },
      spec: { levels: [{ domain: 'block', key: 'kubernetes.azure.com/agentpool' }, { domain: 'host', key: 'kubernetes.io/hostname' }] },
    });
    expect(ctb.dependsOn).toEqual(['grove-chart']);
    expect(grove.topologyName).toBe('aks-gpu');
    expect(AKS_GPU_TOPOLOGY_LEVELS.map(l => l.domain)).toEqual(['block', 'host']);
  });

  test('fails for a topology without topology-aware scheduling', () => {
    expect(() => new GroveOperator('grove', { provider: testProvider(), topology: { name: 'x' } }))
      .toThrow(/topology: is only used with topologyAwareScheduling/);
  });
});

describe('GroveWorkloads', () => {
  test('applies the synthesized app as one ConfigGroup, creating the namespaces it uses', async () => {
    const app = new cdk8s.App();
    tinyApp()(app, { stack: 'test', gpuPools: [], queues: [] });
    const wl = new GroveWorkloads('wl', { provider: testProvider(), app });
    await settle();
    const group = rec.named('wl-objects');
    expect(group.type).toBe('kubernetes:yaml/v2:ConfigGroup');
    expect(group.remote).toBe(true);
    expect(group.provider).toBe('test-k8s');
    expect(group.inputs.skipAwait).toBe(false);
    expect(group.inputs.objs.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/inference', 'PodCliqueSet/llm']);
    expect(wl.objects).toEqual(group.inputs.objs);
  });

  test('missingNamespaces skips defined and built-in namespaces', () => {
    expect(missingNamespaces([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { kind: 'X', metadata: { name: 'x', namespace: 'a' } },
      { kind: 'X', metadata: { name: 'y', namespace: 'default' } },
      { kind: 'X', metadata: { name: 'z', namespace: 'c' } },
      { kind: 'X', metadata: { name: 'w', namespace: 'b' } },
    ])).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } },
    ]);
  });
});

describe('versions', () => {
  test('every chart is pinned to an exact v-prefixed release', () => {
    for (const pin of Object.values(CHARTS)) {
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
    }
  });

  test('the pinned KAI supports Grove topology-aware scheduling and Grove-created PodGroups', () => {
    expect(compareVersions(KAI_SCHEDULER.version, COMPATIBILITY.minKaiForGroveTopology)).toBeGreaterThanOrEqual(0);
    expect(compareVersions(KAI_SCHEDULER.version, COMPATIBILITY.minKaiForGrovePodGroups)).toBeGreaterThanOrEqual(0);
    expect(compareVersions(GROVE.version, COMPATIBILITY.minGroveForClusterTopologyBinding)).toBeGreaterThanOrEqual(0);
  });

  test('compareVersions orders pre-releases below releases and numerically', () => {
    expect(compareVersions('v0.1.0-alpha.11', 'v0.1.0-alpha.9')).toBeGreaterThan(0);
    expect(compareVersions('v0.1.0-alpha.2', 'v0.1.0-alpha.10')).toBeLessThan(0);
    expect(compareVersions('v0.1.0', 'v0.1.0-alpha.12')).toBeGreaterThan(0);
    expect(compareVersions('v0.17.0', 'v0.15.2')).toBeGreaterThan(0);
    expect(compareVersions('v26.3.3', 'v26.3.3')).toBe(0);
  });
});

describe('mergeValues', () => {
  test('merges objects key by key and replaces everything else, without touching its arguments', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 1 };
    const out = mergeValues(base, { a: { c: [3] }, e: { f: true } });
    expect(out).toEqual({ a: { b: 1, c: [3] }, d: 1, e: { f: true } });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 1 });
  });
});

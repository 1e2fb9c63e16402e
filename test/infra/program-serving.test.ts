/**
 * What makes a first `pulumi up` of the dev stack work and mean "serving", under mocks: readiness gates before
 * every custom resource, the deployer's Kubernetes rights, secrets that stay secret, what the apps reference
 * (Dynamo CRD, Hugging Face Secret, model-cache claim), awaited PodCliqueSets and the GPU nodes' maintenance window.
 */
import * as pulumi from '@pulumi/pulumi';
import { AKS_RBAC_CLUSTER_ADMIN_ROLE_ID } from '../../infra/aks-access';
import { DYNAMO_WORKER_METADATA_CRD } from '../../infra/app-services';
import { APPS } from '../../infra/apps';
import { parseStackConfig } from '../../infra/config';
import { runProgram } from '../../infra/program';
import { KNOWN_HF_TOKEN, FAKE_CLIENT, importProgram, installMocks, PROJECT, plaintextOccurrences, projectConfig, readStackFile, Recorder, setStackConfig, settle, testSecrets } from './harness';

// The machine is shared: program runs take seconds each when the suite runs in parallel.
jest.setTimeout(120_000);

let program: Record<string, any>;
let dev: Recorder;
beforeAll(async () => {
  // GIVEN the dev stack's config, plus the Hugging Face token set with `pulumi config set --secret`
  const rec = await installMocks('dev');
  setStackConfig(readStackFile('dev'));
  // WHEN the program runs
  program = importProgram();
  await settle();
  dev = rec.copy();
});

/** The objects a ConfigGroup applies. */
function objs(name: string): any[] {
  return dev.named(name).inputs.objs;
}

/** The readiness gate a custom resource type must wait for: the operator whose webhook or controller judges it. */
function gateFor(type: string): string | undefined {
  if (/^kubernetes:grove\.io\//.test(type)) {
    return 'grove-chart';
  }
  if (/^kubernetes:(kai\.scheduler|scheduling\.run\.ai)\//.test(type) && !type.endsWith('ConfigPatch')) {
    return 'kai-ready';
  }
  if (/^kubernetes:mellanox\.com\//.test(type)) {
    return 'network-operator-release';
  }
  return undefined;
}

describe('readiness gates', () => {
  test('Grove is installed with its health probes on, so its Deployment is Ready only once its webhooks serve', () => {
    expect(dev.named('grove-chart').inputs.values.config.server.healthProbes).toEqual({ enable: true });
  });

  test('KAI\'s gate awaits the operator\'s Config condition Available, after the release', () => {
    const gate = dev.named('kai-ready');
    expect(gate.type).toBe('kubernetes:kai.scheduler/v1:ConfigPatch');
    expect(gate.inputs.metadata).toEqual({
      name: 'kai-config',
      annotations: { 'pulumi.com/waitFor': 'condition=Available', 'pulumi.com/timeoutSeconds': '600' },
    });
    expect(gate.dependsOn).toEqual(['kai-release']);
  });

  test('every custom resource depends on the readiness gate of the operator that judges it', () => {
    const custom = dev.resources.filter(r => gateFor(r.type) !== undefined);
    // the dev stack has a topology, a shard and two queues
    expect(custom.map(r => r.name).sort()).toEqual(['grove-topology', 'kai-queue-h100', 'kai-queue-inference', 'kai-shard-h100']);
    for (const r of custom) {
      expect([r.name, dev.dependsOnTransitively(r.name, gateFor(r.type) as string)]).toEqual([r.name, true]);
    }
  });

  test('with the Network Operator: its NicClusterPolicy waits for the operator\'s release', async () => {
    const rec = await installMocks('dev');
    const raw: Record<string, any> = projectConfig(readStackFile('dev'));
    raw.operators.networkOperator = { enabled: true };
    runProgram(parseStackConfig(raw, APPS, 'dev'), APPS, 'dev', testSecrets());
    await settle();
    const custom = rec.resources.filter(r => gateFor(r.type) !== undefined);
    expect(custom.map(r => r.name)).toContain('network-operator-nic-policy');
    for (const r of custom) {
      expect([r.name, rec.dependsOnTransitively(r.name, gateFor(r.type) as string)]).toEqual([r.name, true]);
    }
  });

  test('every PodCliqueSet is applied after both gates, the topology and what its pods reference', () => {
    for (const group of ['app-qwen3-disagg-objects', 'app-llama-70b-multinode-objects']) {
      expect(objs(group).some(o => o.kind === 'PodCliqueSet')).toBe(true);
      for (const earlier of ['grove-chart', 'grove-topology', 'kai-ready', 'kai-queue-inference', 'app-services-hf-inference', 'app-services-cache-inference', 'app-services-dynamo-crd']) {
        expect([group, earlier, dev.dependsOnTransitively(group, earlier)]).toEqual([group, earlier, true]);
      }
    }
  });
});

describe('the deployer\'s Kubernetes rights', () => {
  test('the principal running Pulumi gets "Azure Kubernetes Service RBAC Cluster Admin" on the cluster before any Kubernetes request', () => {
    const ra = dev.named('aks-deployer-admin');
    expect(ra.type).toBe('azure-native:authorization:RoleAssignment');
    expect(ra.inputs).toEqual({
      scope: 'aks-aks-id',
      principalId: FAKE_CLIENT.objectId,
      // the dev stack logs in with the Azure CLI of a user (kubeloginMode azurecli)
      principalType: 'User',
      roleDefinitionId: `/subscriptions/${FAKE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE_ID}`,
    });
    // the provider of every Kubernetes object waits for it
    expect(dev.named('aks-k8s').dependsOn).toEqual(['aks-deployer-admin']);
    expect(dev.resources.filter(r => r.type.startsWith('kubernetes:') && r.custom).map(r => r.provider)).toEqual(
      dev.resources.filter(r => r.type.startsWith('kubernetes:') && r.custom).map(() => 'aks-k8s'));
  });
});

describe('node maintenance', () => {
  test('GPU node images change only in the stack\'s window: the first Sunday of the month, 00:00-08:00 UTC', () => {
    expect(dev.named('aks-aks').inputs.autoUpgradeProfile).toEqual({ upgradeChannel: 'none', nodeOSUpgradeChannel: 'NodeImage' });
    const mc = dev.ofType('azure-native:containerservice:MaintenanceConfiguration');
    expect(mc.map(m => m.inputs)).toEqual([{
      resourceGroupName: 'cdk8s-grove-dev',
      resourceName: 'cdk8s-grove-dev',
      configName: 'aksManagedNodeOSUpgradeSchedule',
      maintenanceWindow: {
        schedule: { relativeMonthly: { dayOfWeek: 'Sunday', weekIndex: 'First', intervalMonths: 1 } },
        startTime: '00:00', utcOffset: '+00:00', durationHours: 8,
      },
    }]);
  });

  test('the Kubernetes version is pinned next to the Ubuntu2204 GPU image', () => {
    expect(dev.named('aks-aks').inputs.kubernetesVersion).toBe('1.33');
    expect(dev.named('gpu-h100-pool').inputs.osSKU).toBe('Ubuntu2204');
  });
});

describe('what the apps reference, from the stack', () => {
  test('the Dynamo CRD the apps\' discovery Role writes to', () => {
    const roles = objs('app-qwen3-disagg-objects').filter(o => o.kind === 'Role');
    const rules = roles.flatMap(r => r.rules).filter((r: any) => r.apiGroups.includes('nvidia.com'));
    expect(rules.flatMap((r: any) => r.resources)).toContain('dynamoworkermetadatas');
    const crd = dev.named('app-services-dynamo-crd');
    expect(crd.inputs.metadata.name).toBe(DYNAMO_WORKER_METADATA_CRD);
    expect(crd.inputs.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
  });

  test('the Hugging Face Secret in the apps\' namespace, with the key they read, holding the Pulumi secret', () => {
    const env = objs('app-qwen3-disagg-objects').filter(o => o.kind === 'PodCliqueSet')
      .flatMap(p => p.spec.template.cliques).flatMap((c: any) => c.spec.podSpec.containers).flatMap((c: any) => c.env ?? [])
      .filter((e: any) => e.valueFrom?.secretKeyRef);
    expect(env.length).toBeGreaterThan(0);
    for (const e of env) {
      expect(e.valueFrom.secretKeyRef).toEqual({ name: 'hf-token-secret', key: 'HF_TOKEN' });
    }
    const secret = dev.named('app-services-hf-inference');
    expect(secret.inputs.metadata).toEqual({ name: 'hf-token-secret', namespace: 'inference' });
    // the token is there, inside a secret envelope only
    expect(secret.rawInputs).toMatchObject({ stringData: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: { HF_TOKEN: KNOWN_HF_TOKEN } } });
    expect(plaintextOccurrences(secret.rawInputs, KNOWN_HF_TOKEN)).toEqual([]);
  });

  test('the model-cache claim, ReadWriteMany on Azure Files, because pods on several nodes mount it', () => {
    const pvc = dev.named('app-services-cache-inference');
    expect(pvc.inputs.metadata.name).toBe('model-cache');
    expect(pvc.inputs.spec).toEqual({ accessModes: ['ReadWriteMany'], storageClassName: 'azurefile-csi-premium', resources: { requests: { storage: '1Ti' } } });
  });

  test('the stack output `provides` lists the CRDs, Secrets with keys, claims and queues', () => {
    expect(program.provides.secrets).toEqual([{ namespace: 'inference', name: 'hf-token-secret', keys: ['HF_TOKEN'] }]);
    expect(program.provides.claims).toEqual([{ namespace: 'inference', name: 'model-cache', accessModes: ['ReadWriteMany'], storageClassName: 'azurefile-csi-premium' }]);
    expect(program.provides.crds).toEqual(expect.arrayContaining([DYNAMO_WORKER_METADATA_CRD, 'podcliquesets.grove.io', 'queues.scheduling.run.ai']));
    expect(program.provides.queues).toEqual(expect.arrayContaining([{ name: 'inference', nodePool: 'h100', leaf: true }, { name: 'h100', nodePool: 'h100', leaf: false }]));
  });
});

describe('up means serving', () => {
  test('every PodCliqueSet is awaited until Grove reports all its replicas available', () => {
    const pcs = ['app-qwen3-disagg-objects', 'app-llama-70b-multinode-objects'].flatMap(objs).filter(o => o.kind === 'PodCliqueSet');
    expect(pcs.length).toBeGreaterThan(1);
    for (const p of pcs) {
      expect(p.metadata.annotations).toMatchObject({
        'pulumi.com/waitFor': `jsonpath={.status.availableReplicas}=${p.spec.replicas ?? 1}`,
        'pulumi.com/timeoutSeconds': '3600',
      });
    }
  });
});

describe('secrets stay secret', () => {
  test(`the Hugging Face token (${PROJECT}:huggingFaceToken) never appears in plaintext in a registered input, an invoke or an output`, async () => {
    expect(dev.resources.flatMap(r => plaintextOccurrences(r.rawInputs, KNOWN_HF_TOKEN).map(p => `${r.name} ${p}`))).toEqual([]);
    expect(dev.calls.flatMap(c => plaintextOccurrences(c.inputs, KNOWN_HF_TOKEN))).toEqual([]);
    expect(dev.outputs.flatMap(o => plaintextOccurrences(o.raw, KNOWN_HF_TOKEN))).toEqual([]);
    for (const [name, value] of Object.entries(program)) {
      if (pulumi.Output.isInstance(value) && JSON.stringify(await (value as any).promise()).includes(KNOWN_HF_TOKEN)) {
        expect([name, await pulumi.isSecret(value as pulumi.Output<unknown>)]).toEqual([name, true]);
      }
    }
  });

  test('the AKS kubeconfig is a secret output and reaches the provider as a secret', async () => {
    expect(await pulumi.isSecret(program.kubeconfig)).toBe(true);
    const provider = dev.named('aks-k8s').rawInputs as Record<string, any>;
    expect(plaintextOccurrences(provider, 'kubelogin')).toEqual([]);
  });
});

describe('secrets of the other config keys', () => {
  const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: known-kubeconfig-token-42}}]\n';
  const HELM_SECRET = 'known-helm-value-secret-77';

  test('mode platform: a secret kubeconfig and secret operator values stay secret', async () => {
    const rec = await installMocks('kind');
    const kind = readStackFile('kind');
    setStackConfig({ ...kind }, {
      [`${PROJECT}:huggingFaceToken`]: KNOWN_HF_TOKEN,
      [`${PROJECT}:kubernetes`]: { context: 'kind-grove', kubeconfig: KUBECONFIG },
      [`${PROJECT}:operators`]: { ...(kind[`${PROJECT}:operators`] as object), grove: { values: { imagePullSecrets: [{ name: HELM_SECRET }] } } },
    });
    importProgram();
    await settle();
    // passed on (inside a secret envelope) ...
    expect(JSON.stringify(rec.named('grove-chart').rawInputs)).toContain(HELM_SECRET);
    expect(JSON.stringify(rec.named('platform-k8s').rawInputs)).toContain('known-kubeconfig-token-42');
    // ... and never in plaintext
    for (const needle of ['known-kubeconfig-token-42', HELM_SECRET, KNOWN_HF_TOKEN]) {
      expect([needle, rec.resources.flatMap(r => plaintextOccurrences(r.rawInputs, needle).map(p => `${r.name} ${p}`))]).toEqual([needle, []]);
    }
  });
});

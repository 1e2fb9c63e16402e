/**
 * The AKS settings this issue adds, checked through the stack config (where a user meets them): the DNS prefix,
 * the pinned Kubernetes version, the deployer's rights and the maintenance window; and the version matrix.
 */
import { APPS } from '../../infra/apps';
import { parseStackConfig } from '../../infra/config';
import { StackPreflightError } from '../../infra/errors';
import { DEFAULT_MAINTENANCE_WINDOW, renderMaintenanceWindow } from '../../infra/aks-maintenance';
import { principalTypeForLogin } from '../../infra/aks-access';
import { COMPATIBILITY, COMPATIBILITY_MATRIX, compareVersions, DYNAMO, GROVE, KAI_SCHEDULER, KUBERNETES_VERSION } from '../../infra/versions';
import { installMocks, projectConfig, readStackFile, Recorder, settle } from './harness';
import { AksCluster } from '../../infra/aks-cluster';

// The machine is shared: program runs take seconds each when the suite runs in parallel.
jest.setTimeout(120_000);

function dev(patch: (raw: Record<string, any>) => void): Record<string, any> {
  const raw = projectConfig(readStackFile('dev'));
  patch(raw);
  return raw;
}

/** The problem lines of a rejected config. */
function problems(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw, APPS, 'dev');
  } catch (e) {
    if (e instanceof StackPreflightError) {
      return e.problems.map(p => `${p.field}: ${p.message}${p.fix ? `; ${p.fix}` : ''}`);
    }
    throw e;
  }
  return [];
}

describe('the DNS prefix', () => {
  test('a cluster name with "_" (allowed for AKS names) is refused as the DNS prefix, with the fix', () => {
    expect(problems(dev(r => { r.azure.clusterName = 'grove_dev'; }))).toEqual([
      expect.stringMatching(/^cdk8s-grove:azure\.clusterName: is used as the DNS prefix, which must be 1-54 letters, digits or '-'.*got "grove_dev"; set dnsPrefix, or choose a cluster name without '_'/),
    ]);
  });

  test('an explicit dnsPrefix fixes it, and a bad one is named as such', () => {
    expect(problems(dev(r => { r.azure.clusterName = 'grove_dev'; r.azure.dnsPrefix = 'grove-dev'; }))).toEqual([]);
    expect(problems(dev(r => { r.azure.dnsPrefix = '-bad'; }))).toEqual([expect.stringMatching(/^cdk8s-grove:azure\.dnsPrefix: is used as the DNS prefix/)]);
    expect(problems(dev(r => { r.azure.dnsPrefix = 'a'.repeat(55); }))).toEqual([expect.stringMatching(/^cdk8s-grove:azure\.dnsPrefix:/)]);
  });
});

describe('the Kubernetes version', () => {
  test('defaults to the pinned one; one without an Ubuntu2204 image, or malformed, is refused', () => {
    expect(KUBERNETES_VERSION).toBe('1.33');
    expect(compareVersions(`v${KUBERNETES_VERSION}`, `v${COMPATIBILITY.maxKubernetesForUbuntu2204}`)).toBeLessThanOrEqual(0);
    expect(problems(dev(r => { r.azure.kubernetesVersion = '1.37'; }))).toEqual([expect.stringMatching(/kubernetesVersion: has no Ubuntu2204 node image/)]);
    expect(problems(dev(r => { r.azure.kubernetesVersion = 'latest'; }))).toEqual([expect.stringMatching(/kubernetesVersion: must be major\.minor/)]);
    expect(problems(dev(r => { r.azure.kubernetesVersion = '1.34.2'; }))).toEqual([]);
  });
});

describe('the deployer\'s rights', () => {
  test('turning off the role assignment needs a valid admin group', () => {
    expect(problems(dev(r => { r.azure.grantDeployerClusterAdmin = false; }))).toEqual([
      expect.stringMatching(/^cdk8s-grove:azure\.grantDeployerClusterAdmin: is false and no adminGroupObjectIds are given, so nobody can use the cluster/),
    ]);
    expect(problems(dev(r => { r.azure.grantDeployerClusterAdmin = false; r.azure.adminGroupObjectIds = ['platform-admins']; }))).toEqual([
      expect.stringMatching(/^cdk8s-grove:azure\.adminGroupObjectIds\[0\]: must be an Entra ID group object id \(a GUID\), got "platform-admins"/),
    ]);
    expect(problems(dev(r => { r.azure.grantDeployerClusterAdmin = false; r.azure.adminGroupObjectIds = ['0f9b3c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f']; }))).toEqual([]);
  });

  test('the principal type follows how Pulumi logs in (people: az CLI, device code; CI: the rest)', () => {
    expect(['azurecli', 'devicecode', 'spn', 'msi', 'workloadidentity'].map(principalTypeForLogin))
      .toEqual(['User', 'User', 'ServicePrincipal', 'ServicePrincipal', 'ServicePrincipal']);
  });

  test('with an admin group and no role assignment, the cluster gets the group and no RoleAssignment is made', async () => {
    const rec: Recorder = await installMocks('dev');
    new AksCluster('c', { location: 'x', resourceGroupName: 'rg', grantDeployerClusterAdmin: false, adminGroupObjectIds: ['0f9b3c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f'] });
    await settle();
    expect(rec.ofType('azure-native:authorization:RoleAssignment')).toEqual([]);
    expect(rec.named('c-aks').inputs.aadProfile.adminGroupObjectIDs).toEqual(['0f9b3c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f']);
    expect(rec.named('c-k8s').dependsOn).toEqual([]);
  });
});

describe('the maintenance window', () => {
  test('default: monthly, first Sunday, 00:00 UTC, 8 hours; intervalWeeks makes it weekly', () => {
    expect(renderMaintenanceWindow()).toEqual({
      schedule: { relativeMonthly: { dayOfWeek: 'Sunday', weekIndex: 'First', intervalMonths: 1 } },
      startTime: DEFAULT_MAINTENANCE_WINDOW.startTime, utcOffset: '+00:00', durationHours: 8,
    });
    expect(renderMaintenanceWindow({ intervalWeeks: 2, dayOfWeek: 'Saturday', startTime: '22:00', utcOffset: '+02:00', durationHours: 6 })).toEqual({
      schedule: { weekly: { dayOfWeek: 'Saturday', intervalWeeks: 2 } }, startTime: '22:00', utcOffset: '+02:00', durationHours: 6,
    });
  });

  test('bad windows are refused at config time, all problems at once', () => {
    expect(problems(dev(r => { r.azure.maintenanceWindow = { durationHours: 2, startTime: '25:00', intervalWeeks: 5, utcOffset: 'UTC' }; }))).toEqual([
      expect.stringMatching(/maintenanceWindow\.intervalWeeks: must be a whole number between 1 and 4, got 5/),
      expect.stringMatching(/maintenanceWindow\.durationHours: must be a whole number between 4 and 24, got 2/),
      expect.stringMatching(/maintenanceWindow\.startTime: must be HH:mm/),
      expect.stringMatching(/maintenanceWindow\.utcOffset: must be \+HH:mm or -HH:mm/),
    ]);
  });

  test('one configuration per auto-upgrade channel that is on; none when both are off', async () => {
    const rec: Recorder = await installMocks('dev');
    new AksCluster('both', { location: 'x', resourceGroupName: 'rg', upgradeChannel: 'patch' });
    new AksCluster('off', { location: 'x', resourceGroupName: 'rg2', nodeOsUpgradeChannel: 'None' });
    await settle();
    const configs = rec.ofType('azure-native:containerservice:MaintenanceConfiguration');
    expect(configs.map(c => [c.parent, c.inputs.configName])).toEqual([
      ['both', 'aksManagedNodeOSUpgradeSchedule'],
      ['both', 'aksManagedAutoUpgradeSchedule'],
    ]);
  });
});

describe('the version matrix', () => {
  test('every installed version meets what the others need of it', () => {
    expect(compareVersions(GROVE.version, COMPATIBILITY.minGroveForDynamo)).toBeGreaterThanOrEqual(0);
    expect(compareVersions(KAI_SCHEDULER.version, COMPATIBILITY.minKaiForDynamo)).toBeGreaterThanOrEqual(0);
    expect(COMPATIBILITY_MATRIX.map(r => r.component)).toEqual(['Grove', 'KAI scheduler', 'GPU Operator', 'Network Operator', 'Dynamo', 'AKS']);
    expect(COMPATIBILITY_MATRIX.find(r => r.component === 'Dynamo')?.installed).toBe(DYNAMO.version);
  });

  test('the example apps run the Dynamo runtime of the pinned Dynamo version', () => {
    const dist = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'dist', 'qwen3-disagg.k8s.yaml'), 'utf8') as string;
    const tags = [...dist.matchAll(/nvcr\.io\/nvidia\/ai-dynamo\/[a-z-]+-runtime:([\w.]+)/g)].map(m => m[1]);
    expect(tags.length).toBeGreaterThan(0);
    expect(new Set(tags)).toEqual(new Set([DYNAMO.version]));
  });
});

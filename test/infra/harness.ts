/**
 * The Pulumi mock harness of the infra tests: installs `pulumi.runtime.setMocks`, records every resource
 * registration (type, name, inputs, parent, explicit and input dependencies, provider) and answers the one
 * invoke the program makes (the AKS user kubeconfig). Deterministic: ids and outputs derive from names only.
 *
 * `setMocks` must run before a module that declares resources at import time (the program `infra/index.ts`) is
 * loaded: use `importProgram()`, which loads it in an isolated module registry after the mocks are in place.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';

/** The Pulumi project name (the config namespace). */
export const PROJECT = 'cdk8s-grove';
/** Directory of the program (Pulumi.yaml and the stack files). */
export const INFRA_DIR = path.resolve(__dirname, '..', '..', 'infra');

/** One registered resource, as the engine would have seen it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** True for custom resources (cloud/Kubernetes objects), false for components. */
  readonly custom: boolean;
  /** True for remote (multi-language) components such as `helm.v4.Chart` and `yaml.v2.ConfigGroup`. */
  readonly remote: boolean;
  readonly inputs: Record<string, any>;
  /** Name of the parent resource (undefined for children of the stack). */
  readonly parent?: string;
  /** Names of the resources in `dependsOn` (explicit dependencies, components expanded to their children). */
  readonly dependsOn: readonly string[];
  /** Names of the resources the inputs depend on. */
  readonly inputDependencies: readonly string[];
  /** Name of the provider resource, when one is set explicitly. */
  readonly provider?: string;
  /** The `ignoreChanges` option. */
  readonly ignoreChanges: readonly string[];
  /** The inputs as sent to the engine (secrets still wrapped in their envelopes). */
  readonly rawInputs: unknown;
}

/** The outputs of the stack's previous deployment, as the program's `StackReference` to itself reads them. */
let previousOutputs: Record<string, unknown> = {};

/** Sets what the program reads back as its previous deployment (`{}`: never deployed). */
export function setPreviousOutputs(outputs: Record<string, unknown>): void {
  previousOutputs = outputs;
}

/** The principal the mocked `getClientConfig` reports. */
export const FAKE_CLIENT = {
  clientId: '11111111-1111-1111-1111-111111111111',
  objectId: '22222222-2222-2222-2222-222222222222',
  subscriptionId: '33333333-3333-3333-3333-333333333333',
  tenantId: '00000000-0000-0000-0000-000000000000',
};

/** The signature key and value of a serialized secret (Pulumi's property serialization). */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/**
 * The paths in a serialized value where `needle` occurs in plaintext, i.e. outside any secret envelope (strings
 * that contain it, also inside JSON or base64 text).
 */
export function plaintextOccurrences(value: unknown, needle: string, at = '$'): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value) && (value as any)[SECRET_SIG_KEY] === SECRET_SIG) {
    return [];
  }
  if (typeof value === 'string') {
    const b64 = Buffer.from(needle, 'utf8').toString('base64');
    return value.includes(needle) || value.includes(b64) ? [at] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => plaintextOccurrences(v, needle, `${at}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...(k.includes(needle) ? [`${at}.<key>`] : []), ...plaintextOccurrences(v, needle, `${at}.${k}`)]);
  }
  return [];
}

/** A fake AKS user kubeconfig, as `listManagedClusterUserCredentials` returns it (exec with kubelogin device code). */
export const FAKE_AKS_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '  - name: aks',
  '    cluster: { server: "https://aks.example.invalid:443" }',
  'contexts:',
  '  - name: aks',
  '    context: { cluster: aks, user: clusterUser }',
  'current-context: aks',
  'users:',
  '  - name: clusterUser',
  '    user:',
  '      exec:',
  '        apiVersion: client.authentication.k8s.io/v1beta1',
  '        command: kubelogin',
  '        args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --environment, AzurePublicCloud, --tenant-id, 00000000-0000-0000-0000-000000000000]',
  '',
].join('\n');

function nameOfUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

/** The outputs a mocked resource reports: its inputs, plus the names Azure would assign. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return { ...inputs, name: inputs.resourceGroupName ?? name };
    case 'azure-native:containerservice:ManagedCluster':
      return { ...inputs, name: inputs.resourceName ?? name, oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.example.invalid/${name}/` } };
    case 'azure-native:containerservice:AgentPool':
      return { ...inputs, name: inputs.agentPoolName ?? name };
    case 'kubernetes:helm.sh/v3:Release':
      return { ...inputs, status: { status: 'deployed', version: inputs.version } };
    case 'pulumi:pulumi:StackReference':
      return { name: inputs.name, outputs: JSON.parse(JSON.stringify(previousOutputs)), secretOutputNames: [] };
    default:
      return { ...inputs };
  }
}

/** Records the resources of one program run. */
export class Recorder {
  public readonly resources: RecordedResource[] = [];
  public readonly calls: pulumi.runtime.MockCallArgs[] = [];
  /** Outputs registered for resources (the stack's outputs among them), as sent to the engine. */
  public readonly outputs: { urn: string; raw: unknown }[] = [];

  /** A copy of what is recorded now, unaffected by later runs. */
  public copy(): Recorder {
    const c = new Recorder();
    c.resources.push(...this.resources);
    c.calls.push(...this.calls);
    c.outputs.push(...this.outputs);
    return c;
  }

  /** Forgets everything recorded so far. */
  public reset(): void {
    this.resources.length = 0;
    this.calls.length = 0;
    this.outputs.length = 0;
  }

  /** All resources of a type token. */
  public ofType(type: string): RecordedResource[] {
    return this.resources.filter(r => r.type === type);
  }

  /** The resource with this name (throws when there is none or more than one). */
  public named(name: string): RecordedResource {
    const found = this.resources.filter(r => r.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one resource named ${name}, found ${found.length}: ${this.resources.map(r => r.name).join(', ')}`);
    }
    return found[0];
  }

  /** The resource graph, deterministic: sorted by name, with type, parent, explicit dependencies and provider. */
  public graph(): { type: string; name: string; parent?: string; dependsOn?: string[]; provider?: string }[] {
    return [...this.resources]
      .sort((a, b) => a.name.localeCompare(b.name, 'en'))
      .map(r => ({
        type: r.type,
        name: r.name,
        ...(r.parent === undefined ? {} : { parent: r.parent }),
        ...(r.dependsOn.length === 0 ? {} : { dependsOn: [...r.dependsOn].sort() }),
        ...(r.provider === undefined ? {} : { provider: r.provider }),
      }));
  }

  /**
   * True when `later` transitively depends on `earlier` (through explicit dependencies, input dependencies
   * or parents, the three ways the engine orders resources).
   */
  public dependsOnTransitively(later: string, earlier: string): boolean {
    const byName = new Map(this.resources.map(r => [r.name, r]));
    const seen = new Set<string>();
    const stack = [later];
    while (stack.length > 0) {
      const r = byName.get(stack.pop() as string);
      if (!r) {
        continue;
      }
      for (const d of [...r.dependsOn, ...r.inputDependencies, ...(r.parent ? [r.parent] : [])]) {
        if (d === earlier) {
          return true;
        }
        if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    return false;
  }
}

const recorder = new Recorder();
let installed = false;

/**
 * Installs the mocks for `project`/`stack` (once per test file; later calls only reset the recorder) and
 * wraps the mock monitor so parents and dependencies are recorded too.
 */
export async function installMocks(stack = 'dev', preview = false): Promise<Recorder> {
  recorder.reset();
  if (installed) {
    return recorder;
  }
  await pulumi.runtime.setMocks({
    newResource: (args: pulumi.runtime.MockResourceArgs) => ({
      id: args.custom === false ? undefined : `${args.name}-id`,
      state: mockState(args.type, args.name, args.inputs),
    }),
    call: (args: pulumi.runtime.MockCallArgs) => {
      recorder.calls.push(args);
      if (args.token === 'azure-native:authorization:getClientConfig') {
        return { ...FAKE_CLIENT };
      }
      if (args.token === 'azure-native:containerservice:listManagedClusterUserCredentials') {
        return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(FAKE_AKS_KUBECONFIG, 'utf8').toString('base64') }] };
      }
      throw new Error(`unexpected invoke ${args.token}`);
    },
  }, PROJECT, stack, preview, 'organization');

  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const all: string[] = req.getDependenciesList();
    const byProperty: string[] = [];
    req.getPropertydependenciesMap().forEach((deps: any) => byProperty.push(...deps.getUrnsList()));
    const inputDeps = new Set(byProperty);
    const provider: string = req.getProvider();
    const parent: string = req.getParent();
    register(req, (err: any, resp: any) => {
      if (!err) {
        recorder.resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: resp.getUrn(),
          custom: req.getCustom(),
          remote: req.getRemote(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject()),
          parent: parent ? nameOfUrn(parent) : undefined,
          dependsOn: [...new Set(all.filter(u => !inputDeps.has(u)).map(nameOfUrn))],
          inputDependencies: [...new Set([...inputDeps].map(nameOfUrn))],
          provider: provider ? nameOfUrn(provider.split('::').slice(0, -1).join('::')) : undefined,
          ignoreChanges: req.getIgnorechangesList(),
          rawInputs: req.getObject()?.toJavaScript(),
        });
      }
      callback(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: any) => {
    recorder.outputs.push({ urn: req.getUrn(), raw: req.getOutputs()?.toJavaScript() });
    registerOutputs(req, callback);
  };
  installed = true;
  return recorder;
}

/** Waits until every registration the program started has finished. */
export async function settle(): Promise<void> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Resolves an Output's value (mocks resolve every Output). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise(resolve => o.apply(v => {
    resolve(v);
    return v;
  }));
}

/** The `config:` map of a stack file (`infra/Pulumi.<stack>.yaml`), keys as written (`cdk8s-grove:mode`). */
export function readStackFile(stack: string): Record<string, unknown> {
  const doc = parseYaml(fs.readFileSync(path.join(INFRA_DIR, `Pulumi.${stack}.yaml`), 'utf8')) as { config?: Record<string, unknown> };
  return doc.config ?? {};
}

/** The config keys of this project, without the `cdk8s-grove:` prefix, as the program's parser receives them. */
export function projectConfig(config: Record<string, unknown>): Record<string, unknown> {
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(Object.entries(config)
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => [k.slice(prefix.length), structuredClone(v)]));
}

/**
 * Feeds a stack's config to the mocked runtime the way the Pulumi CLI does: every value a string, objects
 * and lists as JSON.
 */
export function setStackConfig(config: Record<string, unknown>, secrets: Record<string, unknown> = KNOWN_SECRETS): void {
  const all = { ...config, ...secrets };
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(all)
    .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])), Object.keys(secrets));
}

/** The Hugging Face token the tests set as a secret; it must never appear in plaintext in what the engine sees. */
export const KNOWN_HF_TOKEN = 'hf_KnownTestTokenThatMustStaySecret0123';
/** The secret config keys (full keys) every program test sets, as `pulumi config set --secret` would. */
export const KNOWN_SECRETS: Record<string, unknown> = { [`${PROJECT}:huggingFaceToken`]: KNOWN_HF_TOKEN };

/** What `loadStackSecrets` returns for `KNOWN_SECRETS`, for tests that call `runProgram` directly. */
export function testSecrets(): { huggingFaceToken: pulumi.Output<string>; secretKeys: string[] } {
  return { huggingFaceToken: pulumi.secret(KNOWN_HF_TOKEN), secretKeys: ['huggingFaceToken'] };
}

/**
 * Packages and library modules the program uses. `importProgram` hands the program the instances already loaded
 * here instead of loading them again: they hold no per-run state (Pulumi keeps its runtime state in a global), and
 * reloading them costs seconds per import. Only `infra/` itself is loaded afresh.
 */
const SHARED_MODULES = [
  '@pulumi/pulumi',
  '@pulumi/kubernetes',
  '@pulumi/azure-native/containerservice',
  '@pulumi/azure-native/resources',
  '@pulumi/azure-native/authorization',
  'cdk8s',
  'constructs',
  'yaml',
  'zod',
  path.resolve(__dirname, '..', '..', 'lib', 'errors'),
  path.resolve(__dirname, '..', '..', 'lib', 'catalog'),
  path.resolve(__dirname, '..', '..', 'lib', 'grove'),
  path.resolve(__dirname, '..', '..', 'imports', 'grove-topology-grove.io'),
  // The example apps of the registry (apps.ts), with the whole library they build on.
  path.resolve(__dirname, '..', '..', 'apps', 'llm'),
  // The resource classes the program declares. The SDKs load them lazily, on first use, which inside the isolated
  // registry means once per import (over a second in all).
  '@pulumi/kubernetes/provider',
  '@pulumi/kubernetes/core/v1/namespace',
  '@pulumi/kubernetes/helm/v3/release',
  '@pulumi/kubernetes/helm/v4/chart',
  '@pulumi/kubernetes/apiextensions/customResource',
  '@pulumi/kubernetes/yaml/v2/configGroup',
  '@pulumi/azure-native/resources/resourceGroup',
  '@pulumi/azure-native/containerservice/managedCluster',
  '@pulumi/azure-native/containerservice/agentPool',
  '@pulumi/azure-native/containerservice/listManagedClusterUserCredentials',
  '@pulumi/azure-native/containerservice/maintenanceConfiguration',
  '@pulumi/azure-native/authorization/roleAssignment',
  '@pulumi/azure-native/authorization/getClientConfig',
  '@pulumi/kubernetes/apiextensions/customResourcePatch',
  '@pulumi/kubernetes/apiextensions/v1/customResourceDefinition',
  '@pulumi/kubernetes/core/v1/secret',
  '@pulumi/kubernetes/core/v1/persistentVolumeClaim',
  path.resolve(__dirname, '..', '..', 'lib', 'admission'),
  path.resolve(__dirname, '..', '..', 'lib', 'cli', 'diff'),
];

/**
 * Loads the program (`infra/index.ts`) in a fresh module registry, so its top level runs now, against the
 * config and mocks already installed. `mockModules` replaces modules first (e.g. the app registry).
 */
export function importProgram(mockModules: Record<string, () => unknown> = {}): Record<string, any> {
  const shared = SHARED_MODULES.map(id => [id, require(id)] as const);
  let program: Record<string, any> = {};
  jest.isolateModules(() => {
    for (const [id, instance] of shared) {
      jest.doMock(id, () => instance);
    }
    for (const [modulePath, factory] of Object.entries(mockModules)) {
      jest.doMock(modulePath, factory);
    }
    program = require(path.join(INFRA_DIR, 'index'));
  });
  return program;
}

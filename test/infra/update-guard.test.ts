/**
 * Update safety at `pulumi preview`: a change Grove refuses (or one the program ignores) fails the program before
 * anything changes, with the message `cdk8s-grove diff` prints for the same change.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import * as cdk8s from 'cdk8s';
import { stringify } from 'yaml';
import { APPS } from '../../infra/apps';
import { parseStackConfig } from '../../infra/config';
import { StackPreflightError } from '../../infra/errors';
import { synthObjects } from '../../infra/grove-workloads';
import { checkUpdate, createOnlySettings, runProgram } from '../../infra/program';
import { DeployedRecord, groveObjects, ignoredChanges, previousDeployment, refusedGroveUpdates } from '../../infra/update-guard';
import { main } from '../../lib/cli/main';
import { installMocks, projectConfig, readStackFile, Recorder, setPreviousOutputs, settle, testSecrets } from './harness';

// The machine is shared: the program runs take seconds each when the suite runs in parallel.
jest.setTimeout(120_000);

/** A deep copy made in the test's realm (Pulumi's `output()` recognizes its arrays, unlike structuredClone's). */
function jsonClone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** How an Output ends: its value, or the error it failed with (every promise it holds is handled). */
function outcome(o: pulumi.Output<unknown>): Promise<unknown> {
  const any = o as any;
  for (const p of [any.isKnown, any.isSecret, any.allResources?.()]) {
    p?.catch?.(() => undefined);
  }
  return any.promise().then((v: unknown) => v, (e: unknown) => e);
}

/** The Grove objects of qwen3-disagg as the dev stack deploys it. */
function qwen3(): any[] {
  const app = new cdk8s.App();
  APPS['qwen3-disagg'](app, { stack: 'dev', gpuPools: [{ name: 'h100', vmSize: 'Standard_ND96isr_H100_v5', kaiNodePool: 'h100', rdmaResources: [] }], queues: [{ name: 'inference', nodePool: 'h100' }], topologyName: 'aks-gpu' });
  return jsonClone(groveObjects(synthObjects(app) as any[]));
}

/** The same objects with the first clique's minAvailable raised by one. */
function withMinAvailableChanged(objects: any[]): any[] {
  const next = jsonClone(objects);
  const clique = next.find(o => o.kind === 'PodCliqueSet').spec.template.cliques[0];
  clique.spec.minAvailable = (clique.spec.minAvailable ?? 1) + 1;
  clique.spec.replicas = Math.max(clique.spec.replicas ?? 1, clique.spec.minAvailable);
  return next;
}

/** The messages of the refused lines `cdk8s-grove diff OLD NEW` prints for two versions of the objects. */
function diffCommandRefusals(oldObjects: any[], newObjects: any[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-guard-'));
  try {
    fs.writeFileSync(path.join(dir, 'old.yaml'), oldObjects.map(o => stringify(o)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'new.yaml'), newObjects.map(o => stringify(o)).join('---\n'));
    let out = '';
    const status = main(['diff', path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml')], {
      cwd: dir, env: {}, readStdin: () => '', stdout: t => { out += t; }, stderr: () => undefined, writeFile: () => undefined,
    });
    expect(status).toBe(1);
    // `file:line  Kind/name  field  refused  message; fix: ...  [rule]`: the part from the object on
    return out.split('\n').filter(l => /  refused  /.test(l)).map(l => l.slice(l.indexOf('  ') + 2).replace(/; fix: .*$/, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('refusedGroveUpdates (the comparison with the previous deployment)', () => {
  test('changing a clique\'s minAvailable is refused with the message of cdk8s-grove diff', () => {
    const old = qwen3();
    const next = withMinAvailableChanged(old);
    const problems = refusedGroveUpdates({ apps: { 'qwen3-disagg': old }, createOnly: {} }, { 'qwen3-disagg': next });
    const expected = diffCommandRefusals(old, next);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.join('\n')).toMatch(/minAvailable/);
    expect(problems.length).toBe(expected.length);
    // the diff line is `Kind/name  field  refused  message`: the guard reports the same field and message
    problems.forEach((p, i) => {
      const [object, field, , message] = expected[i].split('  ');
      expect(p.constructPath).toBe(`qwen3-disagg:${object}`);
      expect(p.field).toBe(field);
      expect(p.message).toBe(`Grove refuses this update: ${message}`);
    });
  });

  const OTHER_CHANGES: [string, RegExp, (pcs: any) => void][] = [
    ['a clique\'s startsAfter', /startsAfter/, pcs => { pcs.spec.template.cliques[1].spec.startsAfter = [pcs.spec.template.cliques[0].name]; }],
    ['the clique set (a clique renamed)', /clique composition/, pcs => { pcs.spec.template.cliques[0].name = 'renamed'; }],
  ];
  test.each(OTHER_CHANGES)('changing %s is refused with the message of cdk8s-grove diff', (_what, pattern, change) => {
    const old = qwen3();
    const next = jsonClone(old);
    change(next.find(o => o.kind === 'PodCliqueSet'));
    const expected = diffCommandRefusals(old, next);
    expect(expected.join('\n')).toMatch(pattern);
    const problems = refusedGroveUpdates({ apps: { 'qwen3-disagg': old }, createOnly: {} }, { 'qwen3-disagg': next });
    expect(problems.map(p => `${p.constructPath.slice('qwen3-disagg:'.length)}  ${p.field}  refused  ${p.message.replace(/^Grove refuses this update: /, '')}`))
      .toEqual(expected);
  });

  test('an unchanged app, a new app and a first deployment pass', () => {
    const old = qwen3();
    expect(refusedGroveUpdates({ apps: { 'qwen3-disagg': old }, createOnly: {} }, { 'qwen3-disagg': qwen3() })).toEqual([]);
    expect(refusedGroveUpdates({ apps: {}, createOnly: {} }, { 'qwen3-disagg': withMinAvailableChanged(old) })).toEqual([]);
    expect(refusedGroveUpdates(undefined, { 'qwen3-disagg': withMinAvailableChanged(old) })).toEqual([]);
  });

  test('a rescale (replicas only) is not refused', () => {
    const old = qwen3();
    const next = jsonClone(old);
    next.find(o => o.kind === 'PodCliqueSet').spec.replicas = 2;
    expect(refusedGroveUpdates({ apps: { 'qwen3-disagg': old }, createOnly: {} }, { 'qwen3-disagg': next })).toEqual([]);
  });
});

describe('ignoredChanges (settings the program cannot change after creation)', () => {
  test('a changed system pool is reported with the old and new value and the fix', () => {
    const old = { 'azure.systemPool': { vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 3 } };
    const next = { 'azure.systemPool': { vmSize: 'Standard_D8ds_v5', minCount: 2, maxCount: 3 } };
    const [p, ...rest] = ignoredChanges({ apps: {}, createOnly: old }, next, 'Pulumi.dev.yaml');
    expect(rest).toEqual([]);
    expect(p.field).toBe('cdk8s-grove:azure.systemPool');
    expect(p.message).toMatch(/Standard_D4ds_v5.*Standard_D8ds_v5.*cannot apply it after the cluster is created/);
    expect(p.fix).toMatch(/az aks nodepool/);
    expect(ignoredChanges({ apps: {}, createOnly: old }, old, 'Pulumi.dev.yaml')).toEqual([]);
    expect(ignoredChanges(undefined, next, 'Pulumi.dev.yaml')).toEqual([]);
  });
});

describe('the program fails preview on a refused update, before the workloads are applied', () => {
  let rec: Recorder;
  beforeEach(async () => {
    rec = await installMocks('dev', true);
  });
  afterEach(() => setPreviousOutputs({}));

  const cfg = () => parseStackConfig({ ...projectConfig(readStackFile('dev')), apps: ['qwen3-disagg'] }, APPS, 'dev');

  test('minAvailable changed since the last up: the check fails with Grove\'s message', async () => {
    const deployed = runProgram(cfg(), APPS, 'dev', testSecrets()).deployed;
    await settle();
    const previous: DeployedRecord = { ...deployed, apps: { 'qwen3-disagg': withMinAvailableChanged(deployed.apps['qwen3-disagg'] as any[]) } };
    const error = await outcome(checkUpdate(cfg(), 'dev', deployed, pulumi.output(previous)));
    expect(error).toBeInstanceOf(StackPreflightError);
    expect((error as Error).message).toMatch(/^the update would fail or be ignored \(1 problem\):/);
    expect((error as Error).message).toMatch(/\[qwen3-disagg:PodCliqueSet\/qwen3\] spec\.template\.cliques\.spec\.minAvailable: Grove refuses this update: field is immutable/);
    // the same app, or no previous deployment: the check passes
    expect(await outcome(checkUpdate(cfg(), 'dev', deployed, pulumi.output(deployed)))).toBe(true);
    expect(await outcome(checkUpdate(cfg(), 'dev', deployed, pulumi.output(undefined)))).toBe(true);
  });

  test('the program reads its previous deployment from its own stack output `deployed`', async () => {
    const deployed = runProgram(cfg(), APPS, 'dev', testSecrets()).deployed;
    await settle();
    rec.reset();
    setPreviousOutputs({ deployed: { ...deployed, apps: { 'qwen3-disagg': withMinAvailableChanged(deployed.apps['qwen3-disagg'] as any[]) } } });
    const previous = await (previousDeployment() as any).promise();
    expect(previous.apps['qwen3-disagg'][0].spec.template.cliques[0].spec.minAvailable).toBe(2);
    expect(createOnlySettings(cfg(), 'dev')).toEqual({ 'azure.systemPool': { vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 3, zones: undefined } });
  });

  test('the workloads wait for the check: while it has not passed, everything but them is declared', async () => {
    // last in this file: the check never resolves, so later settles would wait for it
    runProgram(cfg(), APPS, 'dev', testSecrets(), pulumi.output(new Promise<DeployedRecord | undefined>(() => undefined)));
    // wait until everything else is registered (the last ones are the app services and the app component) ...
    const registered = (n: string) => rec.resources.some(r => r.name === n);
    for (let i = 0; i < 600 && !(registered('app-services-hf-inference') && registered('app-qwen3-disagg') && registered('kai-queue-inference')); i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    // ... and a little longer, in which the workloads would have been registered if they did not wait
    await new Promise(r => setTimeout(r, 1000));
    const names = rec.resources.map(r => r.name);
    expect(names).toEqual(expect.arrayContaining(['grove-chart', 'kai-ready', 'app-services-hf-inference', 'app-qwen3-disagg']));
    expect(names).not.toContain('app-qwen3-disagg-objects');
  });
});

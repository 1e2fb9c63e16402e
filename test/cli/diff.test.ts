/**
 * `cdk8s-grove diff OLD NEW`: refusals of Grove's UPDATE rules, pod replacement, rescaling, added and removed
 * objects; run as a child process against fixture versions and the example apps' dist/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { leafDiffs } from '../../lib/cli/diff';
import { CLI_TIMEOUT_MS, FIXTURES, ROOT, cli, cliProcess } from './support';

jest.setTimeout(CLI_TIMEOUT_MS);

const DIR = `${FIXTURES}/diff`;
const OLD = `${DIR}/old.yaml`;
const FIX = 'fix: Grove cannot change this in place: revert it, or delete the PodCliqueSet and create it again (all its pods stop)  [admission]';

/** The change lines of a text report. */
function changeLines(stdout: string): string[] {
  return stdout.split('\n\n')[0].split('\n').filter(l => /^\S+:\d+ {2}/.test(l));
}

describe('the example apps', () => {
  test('diff dist dist: no refusals, no changes', () => {
    const r = cliProcess(['diff', 'dist', 'dist']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^diff: no changes: 0 refused, 0 restart, 0 rescale, 0 update; 0 added, 0 removed, \d+ objects unchanged$/m);
  });

  test('diff dist against a copy with one more decode replica of the Llama-70B app only rescales', () => {
    const file = 'dist/llama-70b-multinode.k8s.yaml';
    if (!fs.existsSync(path.join(ROOT, file))) {
      // eslint-disable-next-line no-console
      console.warn(`[skipped] ${file} is not synthesized yet`);
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-diff-'));
    try {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const scaled = text.replace(/^(spec:\n {2}replicas: )1$/m, '$12');
      expect(scaled).not.toBe(text);
      fs.writeFileSync(path.join(dir, path.basename(file)), scaled);
      const r = cli(['diff', file, path.join(dir, path.basename(file))]);
      expect(r.status).toBe(0);
      expect(changeLines(r.stdout)).toEqual([expect.stringMatching(/ {2}spec\.replicas {2}rescale {2}PodCliqueSet replicas 1 -> 2: Grove creates replica 1, with its own gangs {2}\[rescale\]$/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('refused by Grove: exit 1', () => {
  test('a changed minAvailable', () => {
    const r = cliProcess(['diff', OLD, `${DIR}/minavailable.yaml`]);
    expect(r.status).toBe(1);
    expect(changeLines(r.stdout)).toEqual([
      `${DIR}/minavailable.yaml:54  PodCliqueSet/llm  spec.template.cliques.spec.minAvailable  refused  field is immutable (clique decode-wkr: 2 -> 1); ${FIX}`,
    ]);
    expect(r.stdout).toMatch(/^diff: the cluster would refuse this update: 1 refused, 0 restart, 0 rescale, 0 update; 0 added, 0 removed, 1 object unchanged$/m);
  });

  test('a changed startsAfter', () => {
    const r = cli(['diff', OLD, `${DIR}/startsafter.yaml`]);
    expect(r.status).toBe(1);
    expect(changeLines(r.stdout)).toEqual([
      `${DIR}/startsafter.yaml:28  PodCliqueSet/llm  spec.template.cliques.spec.startsAfter  refused  field is immutable (clique prefill: unset -> ["decode-ldr"]); ${FIX}`,
    ]);
  });

  test('a changed set of cliques', () => {
    const r = cli(['diff', OLD, `${DIR}/cliques.yaml`]);
    expect(r.status).toBe(1);
    const lines = changeLines(r.stdout);
    expect(lines[0]).toBe(`${DIR}/cliques.yaml:20  PodCliqueSet/llm  spec.template.cliques  refused  not allowed to change clique composition `
      + `(cliques prefill, decode-ldr, decode-wkr -> router, prefill, decode-ldr, decode-wkr; added router); ${FIX}`);
    expect(lines).toContain(`${DIR}/cliques.yaml:21  PodCliqueSet/llm  spec.template.cliques.name  refused  not allowed to change clique composition, `
      + `new clique name 'router' is not allowed (clique router is new); ${FIX}`);
    // Explicit startup order also pins the clique positions, which moved
    expect(lines.filter(l => l.includes('clique order cannot be changed'))).toHaveLength(3);
    expect(lines.every(l => l.includes('  refused  '))).toBe(true);
  });

  test('--format json', () => {
    const r = cli(['diff', OLD, `${DIR}/minavailable.yaml`, '--format', 'json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      command: 'diff',
      ok: false,
      summary: { refused: 1, restart: 0, rescale: 0, update: 0, added: 0, removed: 0, unchanged: 1 },
      findings: [{ change: 'refused', severity: 'error', file: `${DIR}/minavailable.yaml`, line: 54, objectLine: 10, object: 'PodCliqueSet/llm', field: 'spec.template.cliques.spec.minAvailable', rule: 'admission' }],
    });
  });
});

describe('accepted: exit 0', () => {
  test('replicas only rescale; added and removed objects are listed', () => {
    const r = cli(['diff', OLD, `${DIR}/replicas.yaml`]);
    expect(r.status).toBe(0);
    expect(changeLines(r.stdout)).toEqual([
      `${DIR}/replicas.yaml:2  Service/llm-frontend  -  added  new object  [added]`,
      `${DIR}/replicas.yaml:19  PodCliqueSet/llm  spec.replicas  rescale  PodCliqueSet replicas 1 -> 2: Grove creates replica 1, with its own gangs  [rescale]`,
      `${DIR}/replicas.yaml:29  PodCliqueSet/llm  spec.template.cliques[0].spec.replicas  rescale  clique prefill replicas 1 -> 2: used when Grove creates a PodClique; `
        + 'existing ones keep their live replicas (scale them with kubectl scale podclique llm-<replica>-prefill --replicas=2)  [rescale]',
      `${DIR}/replicas.yaml:69  PodCliqueSet/llm  spec.template.podCliqueScalingGroups[0].replicas  rescale  scaling group decode replicas 2 -> 3: used when Grove `
        + 'creates the scaling group; an existing one keeps its live replicas (scale it with kubectl scale podcliquescalinggroup llm-<replica>-decode --replicas=3)  [rescale]',
      `${OLD}:2  ConfigMap/llm-settings  -  removed  object removed; fix: it stays in the cluster until deleted (kubectl delete, or apply --prune / a GitOps sync with pruning)  [removed]`,
    ]);
    expect(r.stdout).toMatch(/^diff: the update is accepted without replacing pods: 0 refused, 0 restart, 3 rescale, 0 update; 1 added, 1 removed, 0 objects unchanged$/m);
  });

  test('pod-template changes replace pods under RollingRecreate; other changes do not; spelled-out defaults are no change', () => {
    const r = cli(['diff', OLD, `${DIR}/restart.yaml`]);
    expect(r.status).toBe(0);
    const rolling = 'update strategy RollingRecreate: Grove recreates them one PodCliqueSet replica at a time, one ready pod (or one scaling-group replica) at a time';
    expect(changeLines(r.stdout)).toEqual([
      `${DIR}/restart.yaml:20  PodCliqueSet/llm  spec.template.terminationDelay  update  changes without replacing pods: spec.template.terminationDelay "4h0m0s" -> "2h0m0s"  [update]`,
      `${DIR}/restart.yaml:25  PodCliqueSet/llm  spec.template.cliques[0].labels[app.kubernetes.io/version]  restart  pods of clique prefill are replaced: `
        + `labels[app.kubernetes.io/version] added ("1.3.1"); ${rolling}  [restart]`,
      `${DIR}/restart.yaml:63  PodCliqueSet/llm  spec.template.cliques[2].spec.podSpec.containers[0].image  restart  pods of clique decode-wkr are replaced: `
        + `spec.podSpec.containers[0].image "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0" -> "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.1"; ${rolling}  [restart]`,
    ]);
    expect(r.stdout).toMatch(/^diff: the update is accepted and changes pod templates: 0 refused, 2 restart, 0 rescale, 1 update;/m);
  });

  test('at --grove-api next, a set without updateStrategy is defaulted to Coherent (GREP-393) and said so', () => {
    const r = cli(['diff', OLD, `${DIR}/restart.yaml`, '--grove-api', 'next']);
    expect(r.status).toBe(0);
    const restarts = changeLines(r.stdout).filter(l => l.endsWith('[restart]'));
    expect(restarts).toHaveLength(2);
    for (const line of restarts) {
      expect(line).toContain('; update strategy Coherent: Grove rolls every component of a replica together');
      expect(line).not.toContain('RollingRecreate');
    }
  });

  test('under OnDelete, the new template waits until pods are deleted', () => {
    const r = cli(['diff', OLD, `${DIR}/restart-ondelete.yaml`]);
    expect(r.status).toBe(0);
    expect(changeLines(r.stdout)).toContain(`${DIR}/restart-ondelete.yaml:62  PodCliqueSet/llm  spec.template.cliques[2].spec.podSpec.containers[0].image  restart  `
      + 'pods of clique decode-wkr are replaced: spec.podSpec.containers[0].image "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0" -> "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.1"; '
      + 'update strategy OnDelete: Grove only records the new template; running pods keep the old one until you delete them; fix: delete the old pods when you want them replaced  [restart]');
  });

  test('folders are matched object by object, whatever the file names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-diff-'));
    try {
      const [configMap, pcs] = fs.readFileSync(path.join(ROOT, OLD), 'utf8').split('\n---\n');
      fs.writeFileSync(path.join(dir, 'a.yaml'), pcs);
      fs.writeFileSync(path.join(dir, 'b.yaml'), configMap);
      const r = cli(['diff', OLD, dir]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^diff: no changes: .* 2 objects unchanged$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('leafDiffs', () => {
  test('cliques are matched by name, other lists by index, dotted keys in brackets', () => {
    const a = { spec: { template: { cliques: [{ name: 'x', labels: { 'app.kubernetes.io/name': 'a' } }, { name: 'y', spec: { replicas: 1 } }] } } };
    const b = { spec: { template: { cliques: [{ name: 'y', spec: { replicas: 2 } }, { name: 'x', labels: { 'app.kubernetes.io/name': 'b' } }] } } };
    expect(leafDiffs(a, b, '')).toEqual([
      { path: 'spec.template.cliques[0].spec.replicas', old: 1, new: 2 },
      { path: 'spec.template.cliques[1].labels[app.kubernetes.io/name]', old: 'a', new: 'b' },
    ]);
    expect(leafDiffs({ args: ['a', 'b'] }, { args: ['a'] }, '')).toEqual([{ path: 'args[1]', old: 'b', new: undefined }]);
    expect(leafDiffs({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, '')).toEqual([]);
  });
});

describe('usage', () => {
  test.each([
    [['diff', OLD], /diff needs exactly two paths, OLD and NEW, got 1/],
    [['diff', '-', '-'], /only one of OLD and NEW can be - \(stdin\)/],
    [['diff', OLD, 'no/such.yaml'], /no such file or folder: no\/such\.yaml/],
  ])('%j is bad usage (exit 2)', (args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('--help and stdin for NEW', () => {
    const help = cli(['diff', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdk8s-grove diff \[options\] OLD NEW/);
    const piped = cli(['diff', OLD, '-'], { input: fs.readFileSync(path.join(ROOT, DIR, 'minavailable.yaml'), 'utf8') });
    expect(piped.status).toBe(1);
    expect(piped.stdout).toContain('<stdin>:54  PodCliqueSet/llm  spec.template.cliques.spec.minAvailable  refused');
  });
});

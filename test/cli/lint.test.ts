/**
 * `cdk8s-grove lint`, run as a child process against fixture files (clean and broken) and the example apps' dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLI_TIMEOUT_MS, FIXTURES, ROOT, cli, cliProcess, testWithCrds } from './support';

jest.setTimeout(CLI_TIMEOUT_MS);

const CLEAN = `${FIXTURES}/clean`;
const BROKEN = `${FIXTURES}/broken`;

/** KAI queues the example apps in dist/ schedule into; a cluster running them must define these. */

/** The finding lines of a text report (everything before the blank line and the summary). */
function findingLines(stdout: string): string[] {
  return stdout.split('\n\n')[0].split('\n').filter(l => /^\S+:\d+ {2}/.test(l));
}

describe('the example apps in dist/', () => {
  test('lint dist exits 0 (warnings only)', () => {
    // WHEN
    const r = cliProcess(['lint', 'dist']);
    // THEN
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // infos: the Dynamo reference reminders (Secrets, claims, the CRD the cluster must provide)
    expect(r.stdout).toMatch(/^lint: 0 errors, \d+ warnings?(, \d+ infos?)? in \d+ objects \(PodCliqueSet \d+\) from \d+ files/m);
    for (const line of findingLines(r.stdout)) {
      expect(line).toMatch(/ {2}(warning|info) {2}/);
    }
  });

  testWithCrds('lint dist with the pinned CRDs exits 0', crds => {
    const r = cli(['lint', 'dist', '--crds', crds, '--kai-queue', 'inference']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\[crd\]/);
  });

  test('the Llama-70B app names its KAI queue, which --strict requires to be declared', () => {
    const file = 'dist/llama-70b-multinode.k8s.yaml';
    if (!fs.existsSync(path.join(ROOT, file))) {
      // eslint-disable-next-line no-console
      console.warn(`[skipped] ${file} is not synthesized yet`);
      return;
    }
    const r = cli(['lint', file, '--strict']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/PodCliqueSet\/\S+ {2}metadata\.labels\[kai\.scheduler\/queue\] {2}warning {2}KAI queue "inference" is referenced/);
    expect(cli(['lint', file, '--strict', '--kai-queue', 'inference']).status).toBe(0);
  });
});

describe('clean fixtures', () => {
  test('exit 0 and count what was linted and passed over', () => {
    // GIVEN a folder with two files, a TAS constraint, a KAI Queue and a Service
    const r = cli(['lint', CLEAN, '--tas']);
    // THEN
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      'lint: 0 errors, 0 warnings in 3 objects (ClusterTopologyBinding 1, PodCliqueSet 2) from 2 files; 2 other objects passed over (Queue 1, Service 1)',
      'operator: schedulers default-scheduler, kai-scheduler (default default-scheduler), topology-aware scheduling on, auto-MNNVL off',
    ]);
  });

  testWithCrds('exit 0 against the pinned CRDs too', crds => {
    const r = cli(['lint', CLEAN, '--tas', '--crds', crds]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^lint: 0 errors, 0 warnings/);
  });

  test('without topology-aware scheduling, the topology constraints are refused', () => {
    // GIVEN the KAI queue, which the other clean file defines
    const r = cli(['lint', `${CLEAN}/topology.yaml`, '--kai-queue', 'inference']);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${CLEAN}/topology.yaml:29  PodCliqueSet/tas-demo  spec.template.cliques[0].topologyConstraint  error  topology constraints are not allowed when `
        + 'Topology Aware Scheduling is disabled; fix: remove the topologyConstraint, or lint with --tas if the operator has topology-aware scheduling enabled  [admission]',
      `${CLEAN}/topology.yaml:51  PodCliqueSet/tas-demo  spec.template.podCliqueScalingGroups[0].topologyConstraint  error  topology constraints are not allowed when `
        + 'Topology Aware Scheduling is disabled; fix: remove the topologyConstraint, or lint with --tas if the operator has topology-aware scheduling enabled  [admission]',
    ]);
  });

  test('reads stdin for -', () => {
    const text = fs.readFileSync(path.join(ROOT, CLEAN, 'llm-70b.yaml'), 'utf8');
    const r = cliProcess(['lint', '-'], { input: text });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^lint: 0 errors, 0 warnings in 1 object \(PodCliqueSet 1\) from 1 file; 2 other objects passed over \(Queue 1, Service 1\)$/m);
  });

  test('--format json', () => {
    const r = cli(['lint', CLEAN, '--tas', '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      command: 'lint',
      ok: true,
      summary: { files: 2, objects: 5, linted: { ClusterTopologyBinding: 1, PodCliqueSet: 2 }, passedOver: { Queue: 1, Service: 1 }, errors: 0, warnings: 0 },
      findings: [],
      operatorConfig: { topologyAwareScheduling: true },
    });
  });
});

describe('broken fixtures: one kind of finding each', () => {
  test('a startsAfter cycle: file, line, field and the cycle to break', () => {
    const r = cliProcess(['lint', `${BROKEN}/startsafter-cycle.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/startsafter-cycle.yaml:10  PodCliqueSet/cyclic  spec.template.cliques  error  clique must not have circular dependencies; `
        + 'fix: remove one startsAfter entry of the cycle prefill -> decode -> prefill (each clique starts after the next)  [admission]',
    ]);
  });

  test('a missing roleName: points at the clique and says what to add', () => {
    const r = cli(['lint', `${BROKEN}/missing-rolename.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toContain(
      `${BROKEN}/missing-rolename.yaml:18  PodCliqueSet/no-role  spec.template.cliques[1].spec.roleName  error  required field is missing; `
        + 'fix: add spec.roleName (e.g. roleName: worker); every clique needs one, unique within the PodCliqueSet  [admission]');
    // The API server accepts this object (the defaulting webhook's JSON round trip writes roleName: ""), so admission
    // no longer skips CEL with an info note; the finding comes from the written object checked against the pinned CRD.
    expect(r.stdout).toMatch(/^lint: 1 error, 0 warnings in 1 object/m);
  });

  test('a 46-character combined name: both fields, and by how much to shorten', () => {
    const r = cli(['lint', `${BROKEN}/name-too-long.yaml`]);
    expect(r.status).toBe(1);
    const lines = findingLines(r.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${BROKEN}/name-too-long\\.yaml:5  PodCliqueSet/llama-70b-disagg-h100  metadata\\.name  error  combined resource name length 46 exceeds 45-character limit`));
    expect(lines[1]).toMatch(new RegExp(`^${BROKEN}/name-too-long\\.yaml:10  PodCliqueSet/llama-70b-disagg-h100  spec\\.template\\.cliques\\[0\\]\\.name  error  combined resource name length 46`));
    for (const line of lines) {
      expect(line).toMatch(/; fix: shorten the PodCliqueSet, scaling group or clique name by at least 1 character; together they may have 45 {2}\[admission\]$/);
    }
  });

  test('a ClusterTopologyBinding referenced but absent', () => {
    const r = cli(['lint', `${BROKEN}/ctb-missing.yaml`, '--tas']);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/ctb-missing.yaml:21  PodCliqueSet/no-topology  spec.template.podCliqueScalingGroups[0].topologyConstraint.topologyName  error  `
        + 'ClusterTopologyBinding "gb200-racks" is referenced but not in the input; fix: add the ClusterTopologyBinding "gb200-racks" to the input '
        + '(lint it together with the file that defines it) or correct the name  [topology-ref]',
    ]);
  });

  test('a KAI queue referenced but not defined is a warning (an error with --strict); --kai-queue defines it', () => {
    const missing = cli(['lint', `${BROKEN}/kai-queue-missing.yaml`]);
    expect(missing.status).toBe(0);
    expect(findingLines(missing.stdout)).toEqual([
      `${BROKEN}/kai-queue-missing.yaml:7  PodCliqueSet/kai-app  metadata.labels[kai.scheduler/queue]  warning  KAI queue "research" is referenced (2 times) `
        + 'but not defined: no scheduling.run.ai Queue "research" in the input and no --kai-queue research; without it in the cluster KAI leaves the pods Pending; '
        + 'fix: make sure the queue exists in the cluster and say so with --kai-queue research, or add a scheduling.run.ai/v2 Queue named "research" to the input  [kai-queue]',
    ]);
    expect(cli(['lint', `${BROKEN}/kai-queue-missing.yaml`, '--strict']).status).toBe(1);
    const given = cli(['lint', `${BROKEN}/kai-queue-missing.yaml`, '--kai-queue', 'research']);
    expect(given.status).toBe(0);
  });

  test('a GPU clique without the GPU taint toleration', () => {
    const r = cli(['lint', `${BROKEN}/gpu-no-toleration.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/gpu-no-toleration.yaml:15  PodCliqueSet/untolerated  spec.template.cliques[0].spec.podSpec.tolerations  error  clique decode requests 8 GPUs `
        + 'per pod but does not tolerate the GPU node taint nvidia.com/gpu (NoSchedule); its pods stay Pending; fix: add the toleration '
        + '{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule} to the clique\'s podSpec.tolerations  [gpu-toleration]',
    ]);
  });

  test('unpinned images are warnings: exit 0, or 1 with --strict', () => {
    const r = cli(['lint', `${BROKEN}/image-latest.yaml`]);
    expect(r.status).toBe(0);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/image-latest.yaml:16  PodCliqueSet/unpinned  spec.template.cliques[0].spec.podSpec.initContainers[0].image  warning  image `
        + 'registry.example.com:5000/tools/fetcher is not tagged: pods may run different code after a restart or on another node; '
        + 'fix: pin the image by tag (repo:1.2.3) or digest (repo@sha256:...)  [image-tag]',
      `${BROKEN}/image-latest.yaml:18  PodCliqueSet/unpinned  spec.template.cliques[0].spec.podSpec.containers[0].image  warning  image `
        + 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:latest is tagged :latest: pods may run different code after a restart or on another node; '
        + 'fix: pin the image by tag (repo:1.2.3) or digest (repo@sha256:...)  [image-tag]',
    ]);
    expect(cli(['lint', `${BROKEN}/image-latest.yaml`, '--strict']).status).toBe(1);
  });

  test('secrets inlined into env values are warnings that never print the secret', () => {
    const r = cli(['lint', `${BROKEN}/inline-secret.yaml`, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('hf_FAKEfake');
    expect(r.stdout).not.toContain('dGhpcyBpcyBub3Q');
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: any) => [f.line, f.objectLine, f.field, f.severity, f.rule])).toEqual([
      [20, 2, 'spec.template.cliques[0].spec.podSpec.containers[0].env[0].value', 'warning', 'inline-secret'],
      [24, 2, 'spec.template.cliques[0].spec.podSpec.containers[0].env[2].value', 'warning', 'inline-secret'],
    ]);
    expect(report.findings[0].message).toBe('env HF_TOKEN holds a Hugging Face token (hf_...) inline (hf_F...); anyone who can read the manifest can use it');
    expect(report.findings[1].message).toMatch(/^env WANDB_API_KEY holds a long base64 string inline/);
    expect(report.findings[0].fix).toMatch(/valueFrom\.secretKeyRef/);
  });

  test('spec.replicas left at its default 0 is a warning', () => {
    const r = cli(['lint', `${BROKEN}/no-replicas.yaml`]);
    expect(r.status).toBe(0);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/no-replicas.yaml:6  PodCliqueSet/idle  spec  warning  spec.replicas is not set (Grove's default is 0): Grove creates no pods for this `
        + 'PodCliqueSet; fix: set spec.replicas to 1 or more  [replicas]',
    ]);
  });

  test('a restartPolicy other than Always is a warning (Grove ignores it)', () => {
    const r = cli(['lint', `${BROKEN}/restart-policy.yaml`]);
    expect(r.status).toBe(0);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/restart-policy.yaml:15  PodCliqueSet/batchy  spec.template.cliques[0].spec.podSpec.restartPolicy  warning  restartPolicy will be ignored, `
        + 'it will be set to Always (got OnFailure); fix: remove restartPolicy  [admission]',
    ]);
  });

  test('an object defined twice (here: stdin and a file) is a warning', () => {
    const file = `${CLEAN}/llm-70b.yaml`;
    const r = cli(['lint', '-', file], { input: fs.readFileSync(path.join(ROOT, file), 'utf8') });
    expect(r.status).toBe(0);
    expect(findingLines(r.stdout)).toEqual(['Queue/inference', 'Service/llm70b-frontend', 'PodCliqueSet/llm70b'].map((o, i) =>
      `${file}:${[7, 15, 27][i]}  ${o}  metadata.name  warning  defined twice: also at <stdin>:${[4, 12, 24][i]}; the later one replaces the earlier when applied; `
        + 'fix: keep one definition or rename one of them  [duplicate]'));
  });

  test('a YAML syntax error', () => {
    const r = cli(['lint', `${BROKEN}/invalid-yaml.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/invalid-yaml.yaml:8  -  -  error  YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; fix: correct the YAML syntax  [yaml]`,
    ]);
  });

  test('an invalid ClusterTopologyBinding', () => {
    const r = cli(['lint', `${BROKEN}/ctb-duplicate-level.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([
      `${BROKEN}/ctb-duplicate-level.yaml:9  ClusterTopologyBinding/dup-racks  spec.levels[1].domain  error  Duplicate value: "rack"; fix: make the value unique  [admission]`,
    ]);
  });

  test('auto-MNNVL: refused by a stock operator, accepted with --auto-mnnvl', () => {
    const r = cli(['lint', `${BROKEN}/mnnvl.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)[0]).toMatch(/:7  PodCliqueSet\/mnnvl-app  metadata\.annotations\.grove\.io\/mnnvl-group  error  MNNVL is not enabled/);
    expect(cli(['lint', `${BROKEN}/mnnvl.yaml`, '--auto-mnnvl']).status).toBe(0);
  });

  // admit() prunes an unknown field as the API server does; the structure check of the object as written reports it,
  // against the compiled CRDs of the API level by default, or the CRD files of --crds DIR.
  const unknownField = `${BROKEN}/unknown-field.yaml:14  PodCliqueSet/typo  spec.template.cliques[0].spec.minAvailble  error  unknown field "minAvailble": `
    + 'the CRD schema does not declare it; fix: remove it or correct its spelling; the API server would drop it silently  [crd]';

  test('an unknown field: the CRD structure check sees it, against the compiled CRDs without --crds', () => {
    const r = cli(['lint', `${BROKEN}/unknown-field.yaml`]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([unknownField]);
    expect(r.stdout).not.toMatch(/skipped/);
  });

  testWithCrds('an unknown field: --crds DIR checks against the CRD files instead, with the same finding', crds => {
    const r = cli(['lint', `${BROKEN}/unknown-field.yaml`, '--crds', crds]);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout)).toEqual([unknownField]);
  });

  test('the whole broken folder: every file reported, findings in file order', () => {
    const r = cli(['lint', BROKEN, '--format', 'json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    const files = [...new Set(report.findings.map((f: any) => path.basename(f.file)))];
    expect(files).toEqual([
      'ctb-duplicate-level.yaml', 'ctb-missing.yaml', 'gpu-no-toleration.yaml', 'image-latest.yaml', 'inline-secret.yaml', 'invalid-yaml.yaml',
      'kai-queue-missing.yaml', 'missing-rolename.yaml', 'mnnvl.yaml', 'name-too-long.yaml', 'no-replicas.yaml', 'restart-policy.yaml', 'startsafter-cycle.yaml',
      'unknown-field.yaml',
    ]);
    expect(new Set(report.findings.map((f: any) => f.rule))).toEqual(
      new Set(['admission', 'crd', 'topology-ref', 'gpu-toleration', 'image-tag', 'inline-secret', 'yaml', 'kai-queue', 'replicas']));
  });
});

describe('operator configuration', () => {
  test('--config file sets topology-aware scheduling and auto-MNNVL', () => {
    const r = cli(['lint', CLEAN, `${BROKEN}/mnnvl.yaml`, '--config', `${FIXTURES}/config/tas-mnnvl.yaml`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/topology-aware scheduling on, auto-MNNVL on/);
  });

  test('flags override the file', () => {
    const r = cli(['lint', `${CLEAN}/llm-70b.yaml`, '--config', `${FIXTURES}/config/tas-mnnvl.yaml`, '--scheduler', 'volcano']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/schedulers default-scheduler, volcano \(default default-scheduler\)/);
    expect(r.stdout).toMatch(/scheduler/);
  });

  test('an invalid config file is bad usage naming the key', () => {
    const r = cli(['lint', CLEAN, '--config', `${FIXTURES}/config/bad-key.yaml`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cdk8s-grove lint: ${FIXTURES}/config/bad-key.yaml: invalid operator configuration:`);
    expect(r.stderr).toContain('topologyAwareScheduling: Invalid input: expected boolean, received string');
    expect(r.stderr).toContain('schedulerProfiles[1]: Invalid option');
    expect(r.stderr).toMatch(/<root>: Unrecognized key: "tas"/);
  });
});

describe('usage', () => {
  test('--help', () => {
    const r = cli(['lint', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cdk8s-grove lint \[options\] PATH\.\.\./);
    for (const option of ['--format FORMAT', '--strict', '--kai-queue NAME', '--crds DIR', '--config FILE', '--scheduler NAME', '--default-scheduler NAME', '--tas', '--auto-mnnvl']) {
      expect(r.stdout).toContain(option);
    }
  });

  test.each([
    [['lint'], /lint needs at least one PATH/],
    [['lint', 'no/such/dir'], /no such file or folder: no\/such\/dir/],
    [['lint', CLEAN, '--format', 'xml'], /option --format must be one of text, json, sarif, got "xml"/],
    [['lint', CLEAN, '--strikt'], /unknown option --strikt, did you mean --strict\?/],
    [['lint', CLEAN, '--scheduler', 'slurm'], /option --scheduler must be one of default-scheduler, kai-scheduler, volcano, lpx-scheduler/],
    [['lint', CLEAN, '--default-scheduler', 'volcano'], /the default scheduler "volcano" is not an enabled scheduler/],
    [['lint', '--crds', 'no/such/dir', CLEAN], /no such CRD folder: no\/such\/dir/],
    [['lint', `${FIXTURES}/config`, '--crds', `${FIXTURES}/config`], /no CustomResourceDefinition in the YAML files of/],
  ])('%j is bad usage (exit 2)', (args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Run "cdk8s-grove lint --help" for usage\./);
  });
});

/**
 * `cdk8s-grove rollout OLD NEW`. Fixtures: test/cli/fixtures/rollout/ (GREP-393's worked example and case H, from
 * ai-dynamo/grove docs/proposals/393-coherent-rolling-updates/README.md; written from test/rollout/fixtures.ts).
 */
import { CLI_TIMEOUT_MS, FIXTURES, cli, cliProcess } from './support';

const DIR = `${FIXTURES}/rollout`;
const WORKED = [`${DIR}/grep-393-old.yaml`, `${DIR}/grep-393-new.yaml`];
const CASE_H = [`${DIR}/case-h-old.yaml`, `${DIR}/case-h-new.yaml`];

describe('rollout --grove-api next --format json', () => {
  test("GREP-393's worked example: three MPG steps rolling {3 frontend, 3 prefill, 6 decode}, then one TPG-only step with the leftover", () => {
    const r = cliProcess(['rollout', ...WORKED, '--grove-api', 'next', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ command: 'rollout', groveApi: 'next', ok: true });
    expect(out.podCliqueSets.map((p: any) => [p.name, p.strategy])).toEqual([['disagg-serving', 'Coherent']]);
    const steps = out.podCliqueSets[0].steps;
    expect(steps.map((s: any) => ({ kind: s.kind, target: s.target }))).toEqual([
      { kind: 'MPG', target: { frontend: 3, prefill: 3, decode: 6 } },
      { kind: 'MPG', target: { frontend: 3, prefill: 3, decode: 6 } },
      { kind: 'MPG', target: { frontend: 3, prefill: 3, decode: 6 } },
      { kind: 'TPG', target: { frontend: 1, prefill: 1, decode: 2 } },
    ]);
    expect(steps[0].subSteps.map((s: any) => s.take)).toEqual([{ frontend: 2, prefill: 3, decode: 3 }, { frontend: 1, decode: 3 }]);
    // pods down in 1.1: 2 frontend + 3 prefill replicas x 3 pods + 3 decode replicas x 3 pods
    expect(steps[0].subSteps[0].podsDown).toBe(20);
  }, CLI_TIMEOUT_MS);

  test('case H is refused: exit 1, no steps, the admission error names the field', () => {
    const r = cli(['rollout', ...CASE_H, '--grove-api', 'next', '--format', 'json']);
    expect(r.status).toBe(1);
    const pcs = JSON.parse(r.stdout).podCliqueSets[0];
    expect(pcs.steps).toEqual([]);
    expect(pcs.stalls[0]).toMatchObject({ kind: 'refused' });
    expect(pcs.stalls[0].message).toContain('cliques[0].rollingUpdate.maxUnavailable: must not be less than minAvailable (2)');
  });
});

describe('rollout text and mermaid', () => {
  test('text names each step, its sub-steps and the capacity on both versions', () => {
    const r = cli(['rollout', ...WORKED, '--grove-api', 'next']);
    expect(r.status).toBe(0);
    expect(r.lines).toContain('  step plan: MPGSteps 3, StepTarget {frontend 3, prefill 3, decode 6}, Leftover {frontend 1, prefill 1, decode 2}');
    expect(r.lines).toContain('    1.1  MPG-1 {frontend 2, prefill 3, decode 3}; down 20 pods, 0 GPUs; serving 7 old + 0 new units, 10 pods (0 GPUs) stranded');
    expect(r.lines).toContain('    4.1  into MPG-3: frontend 1; tail gangs: prefill 1, decode 2; down 10 pods, 0 GPUs; serving 0 old + 9 new units');
    expect(r.lines[r.lines.length - 1]).toBe('rollout: 1 PodCliqueSet, 4 steps (replica 0), Grove API next; every update runs to its end');
  });

  test('without --grove-api the pinned API runs RollingRecreate (Coherent does not exist there)', () => {
    const r = cli(['rollout', ...WORKED]);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('PodCliqueSet default/disagg-serving: RollingRecreate, 1 replica');
    expect(r.lines[r.lines.length - 1]).toContain('20 steps');
  });

  test('the case H text says REFUSED', () => {
    const r = cli(['rollout', ...CASE_H, '--grove-api', 'next']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/REFUSED: Grove refuses the update: spec\.template\.cliques\[0\]\.rollingUpdate\.maxUnavailable/);
  });

  test('mermaid: one flowchart, a subgraph per step, sub-steps chained in order', () => {
    const r = cli(['rollout', ...WORKED, '--grove-api', 'next', '--format', 'mermaid']);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('flowchart TD');
    expect(r.lines.filter(l => /^ {4}subgraph p0_s\d+/.test(l))).toHaveLength(4);
    expect(r.stdout).toContain('p0_before --> p0_1_1 --> p0_1_2 --> p0_2_1 --> p0_2_2 --> p0_3_1 --> p0_3_2 --> p0_4_1 --> p0_done');
  });

  test('with --cluster each sub-step says whether its new pods fit', () => {
    const r = cli(['rollout', ...WORKED, '--grove-api', 'next', '--cluster', `${DIR}/cluster-cpu.yaml`, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).podCliqueSets[0].steps.every((s: any) => s.fits === true)).toBe(true);
  });

  test('--pool builds pools as plan does: GPU nodes carry the nvidia.com/gpu taint the CPU-only pods do not tolerate', () => {
    const r = cli(['rollout', ...WORKED, '--grove-api', 'next', '--pool', 'Standard_ND96isr_H100_v5=1', '--format', 'json']);
    const pcs = JSON.parse(r.stdout).podCliqueSets[0];
    expect(pcs.steps.every((s: any) => s.fits === false)).toBe(true);
    expect(pcs.notes[0]).toContain('the old version does not fit on this cluster');
    expect(pcs.notes[0]).toContain('1 node(s) had untolerated taint {nvidia.com/gpu: present}');
    expect(pcs.steps[0].subSteps[0].unfitReason).toContain('untolerated taint {nvidia.com/gpu: present}');
  });

  test('--cluster and --pool together are refused; an unknown SKU is named', () => {
    const both = cli(['rollout', ...WORKED, '--cluster', `${DIR}/cluster-cpu.yaml`, '--pool', 'Standard_ND96isr_H100_v5=1']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give either --cluster FILE or --pool/--pools, not both');
    const unknown = cli(['rollout', ...WORKED, '--pool', 'Standard_X=1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown GPU node SKU "Standard_X"');
  });
});

describe('rollout usage', () => {
  test('needs exactly OLD and NEW', () => {
    const r = cli(['rollout', WORKED[0]]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('rollout needs exactly two paths, OLD and NEW, got 1');
  });

  test('--grove-api accepts pinned and next only, on every command', () => {
    expect(cli(['rollout', ...WORKED, '--grove-api', 'latest']).stderr).toContain('option --grove-api must be one of pinned, next, got "latest"');
    expect(cli(['lint', WORKED[1], '--grove-api', 'next']).status).toBe(0);
    expect(cli(['diff', ...WORKED, '--grove-api', 'next']).status).toBe(0);
    expect(cli(['rollout', '--help']).stdout).toContain('--grove-api LEVEL');
  });

  test('lint at the pinned level refuses the next-only Coherent strategy', () => {
    // No updateStrategy written: pinned admission prunes rollingUpdate and accepts; the structure check against the
    // compiled pinned CRDs (lint's default) reports every rollingUpdate as a field the pinned CRD does not declare.
    const r = cli(['lint', CASE_H[1], '--format', 'json']);
    expect(r.status).toBe(1);
    const findings = JSON.parse(r.stdout).findings as { field: string; rule: string }[];
    expect(findings.map(f => [f.rule, f.field])).toEqual([
      ['crd', 'spec.template.cliques[0].rollingUpdate'],
      ['crd', 'spec.template.podCliqueScalingGroups[0].rollingUpdate'],
      ['crd', 'spec.template.podCliqueScalingGroups[1].rollingUpdate'],
    ]);
    // At --grove-api next the compiled preview CRDs declare rollingUpdate: only GREP-393's case H rule is left.
    const next = JSON.parse(cli(['lint', CASE_H[1], '--format', 'json', '--grove-api', 'next']).stdout).findings as { field: string; rule: string }[];
    expect(next.map(f => [f.rule, f.field])).toEqual([['admission', 'spec.template.cliques[0].rollingUpdate.maxUnavailable']]);
    const coherent = cli(['lint', '-'], { input: 'apiVersion: grove.io/v1alpha1\nkind: PodCliqueSet\nmetadata: {name: x}\nspec:\n  replicas: 1\n  updateStrategy: {type: Coherent}\n  template:\n    cliques:\n    - name: a\n      spec: {roleName: a, replicas: 1, podSpec: {containers: [{name: a, image: a}]}}\n' });
    expect(coherent.status).toBe(1);
    expect(coherent.stdout).toContain('Coherent');
    expect(cli(['lint', '-', '--grove-api', 'next'], { input: 'apiVersion: grove.io/v1alpha1\nkind: PodCliqueSet\nmetadata: {name: x}\nspec:\n  replicas: 1\n  updateStrategy: {type: Coherent}\n  template:\n    cliques:\n    - name: a\n      spec: {roleName: a, replicas: 1, podSpec: {containers: [{name: a, image: a}]}}\n' }).status).toBe(0);
  });
});

describe('README "Rollouts"', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const { ROOT } = require('./support') as typeof import('./support');
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const shown = (command: string): string => {
    const start = readme.indexOf(`$ npx cdk8s-grove ${command}\n`);
    expect(start).toBeGreaterThan(0);
    const body = readme.slice(readme.indexOf('\n', start) + 1);
    return body.slice(0, body.indexOf('\n```'));
  };

  test('shows what the command prints for the Qwen3 example app updated to a new runtime image', () => {
    const next = fs.readFileSync(path.join(ROOT, 'dist', 'qwen3-disagg.k8s.yaml'), 'utf8').replace(/vllm-runtime:1\.3\.0/g, 'vllm-runtime:1.3.1');
    const r = cli(['rollout', 'dist/qwen3-disagg.k8s.yaml', '-'], { input: next });
    expect(`${shown('rollout dist/qwen3-disagg.k8s.yaml new.yaml')}\n`).toBe(r.stdout);
  });

  test("shows GREP-393's worked example as the command prints it (steps 2 and 3 elided)", () => {
    const r = cli(['rollout', ...WORKED, '--grove-api', 'next']);
    const lines = shown(`rollout ${WORKED.join(' ')} --grove-api next`).split('\n').filter(l => !l.includes('...'));
    for (const l of lines) expect(r.lines).toContain(l);
  });
});

/**
 * A rollout report for people (text) and as a picture (Mermaid flowchart). Pure.
 */
import { Counts, PodCliqueSetRollout, RolloutReport, Serving, SubStep } from './types';

const counts = (c: Counts): string => Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ');
const plural = (n: number, word: string): string => `${n} ${n === 1 ? word : `${word}s`}`;
const servingText = (s: Serving): string => `${s.old} old + ${s.new} new units${s.strandedPods > 0 ? `, ${plural(s.strandedPods, 'pod')} (${plural(s.strandedGpus, 'GPU')}) stranded` : ''}`;

/** What a sub-step creates, in GREP-393's words. */
export function describeSubStep(sub: SubStep, mpgIndex: number): string {
  const parts: string[] = [];
  if (sub.mpg) parts.push(`MPG-${mpgIndex} {${counts(sub.mpg)}}`);
  if (sub.subsumed) parts.push(`into MPG-${mpgIndex}: ${counts(sub.subsumed)}`);
  if (sub.tpgs) parts.push(`tail gangs: ${counts(sub.tpgs)}`);
  if (parts.length === 0) parts.push(`replace ${counts(sub.take)}`);
  return parts.join('; ');
}

/** MPG index (1-based) each step's gangs belong to: its own MVU gang, or the newest one for TPG-only steps. */
function mpgIndices(pcs: PodCliqueSetRollout): number[] {
  let last = 0;
  return pcs.steps.map(s => (s.kind === 'MPG' ? ++last : Math.max(last, 1)));
}

function componentText(pcs: PodCliqueSetRollout): string {
  return pcs.components.map(c => `${c.name} (${c.kind === 'clique' ? 'clique' : 'scaling group'} ${c.replicas}/${c.minAvailable}/${c.maxUnavailable}${c.inScope ? '' : ', unchanged'})`).join(', ');
}

/** The text report. */
export function formatRolloutText(report: RolloutReport): string {
  const lines: string[] = [];
  for (const pcs of report.podCliqueSets) {
    const indices = mpgIndices(pcs);
    lines.push(`PodCliqueSet ${pcs.namespace}/${pcs.name}: ${pcs.strategy}, ${plural(pcs.replicas, 'replica')}`
      + `${pcs.replicas > 1 ? ' (rolled one after the other, each with these steps)' : ''}`);
    lines.push(`  components (replicas/minAvailable/maxUnavailable): ${componentText(pcs)}`);
    if (pcs.stepPlan) {
      lines.push(`  step plan: MPGSteps ${pcs.stepPlan.mpgSteps}, StepTarget {${counts(pcs.stepPlan.stepTarget)}}, Leftover {${counts(pcs.stepPlan.leftover)}}`);
    }
    lines.push(`  before: ${servingText(pcs.before)}, a unit being {${counts(pcs.unit)}}`);
    pcs.steps.forEach((step, i) => {
      lines.push(`  step ${step.index} ${step.kind}: rolls ${counts(step.target)}${step.fits === false ? ' - DOES NOT FIT' : ''}`);
      for (const sub of step.subSteps) {
        lines.push(`    ${sub.id}  ${describeSubStep(sub, indices[i])}; down ${plural(sub.podsDown, 'pod')}, ${plural(sub.gpusDown, 'GPU')}; serving ${servingText(sub.serving)}`
          + `${sub.fits === undefined ? '' : sub.fits ? '; fits' : '; does not fit'}`);
      }
      lines.push(`    after: ${servingText(step.after)}`);
    });
    for (const s of pcs.stalls) {
      lines.push(`  ${s.kind === 'refused' ? 'REFUSED' : 'STALL'}${s.step === undefined ? '' : ` at step ${s.step}`}: ${s.message} (fix: ${s.fix})`);
    }
    for (const n of pcs.notes) lines.push(`  note: ${n}`);
  }
  const steps = report.podCliqueSets.reduce((n, p) => n + p.steps.length, 0);
  const stalled = report.podCliqueSets.filter(p => p.stalls.length > 0).length;
  lines.push(report.podCliqueSets.length === 0
    ? 'rollout: no PodCliqueSet replaces pods in this update'
    : `rollout: ${plural(report.podCliqueSets.length, 'PodCliqueSet')}, ${plural(steps, 'step')} (replica 0), Grove API ${report.groveApi}; `
      + `${report.ok ? 'every update runs to its end' : `${stalled} refused or stalling`}`);
  return `${lines.join('\n')}\n`;
}

/** The plan as a Mermaid flowchart: one chain of sub-steps per PodCliqueSet, stalls in red. */
export function formatRolloutMermaid(report: RolloutReport): string {
  const lines = ['flowchart TD'];
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  report.podCliqueSets.forEach((pcs, p) => {
    const indices = mpgIndices(pcs);
    lines.push(`  subgraph pcs${p}["${esc(`${pcs.name} (${pcs.strategy})`)}"]`);
    const ids: string[] = [`p${p}_before`];
    lines.push(`    p${p}_before(["before: ${esc(servingText(pcs.before))}"])`);
    pcs.steps.forEach((step, i) => {
      lines.push(`    subgraph p${p}_s${step.index}["step ${step.index} ${step.kind}: ${esc(counts(step.target))}"]`);
      for (const sub of step.subSteps) {
        const id = `p${p}_${sub.id.replace('.', '_')}`;
        ids.push(id);
        lines.push(`      ${id}["${esc(`${sub.id} ${describeSubStep(sub, indices[i])}`)}<br/>${esc(`down ${plural(sub.podsDown, 'pod')} / ${plural(sub.gpusDown, 'GPU')}, serving ${servingText(sub.serving)}`)}"]`);
        if (sub.fits === false) lines.push(`      style ${id} fill:#fdd,stroke:#c00`);
      }
      lines.push('    end');
    });
    pcs.stalls.forEach((s, k) => {
      const id = `p${p}_stall${k}`;
      ids.push(id);
      lines.push(`    ${id}{{"${esc(`${s.kind}: ${s.message}`)}"}}`);
      lines.push(`    style ${id} fill:#fdd,stroke:#c00`);
    });
    if (pcs.stalls.length === 0) {
      ids.push(`p${p}_done`);
      lines.push(`    p${p}_done(["done: ${esc(servingText(pcs.steps[pcs.steps.length - 1]?.after ?? pcs.before))}"])`);
    }
    lines.push('  end');
    if (ids.length > 1) lines.push(`  ${ids.join(' --> ')}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The text report of `cdk8s-grove plan`.
 */
import { formatFinding, plural } from './output';
import type { PlanReport, PoolNodes, StagePlan } from './plan';

/** The text report. */
export function formatPlanText(report: PlanReport): string {
  const lines: string[] = [];
  const nodeText = (nodes: readonly PoolNodes[]): string => (nodes.length === 0 ? '0 nodes' : nodes.map(n => `${n.nodes} ${n.pool === n.sku ? n.sku : `${n.sku} (pool ${n.pool})`}`).join(' + '));
  for (const f of report.problems) lines.push(formatFinding(f));
  if (report.problems.length > 0) lines.push('');
  for (const pcs of report.podCliqueSets) {
    lines.push(`PodCliqueSet ${pcs.name} (${pcs.file}:${pcs.line}): ${plural(pcs.replicas, 'replica')}`);
    const rows = pcs.gangs.map(g => [
      g.name, g.kind + (g.atTemplate ? '' : ' (autoscaled)'), String(g.pods), String(g.gpus),
      g.impossible === undefined ? nodeText(g.nodesNeeded) : `never fits: ${g.impossible}`,
    ]);
    lines.push(...table(['gang', 'kind', 'pods', 'GPUs', 'nodes needed on its own'], rows).map(l => `  ${l}`));
    if (pcs.gangs.length === 0) lines.push('  no gangs: spec.replicas is 0');
    for (const a of pcs.autoscalers) {
      const unit = a.target.startsWith('clique') ? 'pod' : 'scaled gang';
      const gpus = a.gpusEach === 0 ? 'no GPUs' : `${a.gpusEach} GPUs each`;
      lines.push(`  autoscaler: ${a.target} ${a.templateReplicas} -> ${a.maxReplicas} replicas: ${a.extraPlaced} of ${plural(a.extra, `extra ${unit}`)} fit (${gpus})`);
    }
    lines.push('');
  }
  lines.push(`pools: ${report.pools.map(p => `${p.pool === p.sku ? p.sku : `${p.pool} (${p.sku})`} ${plural(p.nodes, 'node')} x ${p.gpusPerNode} GPUs`).join(', ')}`);
  lines.push(`nodes needed: base gangs ${nodeText(report.nodesNeeded.baseGangs)}; template replicas ${nodeText(report.nodesNeeded.template)}; `
    + `autoscaler maximum ${nodeText(report.nodesNeeded.maximum)}`
    + `${report.nodesNeeded.neverFit.length === 0 ? '' : ` (leaving out ${report.nodesNeeded.neverFit.join(', ')}, which never fit${report.nodesNeeded.neverFit.length === 1 ? 's' : ''})`}`);
  const stageText = (name: string, s: StagePlan): string => {
    const used = s.pools.map(p => `${p.nodesUsed} of ${p.nodes} ${p.name === p.sku ? p.sku : `pool ${p.name}`} nodes`).join(', ');
    return s.fits
      ? `${name}: fit (${plural(s.placed.length, 'gang')} placed, ${s.gpusUsed} GPUs on ${used}; ${s.gpusStranded} GPUs stranded)`
      : `${name}: DO NOT FIT (${plural(s.placed.length, 'gang')} placed, ${s.gpusUsed} GPUs on ${used}; ${s.gpusStranded} GPUs stranded)`
        + `${s.unplaced.length === 0 ? ': an earlier stage does not fit' : `: ${s.unplaced.map(u => u.reason).join('; ')}`}`;
  };
  lines.push(stageText('base gangs', report.baseGangs));
  lines.push(stageText('template replicas', report.template));
  lines.push(stageText('autoscaler maximum', report.maximum));
  lines.push(report.ok ? 'plan: the base gangs fit' : `plan: ${report.problems.length > 0 ? 'some PodCliqueSets could not be read' : 'the base gangs do not fit'}`);
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
  const numeric = [false, false, true, true, false];
  return all.map(r => r.map((c, i) => (i === r.length - 1 ? c : numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}


/**
 * Pictures of a placement (`plan --format svg|mermaid`): the pools (each one InfiniBand domain where the SKU has
 * InfiniBand), their nodes (grouped by NVLink domain where it spans nodes), the pods placed on each node at the
 * template's replica counts (coloured by gang, shaded by role, with GPUs used of the node's), and the pods that
 * cannot be placed with the scheduler's reason. The SVG is self-contained: no scripts, links or external fonts.
 */
import type { PlanReport, PodPlacement } from './plan';
import { GPU, modelNodes, ModelNode, UnplacedGang } from '../cluster';

const NODE_W = 320;
const POD_H = 18;
const GAP = 12;
const FONT = 'font-family="DejaVu Sans, Arial, sans-serif"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A colour per gang (hue) and role (lightness), deterministic. */
function colours(placements: readonly PodPlacement[], unplaced: readonly UnplacedGang[]): (gang: string, clique: string) => string {
  const gangs = [...new Set([...placements.map(p => p.gang), ...unplaced.map(u => u.gang)])];
  const roles = [...new Set(placements.map(p => p.clique))];
  return (gang, clique) => {
    const h = (gangs.indexOf(gang) * 67) % 360;
    const l = 55 + (roles.indexOf(clique) % 4) * 8;
    return hslHex(h, 0.65, l / 100);
  };
}

/** An HSL colour as `#rrggbb`. */
function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): string => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** What the pictures draw: the template stage, and everything not placed by then. */
function scene(report: PlanReport): { nodes: ModelNode[]; byNode: Map<string, PodPlacement[]>; unplaced: UnplacedGang[] } {
  const nodes = modelNodes(report.cluster);
  const byNode = new Map<string, PodPlacement[]>(nodes.map(n => [n.name, []]));
  for (const p of report.template.placements) byNode.get(p.node)?.push(p);
  return { nodes, byNode, unplaced: [...report.baseGangs.unplaced, ...report.template.unplaced] };
}

/** The placement as a self-contained SVG. */
export function placementSvg(report: PlanReport): string {
  const { nodes, byNode, unplaced } = scene(report);
  const colour = colours(report.template.placements, unplaced);
  const parts: string[] = [];
  let y = GAP;
  const perRow = 4;
  let width = GAP * 2 + perRow * (NODE_W + GAP);
  parts.push(`<text x="${GAP}" y="${y + 14}" font-size="16" font-weight="bold" ${FONT}>cdk8s-grove plan: ${esc(report.template.fits ? 'template replicas placed' : 'template replicas NOT all placed')}</text>`);
  y += 30;
  for (const pool of report.cluster.pools) {
    const mine = nodes.filter(n => n.pool === pool.name);
    const podRows = Math.max(1, ...mine.map(n => (byNode.get(n.name) ?? []).length));
    const nodeH = 58 + podRows * POD_H;
    const rows = Math.max(1, Math.ceil(mine.length / perRow));
    const poolH = 40 + rows * (nodeH + GAP);
    const ib = pool.infiniband === true ? 'one InfiniBand domain' : 'no InfiniBand';
    const nv = (pool.nvlinkNodes ?? 1) > 1 ? `NVLink domains of ${pool.nvlinkNodes} nodes` : 'NVLink inside each node';
    parts.push(`<g data-pool="${esc(pool.name)}">`);
    parts.push(`<rect x="${GAP}" y="${y}" width="${width - 2 * GAP}" height="${poolH}" rx="8" fill="#f4f6f8" stroke="#4a5568" stroke-width="2"/>`);
    parts.push(`<text x="${GAP * 2}" y="${y + 22}" font-size="14" font-weight="bold" ${FONT}>pool ${esc(pool.name)} (${esc(pool.sku ?? 'no SKU')}): ${mine.length} node(s), ${ib}, ${nv}</text>`);
    mine.forEach((n, i) => {
      const nx = GAP * 2 + (i % perRow) * (NODE_W + GAP);
      const ny = y + 36 + Math.floor(i / perRow) * (nodeH + GAP);
      const pods = byNode.get(n.name) ?? [];
      const gpus = n.allocatable[GPU] ?? 0;
      const used = pods.reduce((s, p) => s + p.gpus, 0);
      parts.push(`<g data-node="${esc(n.name)}" data-nvlink="${esc(n.nvlinkDomain)}">`);
      parts.push(`<rect x="${nx}" y="${ny}" width="${NODE_W}" height="${nodeH}" rx="6" fill="#ffffff" stroke="#718096"/>`);
      parts.push(`<text x="${nx + 8}" y="${ny + 16}" font-size="12" font-weight="bold" ${FONT}>${esc(n.name)}: ${used}/${gpus} GPUs</text>`);
      // GPU slots, coloured by the pod holding them
      let slot = 0;
      const cell = gpus > 0 ? Math.min(28, (NODE_W - 16) / gpus) : 0;
      for (const p of pods) {
        for (let k = 0; k < p.gpus && slot < gpus; k++, slot++) {
          parts.push(`<rect x="${nx + 8 + slot * cell}" y="${ny + 24}" width="${cell - 2}" height="14" fill="${colour(p.gang, p.clique)}" stroke="#2d3748" stroke-width="0.5"><title>${esc(p.pod)}</title></rect>`);
        }
      }
      for (; slot < gpus; slot++) {
        parts.push(`<rect x="${nx + 8 + slot * cell}" y="${ny + 24}" width="${cell - 2}" height="14" fill="#e2e8f0" stroke="#a0aec0" stroke-width="0.5"/>`);
      }
      pods.forEach((p, k) => {
        const py = ny + 46 + k * POD_H;
        parts.push(`<g data-pod="${esc(p.pod)}" data-on="${esc(n.name)}">`);
        parts.push(`<rect x="${nx + 8}" y="${py}" width="${NODE_W - 16}" height="${POD_H - 3}" rx="3" fill="${colour(p.gang, p.clique)}"/>`);
        parts.push(`<text x="${nx + 12}" y="${py + 11}" font-size="9" ${FONT}>${esc(shorten(p.pod, 40))} (${p.gpus} GPU)</text>`);
        parts.push('</g>');
      });
      parts.push('</g>');
    });
    parts.push('</g>');
    y += poolH + GAP;
  }
  if (unplaced.length > 0) {
    parts.push(`<text x="${GAP}" y="${y + 14}" font-size="14" font-weight="bold" fill="#c53030" ${FONT}>not placed</text>`);
    y += 24;
    for (const u of unplaced) {
      const lines = wrap(`${u.gang} (${u.pods} pod(s), ${u.gpus} GPUs): ${u.pendingPod ? `pod ${u.pendingPod.name}: ${u.pendingPod.message}` : u.reason}`, 150);
      parts.push(`<g data-unplaced="${esc(u.gang)}">`);
      parts.push(`<rect x="${GAP}" y="${y}" width="${width - 2 * GAP}" height="${lines.length * 14 + 8}" rx="4" fill="#fff5f5" stroke="${colour(u.gang, '')}" stroke-width="2"/>`);
      lines.forEach((l, k) => parts.push(`<text x="${GAP * 2}" y="${y + 16 + k * 14}" font-size="11" ${FONT}>${esc(l)}</text>`));
      parts.push('</g>');
      y += lines.length * 14 + 16;
    }
  }
  width = Math.max(width, 400);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + GAP}" viewBox="0 0 ${width} ${y + GAP}">\n${parts.join('\n')}\n</svg>\n`;
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}

function wrap(s: string, n: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(' ')) {
    if (line !== '' && line.length + w.length + 1 > n) {
      out.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(line);
  return out;
}

function id(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The placement as a Mermaid flowchart: pools contain nodes, nodes contain pods. */
export function placementMermaid(report: PlanReport): string {
  const { nodes, byNode, unplaced } = scene(report);
  const colour = colours(report.template.placements, unplaced);
  const lines = ['flowchart TB'];
  const classes = new Map<string, string>();
  for (const pool of report.cluster.pools) {
    lines.push(`  subgraph pool_${id(pool.name)}["pool ${pool.name} (${pool.sku ?? 'no SKU'})${pool.infiniband ? ', one InfiniBand domain' : ''}"]`);
    for (const n of nodes.filter(x => x.pool === pool.name)) {
      const pods = byNode.get(n.name) ?? [];
      const used = pods.reduce((s, p) => s + p.gpus, 0);
      lines.push(`    subgraph node_${id(n.name)}["${n.name}: ${used}/${n.allocatable[GPU] ?? 0} GPUs"]`);
      if (pods.length === 0) lines.push(`      empty_${id(n.name)}["(no pods)"]`);
      for (const p of pods) {
        const cls = `g${id(p.gang)}_${id(p.clique)}`;
        classes.set(cls, colour(p.gang, p.clique));
        lines.push(`      pod_${id(p.pod)}["${p.pod} (${p.gpus} GPU)"]:::${cls}`);
      }
      lines.push('    end');
    }
    lines.push('  end');
  }
  if (unplaced.length > 0) {
    lines.push('  subgraph unplaced["not placed"]');
    for (const u of unplaced) {
      const why = (u.pendingPod ? `pod ${u.pendingPod.name}: ${u.pendingPod.message}` : u.reason).replace(/"/g, "'");
      lines.push(`    un_${id(u.gang)}["${u.gang}: ${why}"]:::unplaced`);
    }
    lines.push('  end');
    classes.set('unplaced', '#fed7d7');
  }
  for (const [cls, fill] of classes) lines.push(`  classDef ${cls} fill:${fill},stroke:#2d3748`);
  return `${lines.join('\n')}\n`;
}

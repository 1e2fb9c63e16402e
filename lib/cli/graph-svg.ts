/**
 * A self-contained SVG picture of PodCliqueSets, laid out here without any library: no scripts, no external fonts
 * or links, and the same input always gives the same bytes.
 *
 * Layout of one PodCliqueSet: a title, then the base-gang frame holding one band for the standalone cliques and one
 * band per scaling group. Inside a band, cliques stand in columns by startup rank (a clique is one column right of
 * the latest clique it waits for), so startup arrows run left to right; bands never overlap because they are stacked.
 * Scaled gangs are a card stack right of their scaling group's band. Text is monospace, so widths are computed from
 * character counts.
 */
import { GraphClique, GraphModel, baseReplicasText, cycleEdges, floorText, groupText, podsText, titleText } from './graph-model';

const FONT = 12;
/** Advance width of a monospace character at FONT px, with a little room for wider fallback fonts. */
const CHAR = 7.4;
const LINE = 16;
const BOX_PAD = 8;
const MIN_BOX = 150;
const COL_GAP = 60;
const BAND_LABEL = 24;
const BAND_PAD = 10;
const BAND_GAP = 12;
const STACK_GAP = 12;
const FRAME_PAD = 12;
const FRAME_LABEL = 24;
const MARGIN = 16;
const HEADER = 50;
const CARD_GAP = 56;
const PANEL_GAP = 28;
/** Depth of the arc a backward (cycle) arrow makes below the boxes. */
const LOOP_DEPTH = 30;

/** A rectangle. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A clique's box and its text lines. */
export interface CliqueBox extends Box {
  readonly name: string;
  readonly lines: readonly string[];
  readonly gpu: boolean;
}

/** A band: the standalone cliques, or one scaling group. */
export interface BandBox extends Box {
  readonly label: string;
  /** Scaling group name, undefined for the standalone band. */
  readonly scalingGroup?: string;
}

/** A stack of scaled-gang cards. */
export interface CardBox extends Box {
  readonly lines: readonly string[];
  /** Cards drawn behind (0 for a single gang). */
  readonly shadows: number;
  /** The band the card belongs to. */
  readonly band: BandBox;
}

/** A startup arrow. */
export interface EdgePath {
  readonly from: string;
  readonly to: string;
  readonly d: string;
  readonly cycle: boolean;
}

/** One PodCliqueSet's picture. */
export interface PanelLayout extends Box {
  readonly title: string;
  readonly legend: string;
  readonly frame: Box;
  readonly frameLabel: string;
  readonly bands: readonly BandBox[];
  readonly cliques: readonly CliqueBox[];
  readonly cards: readonly CardBox[];
  readonly edges: readonly EdgePath[];
}

/** The whole picture. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly panels: readonly PanelLayout[];
}

/** Width of a text line. */
export function textWidth(text: string, size: number = FONT): number {
  return text.length * CHAR * (size / FONT);
}

function cliqueLines(c: GraphClique): string[] {
  return [c.name, `role ${c.roleName || '-'}`, podsText(c), floorText(c)];
}

/** Lays out PodCliqueSets one below the other. */
export function layoutGraph(models: readonly GraphModel[]): GraphLayout {
  const panels: PanelLayout[] = [];
  let y = MARGIN;
  for (const m of models) {
    const panel = layoutPanel(m, MARGIN, y);
    panels.push(panel);
    y = panel.y + panel.h + PANEL_GAP;
  }
  const width = Math.ceil(Math.max(320, ...panels.map(p => p.x + p.w)) + MARGIN);
  const height = Math.ceil((panels.length === 0 ? MARGIN : y - PANEL_GAP) + MARGIN);
  return { width, height, panels };
}

function layoutPanel(m: GraphModel, x: number, y: number): PanelLayout {
  const title = titleText(m);
  const legend = 'arrows: starts before | green: GPU pods | blue: CPU pods | dashed cards: scaled gangs';
  const colWidth = Math.max(MIN_BOX, ...m.cliques.map(c => Math.max(...cliqueLines(c).map(l => textWidth(l))) + 2 * BOX_PAD));
  const boxHeight = 4 * LINE + 2 * BOX_PAD;
  const columns = Math.max(1, ...m.cliques.map(c => c.rank + 1));
  const frameX = x;
  const frameY = y + HEADER;
  const bandX = frameX + FRAME_PAD;

  const standalone = m.cliques.filter(c => c.scalingGroup === undefined);
  const bandSpecs: { label: string; scalingGroup?: string; members: readonly GraphClique[] }[] = [];
  if (standalone.length > 0) bandSpecs.push({ label: 'standalone cliques', members: standalone });
  for (const g of m.scalingGroups) {
    bandSpecs.push({ label: `${groupText(g)} (${baseReplicasText(g)})`, scalingGroup: g.name, members: m.cliques.filter(c => c.scalingGroup === g.name) });
  }
  const frameLabel = `base gang ${m.baseGang} (one per PodCliqueSet replica)`;
  const columnsWidth = 2 * BAND_PAD + columns * colWidth + (columns - 1) * COL_GAP;
  const bandWidth = Math.max(columnsWidth, ...bandSpecs.map(b => textWidth(b.label) + 2 * BAND_PAD), textWidth(frameLabel));

  const rankOf = new Map(m.cliques.map(c => [c.name, c.rank]));
  const isBackward = (e: { from: string; to: string }): boolean => (rankOf.get(e.to) ?? 0) <= (rankOf.get(e.from) ?? 0);
  const loopTargets = new Set(m.edges.filter(isBackward).flatMap(e => [e.from, e.to]));
  const bands: BandBox[] = [];
  const cliques: CliqueBox[] = [];
  let by = frameY + FRAME_LABEL;
  for (const spec of bandSpecs) {
    const stacks = new Map<number, number>();
    for (const c of spec.members) {
      const row = stacks.get(c.rank) ?? 0;
      stacks.set(c.rank, row + 1);
      cliques.push({
        name: c.name,
        x: bandX + BAND_PAD + c.rank * (colWidth + COL_GAP),
        y: by + BAND_LABEL + row * (boxHeight + STACK_GAP),
        w: colWidth,
        h: boxHeight,
        lines: cliqueLines(c),
        gpu: c.gpusPerPod > 0,
      });
    }
    const rows = Math.max(0, ...stacks.values());
    const loops = spec.members.some(c => loopTargets.has(c.name)) ? LOOP_DEPTH : 0;
    const h = BAND_LABEL + rows * boxHeight + Math.max(0, rows - 1) * STACK_GAP + BAND_PAD + loops;
    bands.push({ x: bandX, y: by, w: bandWidth, h, label: spec.label, ...(spec.scalingGroup === undefined ? {} : { scalingGroup: spec.scalingGroup }) });
    by += h + BAND_GAP;
  }
  const frame: Box = { x: frameX, y: frameY, w: bandWidth + 2 * FRAME_PAD, h: Math.max(by - BAND_GAP, frameY + FRAME_LABEL) - frameY + FRAME_PAD };

  const cards: CardBox[] = [];
  const cardX = frame.x + frame.w + CARD_GAP;
  for (const g of m.scalingGroups.filter(s => s.maxScaledGangs > 0)) {
    const band = bands.find(b => b.scalingGroup === g.name) as BandBox;
    const shown = g.scaledGangs.slice(0, 3);
    const lines = [
      `scaled gangs of ${g.name}`,
      ...(shown.length === 0 ? ['none at the template replicas'] : shown),
      ...(g.scaledGangs.length > shown.length ? [`... ${g.scaledGangs.length - shown.length} more`] : []),
      `${g.scaledGangs.length} now${g.maxScaledGangs > g.scaledGangs.length ? `, up to ${g.maxScaledGangs} with HPA` : ''}, per PCS replica`,
    ];
    const w = Math.max(...lines.map(l => textWidth(l))) + 2 * BOX_PAD;
    cards.push({ x: cardX, y: band.y + 6, w, h: lines.length * LINE + 2 * BOX_PAD, lines, shadows: Math.min(2, Math.max(0, g.maxScaledGangs - 1)), band });
  }

  const onCycle = cycleEdges(m);
  const boxOf = new Map(cliques.map(c => [c.name, c]));
  const edges: EdgePath[] = m.edges.map(e => {
    const a = boxOf.get(e.from) as CliqueBox;
    const b = boxOf.get(e.to) as CliqueBox;
    if (isBackward(e)) {
      // A cycle sends an arrow back: an arc below both boxes, from the bottom of one to the bottom of the other.
      const x1 = a.x + a.w / 2 + 10;
      const x2 = b.x + b.w / 2 - 10;
      const bottom = Math.max(a.y + a.h, b.y + b.h) + LOOP_DEPTH - 4;
      return {
        from: e.from, to: e.to, cycle: onCycle.has(`${e.from}>${e.to}`),
        d: `M ${n(x1)} ${n(a.y + a.h)} C ${n(x1)} ${n(bottom)}, ${n(x2)} ${n(bottom)}, ${n(x2)} ${n(b.y + b.h)}`,
      };
    }
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    return { from: e.from, to: e.to, d: `M ${n(x1)} ${n(y1)} C ${n(x1 + bend)} ${n(y1)}, ${n(x2 - bend)} ${n(y2)}, ${n(x2)} ${n(y2)}`, cycle: onCycle.has(`${e.from}>${e.to}`) };
  });

  const right = Math.max(frame.x + frame.w, ...cards.map(c => c.x + c.w + 8), x + textWidth(title, 14), x + textWidth(legend, 11));
  const bottom = Math.max(frame.y + frame.h, ...cards.map(c => c.y + c.h + 8));
  return { x, y, w: right - x, h: bottom - y, title, legend, frame, frameLabel, bands, cliques, cards, edges };
}

/** Renders PodCliqueSets as one SVG document. */
export function graphSvg(models: GraphModel | readonly GraphModel[]): string {
  const list = Array.isArray(models) ? models as readonly GraphModel[] : [models as GraphModel];
  const layout = layoutGraph(list);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" `
    + `font-family="monospace" font-size="${FONT}">`);
  out.push(`<title>${xml(list.map(m => `PodCliqueSet ${m.name}`).join(', '))}</title>`);
  out.push('<style>'
    + '.title{font-size:14px;font-weight:bold;fill:#1b1b1b}.legend{font-size:11px;fill:#555}.label{fill:#333}'
    + '.name{font-weight:bold}.frame{fill:none;stroke:#555;stroke-dasharray:6 4}'
    + '.band{fill:#f5f5f5;stroke:#9e9e9e}.band.group{fill:#ede7f6;stroke:#5e35b1}'
    + '.clique rect{stroke-width:1.5}.clique.gpu rect{fill:#e8f5e9;stroke:#2e7d32}.clique.cpu rect{fill:#e3f2fd;stroke:#1565c0}'
    + '.card{fill:#fff8e1;stroke:#f9a825;stroke-dasharray:4 3}.link{fill:none;stroke:#f9a825;stroke-dasharray:4 3}'
    + '.edge{fill:none;stroke:#424242;stroke-width:1.5}.edge.cycle{stroke:#c62828;stroke-width:2}'
    + '</style>');
  out.push('<defs>'
    + '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#424242"/></marker>'
    + '<marker id="arrow-cycle" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#c62828"/></marker>'
    + '</defs>');
  out.push(`<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`);
  layout.panels.forEach((p, i) => {
    out.push(`<g class="podcliqueset" data-name="${xml(list[i].name)}">`);
    out.push(`<text class="title" x="${n(p.x)}" y="${n(p.y + 16)}">${xml(p.title)}</text>`);
    out.push(`<text class="legend" x="${n(p.x)}" y="${n(p.y + 34)}">${xml(p.legend)}</text>`);
    out.push(`<rect class="frame" x="${n(p.frame.x)}" y="${n(p.frame.y)}" width="${n(p.frame.w)}" height="${n(p.frame.h)}" rx="8"/>`);
    out.push(`<text class="label" x="${n(p.frame.x + FRAME_PAD)}" y="${n(p.frame.y + 17)}">${xml(p.frameLabel)}</text>`);
    for (const b of p.bands) {
      out.push(`<g class="band-group"${b.scalingGroup === undefined ? '' : ` data-scaling-group="${xml(b.scalingGroup)}"`}>`
        + `<rect class="band${b.scalingGroup === undefined ? '' : ' group'}" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="6"/>`
        + `<text class="label" x="${n(b.x + BAND_PAD)}" y="${n(b.y + 17)}">${xml(b.label)}</text></g>`);
    }
    for (const c of p.cards) {
      const parts: string[] = [];
      for (let s = c.shadows; s > 0; s--) {
        parts.push(`<rect class="card" x="${n(c.x + 4 * s)}" y="${n(c.y + 4 * s)}" width="${n(c.w)}" height="${n(c.h)}" rx="4"/>`);
      }
      parts.push(`<rect class="card" x="${n(c.x)}" y="${n(c.y)}" width="${n(c.w)}" height="${n(c.h)}" rx="4"/>`);
      c.lines.forEach((l, k) => parts.push(`<text x="${n(c.x + BOX_PAD)}" y="${n(c.y + BOX_PAD + 12 + k * LINE)}"${k === 0 ? ' class="name"' : ''}>${xml(l)}</text>`));
      const y = c.band.y + c.band.h / 2;
      parts.push(`<path class="link" d="M ${n(c.band.x + c.band.w)} ${n(y)} L ${n(c.x)} ${n(c.y + c.h / 2)}"/>`);
      out.push(`<g class="scaled-gangs">${parts.join('')}</g>`);
    }
    for (const e of p.edges) {
      out.push(`<path class="edge${e.cycle ? ' cycle' : ''}" data-from="${xml(e.from)}" data-to="${xml(e.to)}" d="${e.d}" marker-end="url(#${e.cycle ? 'arrow-cycle' : 'arrow'})"/>`);
    }
    for (const c of p.cliques) {
      const texts = c.lines.map((l, k) => `<text x="${n(c.x + BOX_PAD)}" y="${n(c.y + BOX_PAD + 12 + k * LINE)}"${k === 0 ? ' class="name"' : ''}>${xml(l)}</text>`);
      out.push(`<g class="clique ${c.gpu ? 'gpu' : 'cpu'}" data-clique="${xml(c.name)}"><rect x="${n(c.x)}" y="${n(c.y)}" width="${n(c.w)}" height="${n(c.h)}" rx="4"/>${texts.join('')}</g>`);
    }
    out.push('</g>');
  });
  if (layout.panels.length === 0) {
    out.push(`<text x="${MARGIN}" y="${MARGIN + 12}">no PodCliqueSet</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A coordinate with at most one decimal. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

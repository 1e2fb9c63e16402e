/**
 * `cdk8s-grove graph`: the structure of a PodCliqueSet as a picture — roles, scaling groups, gangs, startup order,
 * replicas and GPUs per pod — as Mermaid (renders on GitHub), SVG (self-contained), text or JSON.
 */
import { HELP_OPTION, ParsedArgs, UsageError, groveApiOf } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import {
  GraphClique, GraphModel, baseReplicasText, cycleEdges, floorText, graphModel, groupText, podsText, scaledText, titleText,
} from './graph-model';
import { graphSvg } from './graph-svg';
import { SourceObject, isKind, loadInputs } from './input';
import { Io, formatFinding, toJson } from './output';
import { readPcs } from './pcs-model';

export { graphModel, graphSvg };
export type { GraphModel };

/** Mermaid flowchart of one or more PodCliqueSets (one subgraph each). Arrows: "starts before". */
export function graphMermaid(models: GraphModel | readonly GraphModel[]): string {
  const list = Array.isArray(models) ? models as readonly GraphModel[] : [models as GraphModel];
  const lines: string[] = ['%% cdk8s-grove graph: arrows point from a clique to the cliques that start after it', 'flowchart LR'];
  const links: { line: string; cycle: boolean }[] = [];
  list.forEach((m, p) => {
    const id = (kind: string, name: string): string => `p${p}_${kind}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const node = (c: GraphClique, indent: string): string =>
      `${indent}${id('c', c.name)}["${esc(c.name)}<br/>role ${esc(c.roleName || '-')}<br/>${podsText(c)}<br/>${floorText(c)}"]:::${c.gpusPerPod > 0 ? 'gpu' : 'cpu'}`;
    lines.push(`  subgraph p${p}["${esc(titleText(m))}"]`);
    lines.push('    direction LR');
    lines.push(`    subgraph ${id('gang', 'base')}["base gang ${esc(m.baseGang)} (one per PodCliqueSet replica)"]`);
    lines.push('      direction LR');
    for (const c of m.cliques.filter(x => x.scalingGroup === undefined)) {
      lines.push(node(c, '      '));
    }
    for (const g of m.scalingGroups) {
      lines.push(`      subgraph ${id('g', g.name)}["${esc(groupText(g))} (${baseReplicasText(g)})"]`);
      lines.push('        direction LR');
      for (const c of m.cliques.filter(x => x.scalingGroup === g.name)) {
        lines.push(node(c, '        '));
      }
      lines.push('      end');
    }
    lines.push('    end');
    for (const g of m.scalingGroups.filter(x => x.maxScaledGangs > 0)) {
      lines.push(`    ${id('s', g.name)}[["${esc(scaledText(g))}"]]:::scaled`);
      links.push({ line: `  ${id('g', g.name)} -.-> ${id('s', g.name)}`, cycle: false });
    }
    lines.push('  end');
    const onCycle = cycleEdges(m);
    for (const e of m.edges) {
      links.push({ line: `  ${id('c', e.from)} --> ${id('c', e.to)}`, cycle: onCycle.has(`${e.from}>${e.to}`) });
    }
  });
  lines.push(...links.map(l => l.line));
  lines.push('  classDef gpu fill:#e8f5e9,stroke:#2e7d32,color:#1b1b1b');
  lines.push('  classDef cpu fill:#e3f2fd,stroke:#1565c0,color:#1b1b1b');
  lines.push('  classDef scaled fill:#fff8e1,stroke:#f9a825,color:#1b1b1b,stroke-dasharray:4 3');
  links.forEach((l, i) => {
    if (l.cycle) lines.push(`  linkStyle ${i} stroke:#c62828,stroke-width:2px`);
  });
  return `${lines.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/"/g, '#quot;');
}

/** Plain text for people. */
export function graphText(models: readonly { model: GraphModel; src: SourceObject }[]): string {
  const lines: string[] = [];
  for (const { model: m, src } of models) {
    lines.push(`${titleText(m)} (${src.file}:${src.line})`);
    lines.push(`  base gang ${m.baseGang} (one per PodCliqueSet replica):`);
    const clique = (c: GraphClique, indent: string): string => `${indent}clique ${c.name}  role ${c.roleName || '-'}  ${podsText(c)}  ${floorText(c)}`;
    for (const c of m.cliques.filter(x => x.scalingGroup === undefined)) lines.push(clique(c, '    '));
    for (const g of m.scalingGroups) {
      lines.push(`    ${groupText(g)} (${baseReplicasText(g)})`);
      for (const c of m.cliques.filter(x => x.scalingGroup === g.name)) lines.push(clique(c, '      '));
    }
    for (const g of m.scalingGroups.filter(x => x.maxScaledGangs > 0)) lines.push(`  ${g.name} ${scaledText(g)}`);
    lines.push(`  startup order (${m.startupType}): ${m.edges.length === 0 ? 'none, all cliques start together' : m.edges.map(e => `${e.from} -> ${e.to}`).join(', ')}`);
    for (const c of m.cycles) lines.push(`  startup cycle: ${c.join(' -> ')} (Grove refuses this)`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** `cdk8s-grove graph`. */
export const GRAPH_COMMAND: CommandSpec = {
  name: 'graph',
  summary: 'draw the structure of PodCliqueSets (Mermaid, SVG, text or JSON)',
  usage: 'cdk8s-grove graph [options] PATH...',
  description: `
Draws each PodCliqueSet of the input: its cliques (role, pods per replica, GPUs per pod, minAvailable, HPA
maximum), scaling groups, the base gang and scaled gangs, and the startup order (an arrow points from a
clique to the cliques that start after it; cycles are drawn red).
  --format mermaid  a flowchart for Markdown (renders on GitHub in a \`\`\`mermaid block)
  --format svg      a self-contained SVG image (no scripts, fonts or links), laid out deterministically
Exit status: 0 drawn, 1 no PodCliqueSet in the input (or a YAML error), 2 bad usage.`,
  options: [
    formatOption(['text', 'mermaid', 'svg', 'json']),
    { name: 'name', kind: 'value', valueName: 'NAME', description: 'draw only the PodCliqueSet with this name' },
    { name: 'output', short: 'o', kind: 'value', valueName: 'FILE', description: 'write to FILE instead of stdout' },
    HELP_OPTION,
  ],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length === 0) {
      throw new UsageError('graph needs at least one PATH (a file, a folder or - for stdin)');
    }
    const input = loadInputs(args.positionals, io);
    for (const p of input.problems) {
      io.stderr(`${formatFinding({ severity: 'error', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: p.message, rule: 'yaml' })}\n`);
    }
    const all = input.objects.filter(o => isKind(o.object, 'grove.io', 'PodCliqueSet'));
    const wanted = args.values.get('name');
    const chosen = wanted === undefined ? all : all.filter(o => readPcs(o.object).name === wanted);
    if (chosen.length === 0) {
      io.stderr(wanted === undefined
        ? 'cdk8s-grove graph: no PodCliqueSet in the input\n'
        : `cdk8s-grove graph: no PodCliqueSet named ${wanted} in the input; found: ${all.map(o => readPcs(o.object).name).join(', ') || 'none'}\n`);
      return EXIT_PROBLEMS;
    }
    const models = chosen.map(src => ({ model: graphModel(src.object, groveApiOf(args)), src }));
    const format = args.values.get('format') ?? 'text';
    const text = format === 'mermaid' ? graphMermaid(models.map(m => m.model))
      : format === 'svg' ? graphSvg(models.map(m => m.model))
        : format === 'json' ? toJson({ command: 'graph', podCliqueSets: models.map(m => ({ file: m.src.file, line: m.src.line, ...m.model })) })
          : graphText(models);
    const output = args.values.get('output');
    if (output === undefined) {
      io.stdout(text);
    } else {
      io.writeFile(output, text);
    }
    return input.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};

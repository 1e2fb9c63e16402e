/**
 * `cdk8s-grove graph`: Mermaid (snapshot plus semantic checks), SVG (layout checks, and a render in headless
 * Chromium when one is installed), text and JSON, run as a child process and through the pure functions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseSource, SourceObject, InputProblem } from '../../lib/cli/input';
import { graphMermaid, graphModel, graphSvg } from '../../lib/cli/graph';
import { layoutGraph, Box } from '../../lib/cli/graph-svg';
import { CLI_TIMEOUT_MS, FIXTURES, ROOT, cli, cliProcess } from './support';
import { CHROMIUM, evaluateInChromium } from '../support/chromium';

jest.setTimeout(CLI_TIMEOUT_MS);

const LLM = `${FIXTURES}/clean/llm-70b.yaml`;
const CYCLE = `${FIXTURES}/broken/startsafter-cycle.yaml`;

function pcsObjects(file: string): SourceObject[] {
  const objects: SourceObject[] = [];
  const problems: InputProblem[] = [];
  parseSource(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), objects, problems);
  expect(problems).toEqual([]);
  return objects.filter(o => o.object.kind === 'PodCliqueSet');
}

const llm = graphModel(pcsObjects(LLM)[0].object);
const cyclic = graphModel(pcsObjects(CYCLE)[0].object);

describe('graphModel', () => {
  test('roles, replicas, GPUs per pod, startup ranks', () => {
    expect(llm.cliques.map(c => [c.name, c.roleName, c.replicas, c.gpusPerPod, c.scalingGroup ?? '-', c.rank])).toEqual([
      ['frontend', 'frontend', 1, 0, '-', 2],
      ['prefill', 'prefill', 2, 4, '-', 0],
      ['decode-ldr', 'decode-leader', 1, 8, 'decode', 1],
      ['decode-wkr', 'decode-worker', 1, 8, 'decode', 0],
    ]);
    expect(llm.edges).toEqual([
      { from: 'prefill', to: 'frontend' },
      { from: 'decode-ldr', to: 'frontend' },
      { from: 'decode-wkr', to: 'decode-ldr' },
    ]);
    expect(llm.scalingGroups).toEqual([{
      name: 'decode', cliqueNames: ['decode-ldr', 'decode-wkr'], replicas: 2, minAvailable: 1, maxReplicas: 3,
      scaledGangs: ['llm70b-0-decode-0'], maxScaledGangs: 2,
    }]);
    expect(llm.baseGang).toBe('llm70b-0');
  });

  test('a startsAfter cycle is found, not followed forever', () => {
    expect(cyclic.cycles).toEqual([['prefill', 'decode', 'prefill']]);
    expect(cyclic.cliques.map(c => c.rank).every(r => r < cyclic.cliques.length)).toBe(true);
  });
});

describe('Mermaid', () => {
  const text = graphMermaid(llm);

  test('snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  test('one node per clique with role, pods and GPUs; scaling group and gangs as subgraphs; startup arrows', () => {
    expect(text.split('\n')[1]).toBe('flowchart LR');
    expect(text).toContain('p0_c_decode_ldr["decode-ldr<br/>role decode-leader<br/>1 pod x 8 GPUs<br/>minAvailable 1"]:::gpu');
    expect(text).toContain('p0_c_prefill["prefill<br/>role prefill<br/>2 pods x 4 GPUs<br/>minAvailable 1, HPA max 3"]:::gpu');
    expect(text).toContain('p0_c_frontend["frontend<br/>role frontend<br/>1 pod, no GPU<br/>minAvailable 1"]:::cpu');
    expect(text).toContain('subgraph p0_gang_base["base gang llm70b-0 (one per PodCliqueSet replica)"]');
    expect(text).toContain('subgraph p0_g_decode["scaling group decode: 2 replicas, minAvailable 1, HPA max 3 (replica 0 in the base gang)"]');
    expect(text).toContain('p0_s_decode[["scaled gangs: llm70b-0-decode-0 (1, up to 2 with HPA)"]]:::scaled');
    for (const edge of ['p0_c_prefill --> p0_c_frontend', 'p0_c_decode_ldr --> p0_c_frontend', 'p0_c_decode_wkr --> p0_c_decode_ldr']) {
      expect(text).toContain(`  ${edge}\n`);
    }
    // subgraphs are balanced
    expect(text.match(/^\s*subgraph /gm)?.length).toBe(text.match(/^\s*end$/gm)?.length);
  });

  test('cycle edges are styled red', () => {
    const m = graphMermaid(cyclic);
    const links = m.split('\n').filter(l => /-->|-.->/.test(l));
    const red = [...m.matchAll(/linkStyle (\d+) stroke:#c62828/g)].map(x => links[Number(x[1])].trim());
    expect(red.sort()).toEqual(['p0_c_decode --> p0_c_prefill', 'p0_c_prefill --> p0_c_decode']);
  });

  test('through the command, several PodCliqueSets become one flowchart', () => {
    const r = cliProcess(['graph', LLM, CYCLE, '--format', 'mermaid']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^flowchart /gm)).toHaveLength(1);
    expect(r.stdout).toContain('subgraph p0["PodCliqueSet llm70b: 1 replica, startup Explicit, update RollingRecreate"]');
    expect(r.stdout).toContain('subgraph p1["PodCliqueSet cyclic: 1 replica, startup Explicit, update RollingRecreate"]');
  });
});

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

describe('SVG layout', () => {
  const layout = layoutGraph([llm, cyclic]);

  test('clique boxes never overlap, sit in their band and frame, and startup arrows run left to right', () => {
    for (const panel of layout.panels) {
      panel.cliques.forEach((a, i) => panel.cliques.slice(i + 1).forEach(b => expect(overlaps(a, b)).toBe(false)));
      panel.bands.forEach((a, i) => panel.bands.slice(i + 1).forEach(b => expect(overlaps(a, b)).toBe(false)));
      for (const band of panel.bands) expect(inside(band, panel.frame)).toBe(true);
      for (const card of panel.cards) expect(overlaps(card, panel.frame)).toBe(false);
      expect(inside(panel.frame, { x: 0, y: 0, w: layout.width, h: layout.height })).toBe(true);
    }
    const [p] = layout.panels;
    const box = (n: string): Box => p.cliques.find(c => c.name === n) as Box;
    for (const e of llm.edges) expect(box(e.from).x + box(e.from).w).toBeLessThan(box(e.to).x);
    const decode = p.bands.find(b => b.scalingGroup === 'decode') as Box;
    expect(inside(box('decode-ldr'), decode)).toBe(true);
    expect(inside(box('decode-wkr'), decode)).toBe(true);
    expect(inside(box('prefill'), decode)).toBe(false);
  });

  test('panels are stacked and the picture is deterministic', () => {
    expect(layout.panels[1].y).toBeGreaterThan(layout.panels[0].y + layout.panels[0].h);
    expect(graphSvg([llm, cyclic])).toBe(graphSvg([llm, cyclic]));
  });

  test('self-contained: no scripts, links or external resources', () => {
    const svg = graphSvg(llm);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|@import|url\((?!#)/);
    for (const role of ['frontend', 'prefill', 'decode-leader', 'decode-worker']) expect(svg).toContain(`>role ${role}</text>`);
    expect(svg).toContain('class="edge" data-from="decode-wkr" data-to="decode-ldr"');
  });
});

describe('the command', () => {
  test('--format svg -o FILE writes the picture', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-graph-'));
    try {
      const out = path.join(dir, 'llm.svg');
      const r = cli(['graph', LLM, '--format', 'svg', '-o', out]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(fs.readFileSync(out, 'utf8')).toBe(graphSvg(llm));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('text', () => {
    const r = cli(['graph', LLM]);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      `PodCliqueSet llm70b: 1 replica, startup Explicit, update RollingRecreate (${LLM}:24)`,
      '  base gang llm70b-0 (one per PodCliqueSet replica):',
      '    clique frontend  role frontend  1 pod, no GPU  minAvailable 1',
      '    clique prefill  role prefill  2 pods x 4 GPUs  minAvailable 1, HPA max 3',
      '    scaling group decode: 2 replicas, minAvailable 1, HPA max 3 (replica 0 in the base gang)',
      '      clique decode-ldr  role decode-leader  1 pod x 8 GPUs  minAvailable 1',
      '      clique decode-wkr  role decode-worker  1 pod x 8 GPUs  minAvailable 1',
      '  decode scaled gangs: llm70b-0-decode-0 (1, up to 2 with HPA)',
      '  startup order (Explicit): prefill -> frontend, decode-ldr -> frontend, decode-wkr -> decode-ldr',
    ]);
  });

  test('--grove-api next shows the unset update strategy as that level\'s default (Coherent), pinned as RollingRecreate', () => {
    const next = cli(['graph', LLM, '--grove-api', 'next']);
    expect(next.status).toBe(0);
    expect(next.lines[0]).toBe(`PodCliqueSet llm70b: 1 replica, startup Explicit, update Coherent (${LLM}:24)`);
    const object = pcsObjects(LLM)[0].object;
    expect(graphModel(object, 'next').updateStrategy).toBe('Coherent');
    expect(graphModel(object, 'pinned').updateStrategy).toBe('RollingRecreate');
    // an explicit strategy is shown as written at every level
    const explicit = { ...object, spec: { ...(object.spec as object), updateStrategy: { type: 'RollingRecreate' } } };
    expect(graphModel(explicit, 'next').updateStrategy).toBe('RollingRecreate');
  });

  test('--format json and --name', () => {
    const r = cli(['graph', LLM, CYCLE, '--name', 'cyclic', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.podCliqueSets).toHaveLength(1);
    expect(out.podCliqueSets[0]).toMatchObject({ name: 'cyclic', file: CYCLE, line: 2, cycles: [['prefill', 'decode', 'prefill']] });
  });

  test('no PodCliqueSet: exit 1; bad usage: exit 2', () => {
    const none = cli(['graph', `${FIXTURES}/broken/ctb-duplicate-level.yaml`]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('cdk8s-grove graph: no PodCliqueSet in the input\n');
    const named = cli(['graph', LLM, '--name', 'nope']);
    expect(named.status).toBe(1);
    expect(named.stderr).toBe('cdk8s-grove graph: no PodCliqueSet named nope in the input; found: llm70b\n');
    expect(cli(['graph', LLM, '--format', 'png']).status).toBe(2);
    const help = cli(['graph', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--format FORMAT');
    expect(help.stdout).toContain('text, mermaid, svg, json');
  });
});

/** What the browser measured. */
interface Rendered {
  readonly root: string;
  readonly width: number;
  readonly texts: { text: string; w: number; h: number }[];
  readonly cliques: { name: string; right: number; textRight: number }[];
}

/** Runs in the page (a string: the project compiles without the DOM library). */
const MEASURE = `(() => {
  const svg = document.querySelector('svg');
  const texts = [...document.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return { text: t.textContent || '', w: b.width, h: b.height };
  });
  const cliques = [...document.querySelectorAll('g.clique')].map(g => {
    const rect = g.querySelector('rect').getBBox();
    const inner = [...g.querySelectorAll('text')].map(t => t.getBBox());
    return { name: g.getAttribute('data-clique'), right: rect.x + rect.width, textRight: Math.max(...inner.map(b => b.x + b.width)) };
  });
  return { root: svg.tagName, width: svg.getBoundingClientRect().width, texts, cliques };
})()`;

describe('the SVG in a browser', () => {
  if (CHROMIUM === undefined) {
    // eslint-disable-next-line no-console
    console.warn('[skipped] SVG rendering test: no chromium binary found (install chromium or set CHROMIUM_PATH)');
    test.skip('renders in headless Chromium', () => undefined);
    return;
  }

  test('renders in headless Chromium: role names and all text have a size and fit their boxes', async () => {
    // GIVEN the picture written by the command, opened as a file
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-svg-'));
    const file = path.join(dir, 'graph.svg');
    const r = cliProcess(['graph', LLM, CYCLE, '--format', 'svg', '--output', file]);
    expect(r.status).toBe(0);
    try {
      // WHEN the browser measures what it rendered
      const { value, errors } = await evaluateInChromium(file, MEASURE);
      const rendered = value as Rendered;
      // THEN
      expect(errors).toEqual([]);
      expect(rendered.root).toBe('svg');
      expect(rendered.width).toBeGreaterThan(0);
      for (const role of ['frontend', 'prefill', 'decode-leader', 'decode-worker', 'router', 'decode']) {
        const text = rendered.texts.find(t => t.text === `role ${role}`);
        expect(text).toBeDefined();
        expect(text?.w).toBeGreaterThan(0);
        expect(text?.h).toBeGreaterThan(0);
      }
      expect(rendered.texts.every(t => t.w > 0 && t.h > 0)).toBe(true);
      expect(rendered.cliques).toHaveLength(7);
      for (const c of rendered.cliques) expect(c.textRight).toBeLessThanOrEqual(c.right);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

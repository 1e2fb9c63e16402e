/**
 * `plan --format svg|mermaid`: the placement as a picture. The SVG of the Llama-70B example on two and on four
 * ND96isr_H100_v5 nodes is rendered in headless Chromium: every pod's box lies inside its node's box, and every
 * pod the plan places is drawn once, on the node the plan says.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHROMIUM, evaluateInChromium } from '../support/chromium';
import { CLI_TIMEOUT_MS, ROOT, cli } from './support';

jest.setTimeout(CLI_TIMEOUT_MS);

const H100 = 'Standard_ND96isr_H100_v5';
const LLAMA_APP = 'dist/llama-70b-multinode.k8s.yaml';
const present = fs.existsSync(path.join(ROOT, LLAMA_APP));

function plan(nodes: number, format: string): { status: number | null; stdout: string } {
  return cli(['plan', LLAMA_APP, '--pool', `${H100}=${nodes}`, '--format', format]);
}

/** Where each pod is placed, by the JSON report (template replicas). */
function placements(nodes: number): Map<string, string> {
  const report = JSON.parse(plan(nodes, 'json').stdout);
  return new Map(report.template.placements.map((p: { pod: string; node: string }) => [p.pod, p.node]));
}

(present ? describe : describe.skip)('the Llama-70B example', () => {
  test('SVG: self-contained, one group per node and per placed pod, unplaced gangs listed with the reason', () => {
    const svg = plan(2, 'svg').stdout;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|@import|url\(/);
    expect(svg.match(/data-node="/g)).toHaveLength(2);
    const drawn = [...svg.matchAll(/data-pod="([^"]+)" data-on="([^"]+)"/g)].map(m => [m[1], m[2]] as const);
    expect(new Map(drawn)).toEqual(placements(2));
    // two nodes hold one instance and the frontend; the second instance (scaled gang) is not placed
    expect(svg).toContain('data-unplaced="llama-70b-0-worker-0"');
    expect(svg).toContain('0/2 nodes are available');
  });

  test('the README\'s picture is what plan draws today (regenerate: cdk8s-grove plan dist/llama-70b-multinode.k8s.yaml --pool Standard_ND96isr_H100_v5=2 --format svg > docs/plan-llama-70b-2-nodes.svg)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/plan-llama-70b-2-nodes.svg'), 'utf8')).toBe(plan(2, 'svg').stdout);
  });

  test('Mermaid: pools contain nodes, nodes contain the placed pods', () => {
    const m = plan(4, 'mermaid').stdout;
    expect(m.split('\n')[0]).toBe('flowchart TB');
    for (const [pod, node] of placements(4)) {
      const nodeLine = m.indexOf(`subgraph node_${node.replace(/[^A-Za-z0-9_]/g, '_')}[`);
      const podLine = m.indexOf(`pod_${pod.replace(/[^A-Za-z0-9_]/g, '_')}[`);
      expect([pod, nodeLine >= 0 && podLine > nodeLine]).toEqual([pod, true]);
    }
    expect(m).not.toContain('not placed');
  });

  const MEASURE = `(() => {
    const box = e => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, r: r.x + r.width, b: r.y + r.height }; };
    const nodes = Object.fromEntries([...document.querySelectorAll('g[data-node]')].map(g => [g.getAttribute('data-node'), box(g.querySelector('rect'))]));
    const pods = [...document.querySelectorAll('g[data-pod]')].map(g => ({ pod: g.getAttribute('data-pod'), on: g.getAttribute('data-on'), box: box(g), text: box(g.querySelector('text')) }));
    const titles = [...document.querySelectorAll('g[data-node] > text')].map(t => ({ node: t.parentElement.getAttribute('data-node'), box: box(t) }));
    return { nodes, pods, titles };
  })()`;

  (CHROMIUM === undefined ? test.skip : test).each([2, 4])('SVG on %d nodes renders in headless Chromium with every pod on its node', async n => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-plan-'));
    const file = path.join(dir, 'plan.svg');
    try {
      fs.writeFileSync(file, plan(n, 'svg').stdout);
      const { value, errors } = await evaluateInChromium(file, MEASURE);
      const r = value as { nodes: Record<string, Box>; pods: { pod: string; on: string; box: Box; text: Box }[]; titles: { node: string; box: Box }[] };
      expect(errors).toEqual([]);
      expect(Object.keys(r.nodes)).toHaveLength(n);
      const expected = placements(n);
      expect(new Map(r.pods.map(p => [p.pod, p.on]))).toEqual(expected);
      expect(r.pods).toHaveLength(expected.size);
      for (const p of r.pods) {
        const node = r.nodes[p.on];
        expect([p.pod, inside(p.box, node), inside(p.text, node)]).toEqual([p.pod, true, true]);
      }
      for (const t of r.titles) expect([t.node, inside(t.box, r.nodes[t.node])]).toEqual([t.node, true]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  if (CHROMIUM === undefined) {
    // eslint-disable-next-line no-console
    console.warn('[skipped] plan SVG rendering test: no chromium binary found (install chromium or set CHROMIUM_PATH)');
  }
});

interface Box { x: number; y: number; r: number; b: number }

function inside(a: Box, b: Box): boolean {
  return a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.r <= b.r + 0.5 && a.b <= b.b + 0.5;
}

/**
 * Within one synthesis of an app holding cdk8s-grove constructs, cdk8s' per-chart preparation (resolving the app's
 * dependencies and validating the whole app) runs for the first chart only (lib/private/chart-rendering.ts): the
 * output is what cdk8s' own per-chart path renders, and the app's validations run a fixed number of times whatever
 * the number of charts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { PodCliqueSet } from '../../lib';
import { APP } from '../grove/helpers';

class OwnRendering extends Chart {
  public override toJson(): any[] {
    return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } }];
  }
}

/** Charts with sets, plain objects, cross-chart and in-chart dependencies, a nested chart and a chart rendering itself; and a counting validation. */
function world(charts: number) {
  const app = new App();
  let validations = 0;
  const all: Chart[] = [];
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `c${i}`);
    const set = new PodCliqueSet(chart, 'S', { metadata: { name: `set${i}` } });
    set.addClique('w', { containers: [APP] });
    const config = new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config${i}` } });
    ApiObject.of(set).addDependency(config); // the set after its ConfigMap, though created first
    if (i === 1) chart.addDependency(all[0]); // (a longer chain of chart dependencies is exponential in cdk8s' topology walk)
    all.push(chart);
  }
  const nested = new Chart(all[0], 'nested');
  new ApiObject(nested, 'Inner', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'inner' } });
  new OwnRendering(app, 'own');
  new Construct(app, 'Counter').node.addValidation({ validate: () => { validations++; return []; } });
  return { app, validations: () => validations };
}

test('synthYaml() renders what cdk8s renders chart by chart, and validates a fixed number of times for 2 charts or 30', () => {
  const counts: number[] = [];
  for (const charts of [2, 30]) {
    const { app, validations } = world(charts);
    // outside a synthesis every chart takes cdk8s' own path (resolve, validate, render)
    const expected = Yaml.stringify(...app.charts.flatMap(c => c.toJson()));
    const before = validations();
    expect(app.synthYaml()).toBe(expected);
    counts.push(validations() - before);
    expect(app.charts.every(c => !Object.prototype.hasOwnProperty.call(c, 'toJson'))).toBe(true); // restored
  }
  expect(counts[0]).toBe(counts[1]);
  expect(counts[1]).toBeLessThanOrEqual(2); // cdk8s alone: once for the app, once more per chart (31 times)
});

test('synth() writes the same files as cdk8s chart by chart', () => {
  const { app } = world(5);
  const expected = app.charts.map(c => Yaml.stringify(...c.toJson()));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'grove-charts-'));
  try {
    (app as { outdir: string }).outdir = outdir;
    app.synth();
    const files = fs.readdirSync(outdir).sort();
    expect(files).toHaveLength(app.charts.length);
    expect(files.map(f => fs.readFileSync(path.join(outdir, f), 'utf8')).sort()).toEqual([...expected].sort());
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

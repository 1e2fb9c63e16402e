/**
 * Synth-time checks run once per synthesis, whatever the number of charts (cdk8s validates the whole app again for
 * every chart it renders), and again in every synthesis and every `chart.toJson()` outside one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { GroveValidationError, PodCliqueSet } from '../../lib';
import { APP } from '../grove/helpers';

/** An app of `charts` charts with one PodCliqueSet each, and a spy counting the sets' checks. */
function fleet(charts: number) {
  const app = new App();
  const sets = Array.from({ length: charts }, (_, i) => {
    const set = new PodCliqueSet(new Chart(app, `c${i}`), 'S', { metadata: { name: `set${i}` } });
    set.addClique('w', { containers: [APP] });
    return set;
  });
  const checks = jest.spyOn(PodCliqueSet.prototype, '_problems');
  return { app, sets, checks };
}

afterEach(() => jest.restoreAllMocks());

test('synthYaml() and synth() check each PodCliqueSet once, with 1 chart or 20', () => {
  for (const charts of [1, 20]) {
    const { app, checks } = fleet(charts);
    const yaml = app.synthYaml();
    expect(yaml.match(/kind: PodCliqueSet/g)).toHaveLength(charts);
    expect(checks).toHaveBeenCalledTimes(charts);
    checks.mockClear();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'grove-synth-'));
    try {
      (app as { outdir: string }).outdir = outdir;
      app.synth();
      expect(fs.readdirSync(outdir)).toHaveLength(charts);
      expect(checks).toHaveBeenCalledTimes(charts);
    } finally {
      fs.rmSync(outdir, { recursive: true });
    }
    jest.restoreAllMocks();
  }
});

test('every synthesis checks again: a change between two synths is refused by the second', () => {
  const { app, sets } = fleet(3);
  app.synthYaml();
  ApiObject.of(sets[2]).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
  expect(() => app.synthYaml()).toThrow(GroveValidationError);
  expect(() => app.synthYaml()).toThrow(/\[c2\/S\] \.spec\.replicas/);
});

test('outside a synthesis, every chart.toJson() checks the whole app', () => {
  const { app, checks } = fleet(3);
  app.charts.forEach(c => c.toJson());
  expect(checks).toHaveBeenCalledTimes(9);
});

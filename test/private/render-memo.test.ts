/**
 * The memo hands out a rendering made for a check only while it is current: within the synthesis that made it, or
 * when nothing changed since (test/property/render-memo.test.ts checks the general property).
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { GroveValidationError, PodCliqueSet } from '../../lib';
import { APP } from '../grove/helpers';

function twoSets() {
  const app = new App();
  const sets = [0, 1].map(i => {
    const set = new PodCliqueSet(new Chart(app, `c${i}`), 'S', { metadata: { name: `set${i}` } });
    set.addClique('w', { containers: [APP] });
    return set;
  });
  return { app, sets };
}

test('a synthesis that fails leaves nothing stale behind: a later toJson() sees later changes', () => {
  const { app, sets } = twoSets();
  ApiObject.of(sets[0]).metadata.addLabel('bad', 'Not Valid');
  expect(() => app.synthYaml()).toThrow(GroveValidationError);
  sets[1].addClique('extra', { containers: [APP] });
  expect(ApiObject.of(sets[1]).toJson().spec.template.cliques.map((c: any) => c.name)).toEqual(['w', 'extra']);
});

test('a rendering made in a synthesis is handed out by it, not by a later one after a change', () => {
  const { app, sets } = twoSets();
  app.synthYaml();
  sets[0].addClique('late', { containers: [APP] });
  expect(app.synthYaml()).toContain('name: late');
});

import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * For the span of one `App.synth()` / `App.synthYaml()` of `root`: prepares the app for rendering once, not once per
 * chart. Returns what undoes it (call it when the synthesis ends).
 *
 * Why: cdk8s renders each chart with `Chart.toJson()` → `App._synthChart()`, which runs `resolveDependencies(app)`
 * and `validate(app)` over the whole app again before it lists the chart's objects in dependency order
 * (node_modules/cdk8s/lib/app.js), so an app of C charts walks every construct and every dependency C + 1 times:
 * quadratic in the layout users choose most (one chart per service). Within one synthesis nothing changes the
 * constructs (cdk8s' own premise: producers, resolvers and validations are pure) and both steps are idempotent, so
 * after the first chart's full `toJson()` the others need only their objects:
 * `chartToKube(chart).map(o => o.toJson())`, that is the topology of the chart's dependency graph, its ApiObjects whose
 * closest chart it is. Charts whose class overrides `toJson()`, or that come from another copy of cdk8s, keep theirs.
 */
export function prepareOncePerSynthesis(root: IConstruct): () => void {
  const charts = root.node.findAll().filter((c): c is Chart => c instanceof Chart && c.toJson === Chart.prototype.toJson);
  let prepared = false;
  for (const chart of charts) {
    Object.defineProperty(chart, 'toJson', {
      configurable: true,
      writable: true,
      value: function (this: Chart): any[] {
        if (!prepared) {
          const objects = Chart.prototype.toJson.call(this);
          prepared = true;
          return objects;
        }
        return new DependencyGraph(this.node).topology()
          .filter((x): x is ApiObject => x instanceof ApiObject)
          .filter(x => Chart.of(x) === this)
          .map(x => x.toJson());
      },
    });
  }
  return () => {
    for (const chart of charts) {
      delete (chart as { toJson?: unknown }).toJson;
    }
  };
}

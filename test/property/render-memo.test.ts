/**
 * Synthesis reuses the rendering and the admission result of a PodCliqueSet while nothing changed (RenderMemo).
 * Property: whatever is changed between synths, through the constructs' API, through objects shared with the
 * props, through the L1 escape hatch, or by adding bindings, every synth equals the synth of a fresh app built with
 * the same changes and never synthesized before, success or GroveValidationError alike.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import * as fc from 'fast-check';
import { ClusterTopologyBinding, GroveOperatorConfig, GroveValidationError, PodClique, PodCliqueSet, Volume } from '../../lib';
import { params, TIMEOUT } from './support';

type Op =
  | { kind: 'addClique'; set: number }
  | { kind: 'addContainer'; clique: number }
  | { kind: 'setEnv'; clique: number; value: string }
  | { kind: 'pushArg'; clique: number; value: string }
  | { kind: 'addLabel'; set: number; value: string }
  | { kind: 'bumpLazyLabel' }
  | { kind: 'jsonPatch'; set: number; value: string }
  | { kind: 'startsAfter'; clique: number; after: number }
  | { kind: 'addBinding'; domain: string }
  | { kind: 'mutateExistingBinding'; domain: string }
  | { kind: 'addVolume'; clique: number }
  | { kind: 'toJsonAndMutate'; set: number }
  | { kind: 'opaqueOverlay'; clique: number };

const SETS = 2;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('addClique' as const), set: fc.nat(SETS - 1) }),
  fc.record({ kind: fc.constant('addContainer' as const), clique: fc.nat() }),
  fc.record({ kind: fc.constant('setEnv' as const), clique: fc.nat(), value: fc.constantFrom('a', 'b', '') }),
  fc.record({ kind: fc.constant('pushArg' as const), clique: fc.nat(), value: fc.constantFrom('--x', 'y') }),
  fc.record({ kind: fc.constant('addLabel' as const), set: fc.nat(SETS - 1), value: fc.constantFrom('v1', 'v2', 'Not Valid') }),
  fc.constant({ kind: 'bumpLazyLabel' as const }),
  fc.record({ kind: fc.constant('jsonPatch' as const), set: fc.nat(SETS - 1), value: fc.constantFrom('p1', 'p2', 'negative replicas') }),
  fc.record({ kind: fc.constant('startsAfter' as const), clique: fc.nat(), after: fc.nat() }),
  fc.record({ kind: fc.constant('addBinding' as const), domain: fc.constantFrom('rack', 'zone') }),
  fc.record({ kind: fc.constant('mutateExistingBinding' as const), domain: fc.constantFrom('rack', 'host') }),
  fc.record({ kind: fc.constant('addVolume' as const), clique: fc.nat() }),
  fc.record({ kind: fc.constant('toJsonAndMutate' as const), set: fc.nat(SETS - 1) }),
  fc.record({ kind: fc.constant('opaqueOverlay' as const), clique: fc.nat() }),
);

/**
 * Two sets in two charts, with topology-aware scheduling on: set 0 packs into `rack` of the binding `fabric`
 * (added to the app by an op), set 1 into a domain of an existing binding whose levels an op can change.
 */
class World {
  public readonly app = new App();
  public readonly sets: PodCliqueSet[] = [];
  public readonly cliques: PodClique[] = [];
  /** What each `toJsonAndMutate` op got from toJson(), in order. */
  public readonly seen: string[] = [];
  private readonly envs: { [name: string]: string }[] = [];
  private readonly args: string[][] = [];
  private readonly counter = { value: 0 };
  private readonly existing = ClusterTopologyBinding.fromExisting('existing', [{ domain: 'zone', key: 'z' }, { domain: 'rack', key: 'r' }]);
  private bindings = 0;

  constructor() {
    GroveOperatorConfig.set(this.app, { topologyAwareScheduling: true });
    for (let i = 0; i < SETS; i++) {
      const chart = new Chart(this.app, `chart${i}`);
      const set = new PodCliqueSet(chart, 'S', {
        metadata: { name: `set${i}`, labels: i === 0 ? { lazy: Lazy.any({ produce: () => `v${this.counter.value}` }) as any } : {} },
        topologyConstraint: i === 0 ? { topology: { name: 'fabric', domains: ['rack'] }, packRequired: 'rack' } : { topology: this.existing, packRequired: 'rack' },
      });
      this.sets.push(set);
      this.apply({ kind: 'addClique', set: i });
    }
  }

  public apply(o: Op): void {
    const clique = (n: number) => this.cliques[n % this.cliques.length];
    switch (o.kind) {
      case 'addClique': {
        const env = { A: 'a' };
        const args = ['serve'];
        const n = this.cliques.length;
        this.envs.push(env);
        this.args.push(args);
        this.cliques.push(this.sets[o.set].addClique(`c${n}`, { containers: [{ image: 'app:1', env, args }] }));
        return;
      }
      case 'addContainer':
        return clique(o.clique).addContainer({ name: `extra${clique(o.clique).containers.length}`, image: 'side:1' });
      case 'setEnv':
        this.envs[o.clique % this.envs.length].B = o.value;
        return;
      case 'pushArg':
        this.args[o.clique % this.args.length].push(o.value);
        return;
      case 'addLabel':
        return ApiObject.of(this.sets[o.set]).metadata.addLabel('extra', o.value);
      case 'bumpLazyLabel':
        this.counter.value++;
        return;
      case 'jsonPatch':
        return ApiObject.of(this.sets[o.set]).addJsonPatch(o.value === 'negative replicas'
          ? JsonPatch.replace('/spec/replicas', -1) // admission refuses it
          : JsonPatch.add('/spec/template/priorityClassName', o.value));
      case 'startsAfter': {
        const a = clique(o.clique);
        const b = clique(o.after);
        if (a !== b && a.podCliqueSet === b.podCliqueSet) {
          a.addStartsAfter(b);
        }
        return;
      }
      case 'addBinding':
        new ClusterTopologyBinding(this.sets[0].node.scope!, `Binding${this.bindings++}`, { name: 'fabric', levels: [{ domain: o.domain, key: `k-${o.domain}` }] });
        return;
      case 'mutateExistingBinding':
        this.existing.domains.splice(0, this.existing.domains.length, 'zone', o.domain);
        return;
      case 'addVolume': {
        const c = clique(o.clique);
        const name = `v${this.bindings}-${c.containers.length}-${Math.abs(o.clique)}`;
        try {
          c.addVolume(Volume.emptyDir(name));
        } catch (e) {
          if (!(e instanceof GroveValidationError)) throw e;
        }
        return;
      }
      case 'toJsonAndMutate': {
        // a caller that mutates what toJson() gave it must not change later synths
        const json = ApiObject.of(this.sets[o.set]).toJson();
        this.seen.push(JSON.stringify(json));
        json.spec.replicas = 999;
        json.metadata.name = 'mutated';
        return;
      }
      case 'opaqueOverlay':
        // a Lazy inside the spec turns the memo off for that set
        (clique(o.clique) as any).props.podSpec = { priorityClassName: Lazy.any({ produce: () => `p${this.counter.value}` }) };
        return;
    }
  }
}

/** The app's YAML, or the GroveValidationError's message (any other exception fails the test). */
function synth(app: App): string {
  try {
    return app.synthYaml();
  } catch (e) {
    if (e instanceof GroveValidationError) {
      return `GroveValidationError: ${e.message}`;
    }
    throw e;
  }
}

describe('RenderMemo properties', () => {
  test('synthesizing between changes never changes what a later synth produces', () => {
    fc.assert(fc.property(fc.array(fc.tuple(op, fc.boolean()), { minLength: 1, maxLength: 10 }), steps => {
      const world = new World();
      steps.forEach(([o, synthAfter], i) => {
        world.apply(o);
        if (synthAfter) {
          const fresh = new World();
          steps.slice(0, i + 1).forEach(([p]) => fresh.apply(p));
          expect(synth(world.app)).toBe(synth(fresh.app));
        }
      });
      const fresh = new World();
      steps.forEach(([p]) => fresh.apply(p));
      expect(synth(world.app)).toBe(synth(fresh.app));
      // what toJson() returned outside a synthesis, too
      expect(world.seen).toEqual(fresh.seen);
      // per chart too (each chart.toJson() validates the whole app again)
      expect(world.app.charts.map(c => safeJson(c))).toEqual(fresh.app.charts.map(c => safeJson(c)));
    }), params(50));
  }, TIMEOUT);
});

function safeJson(chart: Chart): unknown {
  try {
    return chart.toJson();
  } catch (e) {
    return e instanceof GroveValidationError ? e.message : (() => { throw e; })();
  }
}

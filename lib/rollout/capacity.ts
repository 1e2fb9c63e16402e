/**
 * Serving capacity during a rollout. Prefill and decode of different versions must not talk, so each version serves
 * only as many complete units as its scarcest component allows; the rest of that version's pods are stranded (eight
 * old prefill instances with two old decode instances serve like two). A complete unit is the replica in miniature:
 * every component's `replicas` divided by their greatest common divisor (frontend 10, prefill 10, decode 20 make
 * units of {1, 1, 2}, ten per replica), so nothing is stranded before and after the update. Components the update
 * does not touch serve both versions. Pure.
 */
import { SimPod } from '../cluster';
import { ClusterCapacity, FitVerdict, fitsFreeCapacity, PodGroup } from './cluster-fit';
import { RawStep } from './coherent';
import { Counts, RolloutComponent, RolloutStep, Serving, SubStep } from './types';

/** Pods of one unit of each component, for the fit check. */
export type UnitPods = ReadonlyMap<string, readonly SimPod[]>;

/** The pods of one version of a PodCliqueSet, with who owns them and the KAI shard that judges them. */
export interface VersionPods {
  /** `<namespace>/<name> (old)` or `(new)`, for messages. */
  readonly owner: string;
  /**
   * The KAI shard.
   * @default - not scheduled by KAI
   */
  readonly shard?: string | null;
  readonly unitPods: UnitPods;
}

/** `n` units of `pods` as a pod group of `version`. */
export function unitsOf(version: VersionPods, component: string, n: number): PodGroup {
  const one = version.unitPods.get(component) ?? [];
  return { owner: version.owner, ...(version.shard === undefined ? {} : { shard: version.shard }), pods: Array.from({ length: n }, () => one).flat() };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** One complete serving unit: each component's share (its replicas over the gcd of all replicas). */
export function servingUnit(components: readonly RolloutComponent[]): Counts {
  const live = components.filter(c => c.replicas > 0);
  const g = live.reduce((acc, c) => gcd(acc, c.replicas), 0);
  return Object.fromEntries(live.map(c => [c.name, c.replicas / g]));
}

/** Capacity when `rolled[c]` units are on the new version and `down[c]` are being replaced. */
export function serving(components: readonly RolloutComponent[], rolled: Counts, down: Counts = {}): Serving {
  const unit = servingUnit(components);
  const live = components.filter(c => c.replicas > 0);
  const count = (c: RolloutComponent, version: 'old' | 'new'): number => {
    if (!c.inScope) return c.replicas;
    const r = rolled[c.name] ?? 0;
    return version === 'new' ? r : c.replicas - r - (down[c.name] ?? 0);
  };
  const units = (version: 'old' | 'new'): number => (live.length === 0 ? 0
    : Math.min(...live.map(c => Math.floor(count(c, version) / unit[c.name]))));
  const old = units('old');
  const fresh = units('new');
  let strandedPods = 0;
  let strandedGpus = 0;
  for (const c of live.filter(x => x.inScope)) {
    const idle = count(c, 'old') - old * unit[c.name] + count(c, 'new') - fresh * unit[c.name];
    strandedPods += idle * c.podsPerUnit;
    strandedGpus += idle * c.gpusPerUnit;
  }
  return { old, new: fresh, strandedPods, strandedGpus };
}

/** Options of `annotateSteps`. */
export interface AnnotateOptions {
  /**
   * The cluster to check each sub-step's new pods against.
   * @default - no fit check
   */
  readonly cluster?: ClusterCapacity;
  /**
   * Pods of one unit of each component on the new version (needed with `cluster`).
   * @default - no fit check
   */
  readonly newPods?: VersionPods;
  /**
   * Pods of one unit on the old version (requests, tolerations and selectors may differ).
   * @default - `newPods`
   */
  readonly oldPods?: VersionPods;
}

/** Adds pods and GPUs down, serving capacity and (with a cluster) the fit verdict to every step and sub-step. */
export function annotateSteps(components: readonly RolloutComponent[], raw: readonly RawStep[], options: AnnotateOptions = {}): RolloutStep[] {
  const byName = new Map(components.map(c => [c.name, c]));
  const rolled: Record<string, number> = {};
  return raw.map((step, s) => {
    const subSteps: SubStep[] = step.subSteps.map((sub, k) => {
      let podsDown = 0;
      let gpusDown = 0;
      for (const [name, n] of Object.entries(sub.take)) {
        const c = byName.get(name);
        podsDown += n * (c?.podsPerUnit ?? 0);
        gpusDown += n * (c?.gpusPerUnit ?? 0);
      }
      const during = serving(components, rolled, sub.take);
      const verdict = options.cluster && options.newPods
        ? subStepFits(components, rolled, sub.take, options.cluster, options.oldPods ?? options.newPods, options.newPods) : undefined;
      for (const [name, n] of Object.entries(sub.take)) rolled[name] = (rolled[name] ?? 0) + n;
      return {
        id: `${s + 1}.${k + 1}`,
        take: sub.take,
        ...(sub.mpg ? { mpg: sub.mpg } : {}),
        ...(sub.tpgs ? { tpgs: sub.tpgs } : {}),
        ...(sub.subsumed ? { subsumed: sub.subsumed } : {}),
        podsDown,
        gpusDown,
        serving: during,
        ...(verdict === undefined ? {} : { fits: verdict.fits }),
        ...(verdict?.reason === undefined ? {} : { unfitReason: verdict.reason }),
      };
    });
    const worst = subSteps.reduce((w, x) => (x.serving.old + x.serving.new < w.old + w.new ? x.serving : w), subSteps[0]?.serving ?? serving(components, rolled));
    const checked = subSteps.filter(x => x.fits !== undefined);
    return {
      index: s + 1,
      kind: step.kind,
      target: step.target,
      subSteps,
      podsDown: Math.max(0, ...subSteps.map(x => x.podsDown)),
      gpusDown: Math.max(0, ...subSteps.map(x => x.gpusDown)),
      serving: worst,
      after: serving(components, rolled),
      ...(checked.length > 0 ? { fits: checked.every(x => x.fits === true) } : {}),
    };
  });
}

/** Pods that keep running during a sub-step (old and already rolled), and the ones it creates, on the cluster's free capacity. */
function subStepFits(components: readonly RolloutComponent[], rolled: Counts, take: Counts, cluster: ClusterCapacity, oldPods: VersionPods, newPods: VersionPods): FitVerdict {
  const running: PodGroup[] = [];
  const incoming: PodGroup[] = [];
  for (const c of components) {
    if (!c.inScope) {
      running.push(unitsOf(oldPods, c.name, c.replicas));
      continue;
    }
    const done = rolled[c.name] ?? 0;
    const down = take[c.name] ?? 0;
    running.push(unitsOf(oldPods, c.name, c.replicas - done - down), unitsOf(newPods, c.name, done));
    incoming.push(unitsOf(newPods, c.name, down));
  }
  return fitsFreeCapacity(cluster, running, incoming);
}

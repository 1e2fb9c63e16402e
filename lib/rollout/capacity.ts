/**
 * Serving capacity during a rollout. A complete serving unit is `minAvailable` of every component (GREP-393's
 * minimum viable unit): prefill and decode of different versions must not talk, so on each version the service can
 * serve only as many units as its scarcest component allows, and the rest of that version's pods are stranded
 * (eight old prefill instances with two old decode instances serve like two). Components the update does not touch
 * serve both versions. Pure.
 */
import { GangPod } from '../catalog';
import { ClusterCapacity, fitsFreeCapacity } from './cluster-fit';
import { RawStep } from './coherent';
import { Counts, RolloutComponent, RolloutStep, Serving, SubStep } from './types';

/** Pods of one unit of each component, for the fit check. */
export type UnitPods = ReadonlyMap<string, readonly GangPod[]>;

/** Capacity when `rolled[c]` units are on the new version and `down[c]` are being replaced. */
export function serving(components: readonly RolloutComponent[], rolled: Counts, down: Counts = {}): Serving {
  const live = components.filter(c => c.replicas > 0 && c.minAvailable > 0);
  const count = (c: RolloutComponent, version: 'old' | 'new'): number => {
    if (!c.inScope) return c.replicas;
    const r = rolled[c.name] ?? 0;
    return version === 'new' ? r : c.replicas - r - (down[c.name] ?? 0);
  };
  const units = (version: 'old' | 'new'): number => (live.length === 0 ? 0
    : Math.min(...live.map(c => Math.floor(count(c, version) / c.minAvailable))));
  const old = units('old');
  const fresh = units('new');
  let strandedGpus = 0;
  for (const c of live.filter(x => x.inScope)) {
    strandedGpus += (count(c, 'old') - old * c.minAvailable) * c.gpusPerUnit;
    strandedGpus += (count(c, 'new') - fresh * c.minAvailable) * c.gpusPerUnit;
  }
  return { old, new: fresh, strandedGpus };
}

/** Options of `annotateSteps`. */
export interface AnnotateOptions {
  /** The cluster to check each sub-step's new pods against. */
  readonly cluster?: ClusterCapacity;
  readonly unitPods?: UnitPods;
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
      const fits = options.cluster && options.unitPods ? subStepFits(components, sub.take, options.cluster, options.unitPods) : undefined;
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
        ...(fits === undefined ? {} : { fits }),
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

/** Pods that keep running during a sub-step, and the ones it creates, placed on the cluster's free capacity. */
function subStepFits(components: readonly RolloutComponent[], take: Counts, cluster: ClusterCapacity, unitPods: UnitPods): boolean {
  const running: GangPod[] = [];
  const incoming: GangPod[] = [];
  for (const c of components) {
    const pods = unitPods.get(c.name) ?? [];
    const down = take[c.name] ?? 0;
    const up = c.inScope ? c.replicas - down : c.replicas;
    for (let i = 0; i < up; i++) running.push(...pods);
    for (let i = 0; i < down; i++) incoming.push(...pods);
  }
  return fitsFreeCapacity(cluster, running, incoming);
}

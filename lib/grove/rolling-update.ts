/**
 * Update strategy and per-component disruption budgets, by Grove API level:
 *
 * - `pinned`: `updateStrategy.type` is `RollingRecreate` or `OnDelete`; the controllers replace one pod or one
 *   scaling-group replica at a time and have no `rollingUpdate` field (pinned CRD grove.io_podcliquesets.yaml).
 * - `next` (GREP-393, CRDs of PR #649): `Coherent` joins and becomes Grove's default; standalone cliques and scaling
 *   groups get `rollingUpdate.maxUnavailable`, which Grove defaults to `minAvailable` under Coherent and to 1 under
 *   RollingRecreate.
 *
 * cdk8s-grove always writes `updateStrategy` (and at the `next` level every budget), so upgrading Grove never changes
 * how an update rolls out: a PodCliqueSet that omits the strategy would switch from RollingRecreate to Coherent.
 */
import type { GroveApiLevel } from '../schema/api-level';
import { ValidationProblem } from '../errors';
import { UpdateStrategyType } from './startup';

/** Per-component update knobs (GREP-393 `RollingUpdateConfiguration`; `next` Grove API only). */
export interface RollingUpdate {
  /**
   * Most pods (standalone clique) or scaling-group replicas (scaling group) down at once during an update. Under
   * Coherent it must be at least `minAvailable`: each step takes `minAvailable` down at once to create its gang.
   * @default - `minAvailable` under Coherent, 1 under RollingRecreate (Grove's defaults, written explicitly)
   */
  readonly maxUnavailable?: number;
}

/**
 * The strategy a PodCliqueSet renders: the one asked for, or the API level's choice. Coherent asked for at the pinned
 * API is a synth error (`strategyProblems`); admission then checks the rest of the object with RollingRecreate.
 */
export function effectiveStrategy(asked: UpdateStrategyType | undefined, groveApi: GroveApiLevel): UpdateStrategyType {
  if (groveApi === 'pinned' && (asked === undefined || asked === UpdateStrategyType.COHERENT)) return UpdateStrategyType.ROLLING_RECREATE;
  return asked ?? UpdateStrategyType.COHERENT;
}

/** The budget in force for a component, or undefined where Grove has none (pinned API, OnDelete). */
export function effectiveMaxUnavailable(rollingUpdate: RollingUpdate | undefined, strategy: UpdateStrategyType, minAvailable: number, groveApi: GroveApiLevel): number | undefined {
  if (groveApi === 'pinned' || strategy === UpdateStrategyType.ON_DELETE) return undefined;
  return rollingUpdate?.maxUnavailable ?? (strategy === UpdateStrategyType.COHERENT ? minAvailable : 1);
}

/** The `rollingUpdate` field to render (spread into the component), empty where Grove has none. */
export function renderRollingUpdate(rollingUpdate: RollingUpdate | undefined, strategy: UpdateStrategyType, minAvailable: number, groveApi: GroveApiLevel):
{ rollingUpdate?: { maxUnavailable: number } } {
  const value = effectiveMaxUnavailable(rollingUpdate, strategy, minAvailable, groveApi);
  return value === undefined ? {} : { rollingUpdate: { maxUnavailable: value } };
}

/** What a component needs for the checks. */
export interface BudgetOwner {
  readonly path: string;
  /** `clique` (standalone), `member clique` (in a scaling group) or `scaling group`. */
  readonly kind: 'clique' | 'member clique' | 'scaling group';
  readonly rollingUpdate?: RollingUpdate;
  readonly replicas: number;
  readonly minAvailable: number;
}

/** Synth-time problems of a component's budget: fields the API level lacks, and budgets that never let an update progress. */
export function rollingUpdateProblems(owner: BudgetOwner, strategy: UpdateStrategyType, groveApi: GroveApiLevel): ValidationProblem[] {
  const ru = owner.rollingUpdate;
  if (ru === undefined) return [];
  const field = 'rollingUpdate';
  if (owner.kind === 'member clique') {
    return [{ constructPath: owner.path, field, message: 'must not be set on a clique of a scaling group: the scaling group carries the budget of its cliques (GREP-393)',
      value: ru, fix: 'set rollingUpdate on the scaling group instead' }];
  }
  if (groveApi === 'pinned') {
    return [{ constructPath: owner.path, field, message: 'the pinned Grove API has no rollingUpdate (it replaces one pod or scaling-group replica at a time)',
      value: ru, fix: "remove rollingUpdate, or target the next API with GroveOperatorConfig.set(app, { groveApi: 'next' })" }];
  }
  if (strategy === UpdateStrategyType.ON_DELETE) {
    return [{ constructPath: owner.path, field, value: ru, message: 'Grove has no budget under OnDelete (it replaces a pod only when you delete it), so this would be ignored',
      fix: 'remove rollingUpdate, or choose the Coherent or RollingRecreate strategy' }];
  }
  const v = ru.maxUnavailable;
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
    return [{ constructPath: owner.path, field: 'rollingUpdate.maxUnavailable', message: 'must be a whole number >= 0', value: v, fix: 'set maxUnavailable to a whole number such as 1' }];
  }
  if (v === 0 && owner.replicas > 0 && strategy === UpdateStrategyType.ROLLING_RECREATE) {
    return [{ constructPath: owner.path, field: 'rollingUpdate.maxUnavailable', value: v,
      message: 'a budget of 0 never lets Grove take a pod down, so every update of this component stalls', fix: 'set maxUnavailable to 1 or more' }];
  }
  return [];
}

/** Synth-time problem of the strategy itself (Coherent exists at the next API level only). */
export function strategyProblems(path: string, asked: UpdateStrategyType | undefined, groveApi: GroveApiLevel): ValidationProblem[] {
  if (asked === UpdateStrategyType.COHERENT && groveApi === 'pinned') {
    return [{ constructPath: path, field: 'updateStrategy', value: asked, message: 'the pinned Grove API has no Coherent strategy (RollingRecreate or OnDelete)',
      fix: "use UpdateStrategyType.ROLLING_RECREATE, or target the next API with GroveOperatorConfig.set(app, { groveApi: 'next' })" }];
  }
  return [];
}

/**
 * Puts the rendered `rollingUpdate` of each clique and scaling group (by index) into the object's JSON. The generated
 * pinned L1 types drop fields the pinned CRD lacks, so next-API fields are added after them, keys in sorted order.
 */
export function attachRollingUpdates(json: any, cliques: readonly { rollingUpdate?: object }[], groups: readonly { rollingUpdate?: object }[]): any {
  const template = json?.spec?.template;
  if (template === undefined) return json;
  const put = (items: any[] | undefined, budgets: readonly { rollingUpdate?: object }[]) => items?.map((item, i) => {
    const ru = budgets[i]?.rollingUpdate;
    return ru === undefined ? item : Object.fromEntries(Object.entries({ ...item, rollingUpdate: ru }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
  const cliquesJson = put(template.cliques, cliques);
  const groupsJson = put(template.podCliqueScalingGroups, groups);
  return {
    ...json,
    spec: {
      ...json.spec,
      template: {
        ...template,
        ...(cliquesJson === undefined ? {} : { cliques: cliquesJson }),
        ...(groupsJson === undefined ? {} : { podCliqueScalingGroups: groupsJson }),
      },
    },
  };
}

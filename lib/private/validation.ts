import { IConstruct } from 'constructs';
import { throwIfProblems, ValidationProblem } from '../errors';
import { prepareOncePerSynthesis } from './chart-rendering';

const CHECKABLE = Symbol.for('cdk8s-grove.Checkable');

/** A construct that reports its own problems at synth time. */
export interface ICheckable extends IConstruct {
  /** @internal */
  _problems(pass?: CheckPass): ValidationProblem[];
}

/**
 * One validation of an app: its constructs, found once, and values the checks of all constructs share (e.g. the
 * app's ClusterTopologyBindings), computed once instead of once per construct.
 */
export class CheckPass {
  private readonly values = new Map<string, unknown>();

  constructor(
    /** Every construct of the app (from its root), in tree order. */
    public readonly constructs: readonly IConstruct[],
  ) {}

  /** `compute()`, computed once in this pass. */
  public shared<T>(key: string, compute: () => T): T {
    if (!this.values.has(key)) {
      this.values.set(key, compute());
    }
    return this.values.get(key) as T;
  }
}

const leaders = new WeakMap<IConstruct, IConstruct>();

/** One `App.synth()` / `App.synthYaml()` in progress: whether the app was checked in it already. */
export interface Synthesis {
  checked: boolean;
}

const syntheses = new WeakMap<IConstruct, Synthesis>();

/** The synthesis of the app holding `construct` that is in progress, if any. */
export function synthesisOf(construct: IConstruct): Synthesis | undefined {
  return syntheses.get(construct.node.root);
}

/**
 * Marks the span of every `synth()` and `synthYaml()` of the app `root` (when it is a cdk8s App), so that the checks
 * run once per synthesis instead of once per chart.
 *
 * Why: cdk8s validates the whole app again for every chart it renders (`App._synthChart` runs `validate(app)`),
 * so an app of C charts would be checked C + 1 times per synthesis. Within one synthesis nothing changes the
 * constructs (cdk8s' own premise: producers, resolvers and validations are pure), so the first check of the app
 * decides for the whole synthesis. Outside a synthesis (`chart.toJson()`, `Testing.synth()`) every validation checks.
 * For the same reason cdk8s' own per-chart preparation runs once per synthesis (`prepareOncePerSynthesis`).
 */
function watchSyntheses(root: IConstruct): void {
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = (root as unknown as Record<string, unknown>)[method];
    if (typeof original !== 'function') {
      continue;
    }
    Object.defineProperty(root, method, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        if (syntheses.has(root)) {
          return original.apply(this, args);
        }
        syntheses.set(root, { checked: false });
        const restore = prepareOncePerSynthesis(root);
        try {
          return original.apply(this, args);
        } finally {
          restore();
          syntheses.delete(root);
        }
      },
    });
  }
}

/**
 * Registers a construct whose problems are checked at synth time.
 *
 * cdk8s runs every `node.validate()` before it renders anything, and turns returned strings into a plain
 * `Error`. To report every Grove problem of the whole app at once, as one `GroveValidationError`, only the first
 * registered construct of each app adds a validation: it collects the problems of every registered construct
 * in the app and throws them together, once per synthesis (see `watchSyntheses`).
 */
export function registerCheckable(construct: ICheckable): void {
  Object.defineProperty(construct, CHECKABLE, { value: true });
  const root = construct.node.root;
  if (leaders.has(root)) {
    return;
  }
  leaders.set(root, construct);
  watchSyntheses(root);
  construct.node.addValidation({
    validate: () => {
      const synthesis = syntheses.get(root);
      if (synthesis?.checked) {
        return [];
      }
      throwIfProblems(collectProblems(root));
      if (synthesis) {
        synthesis.checked = true;
      }
      return [];
    },
  });
}

/** Every problem of every registered construct under `scope`, in tree order. */
export function collectProblems(scope: IConstruct): ValidationProblem[] {
  const root = scope.node.root;
  const app = root.node.findAll();
  const pass = new CheckPass(app);
  return (scope === root ? app : scope.node.findAll())
    .filter((c): c is ICheckable => (c as any)[CHECKABLE] === true)
    .flatMap(c => c._problems(pass));
}

/** Problems for a whole number prop outside `[min, max]`. */
export function integerProblems(
  path: string, field: string, value: number | undefined, min: number, max = 2147483647,
): ValidationProblem[] {
  if (value === undefined) {
    return [];
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === 2147483647 ? `a whole number >= ${min}` : `a whole number between ${min} and ${max}`;
    return [{ constructPath: path, field, message: `must be ${range}`, value, fix: `set ${field} to ${range}` }];
  }
  return [];
}

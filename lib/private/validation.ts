import { IConstruct } from 'constructs';
import { throwIfProblems, ValidationProblem } from '../errors';

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

/**
 * Registers a construct whose problems are checked at synth time.
 *
 * cdk8s runs every `node.validate()` before it renders anything, and turns returned strings into a plain
 * `Error`. To report every Grove problem of the whole app at once, as one `GroveValidationError`, only the first
 * registered construct of each app adds a validation: it collects the problems of every registered construct
 * in the app and throws them together.
 */
export function registerCheckable(construct: ICheckable): void {
  Object.defineProperty(construct, CHECKABLE, { value: true });
  const root = construct.node.root;
  if (leaders.has(root)) {
    return;
  }
  leaders.set(root, construct);
  construct.node.addValidation({
    validate: () => {
      throwIfProblems(collectProblems(root));
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

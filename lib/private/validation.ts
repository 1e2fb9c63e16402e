import { IConstruct } from 'constructs';
import { throwIfProblems, ValidationProblem } from '../errors';

const CHECKABLE = Symbol.for('cdk8s-grove.Checkable');

/** A construct that reports its own problems at synth time. */
export interface ICheckable extends IConstruct {
  /** @internal */
  _problems(): ValidationProblem[];
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
  return scope.node.findAll()
    .filter((c): c is ICheckable => (c as any)[CHECKABLE] === true)
    .flatMap(c => c._problems());
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

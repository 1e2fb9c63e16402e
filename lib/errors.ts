/**
 * One problem found in a cdk8s-grove input: which construct, which field, what was wrong and how to fix it.
 */
export interface ValidationProblem {
  /**
   * Construct path of the construct the problem belongs to (e.g. `app/llm/Prefill`), or a file/object
   * locator for inputs that do not come from a construct tree.
   */
  readonly constructPath: string;
  /**
   * Path of the offending field, in the user's terms (a prop name such as `replicas`, or a Grove field path
   * such as `spec.template.cliques[0].spec.minAvailable`).
   */
  readonly field: string;
  /** What is wrong, in lowercase, without a trailing period. */
  readonly message: string;
  /**
   * The offending value, when there is one.
   * @default - no value is shown
   */
  readonly value?: unknown;
  /**
   * How to fix it.
   * @default - no fix is suggested
   */
  readonly fix?: string;
}

/** Set to `1` to see where a `GroveValidationError` was thrown (its stack), e.g. `CDK8S_GROVE_DEBUG=1 cdk8s synth`. */
const DEBUG_ENV = 'CDK8S_GROVE_DEBUG';

/**
 * The one error type of cdk8s-grove. Thrown by constructors and `add*` methods for invalid props, and at
 * synth time for everything Grove's admission webhooks would refuse. It carries every problem found, not
 * only the first.
 *
 * Its message is the whole problem list. When the error ends an app (a failed `cdk8s synth`), Node.js prints just
 * that list: the `stack` holds no frames (they point into cdk8s-grove, not at the user's mistake) unless
 * `CDK8S_GROVE_DEBUG=1` is set, and `problems` is not enumerable, so it is not dumped a second time.
 */
export class GroveValidationError extends Error {
  /** Every problem found. */
  declare public readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    super(GroveValidationError.format(problems));
    this.name = 'GroveValidationError';
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false, writable: false, configurable: true });
    if (!debugging()) {
      Object.defineProperty(this, 'stack', { value: `${this.name}: ${this.message}`, enumerable: false, writable: true, configurable: true });
    }
  }

  /**
   * Formats one problem as `[path] field: message, got value; fix`.
   */
  public static formatProblem(p: ValidationProblem): string {
    const got = p.value === undefined ? '' : `, got ${showValue(p.value)}`;
    const fix = p.fix ? `; ${p.fix}` : '';
    return `[${p.constructPath}] ${p.field}: ${p.message}${got}${fix}`;
  }

  private static format(problems: readonly ValidationProblem[]): string {
    if (problems.length === 1) {
      return GroveValidationError.formatProblem(problems[0]);
    }
    return `${problems.length} problems found:\n  ${problems.map(p => GroveValidationError.formatProblem(p)).join('\n  ')}`;
  }
}

/**
 * Throws a `GroveValidationError` holding all the given problems, if there are any.
 */
export function throwIfProblems(problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) {
    throw new GroveValidationError(problems);
  }
}

function debugging(): boolean {
  const value = typeof process === 'undefined' ? undefined : process.env[DEBUG_ENV];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

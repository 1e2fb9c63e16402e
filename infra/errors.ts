import * as pulumi from '@pulumi/pulumi';
import { GroveValidationError, ValidationProblem } from '../lib/errors';

/**
 * Stops the program before any resource is created: invalid stack config, an app that fails to synthesize,
 * a workload whose KAI queue cannot place it, or a workload that can never fit the GPU pools.
 *
 * A `RunError`, so Pulumi prints the message without a stack trace. The message lists every problem, one per
 * line, in the cdk8s-grove format `[where] field: what is wrong, got value; how to fix it`.
 */
export class StackPreflightError extends pulumi.RunError {
  /** Every problem found. */
  public readonly problems: readonly ValidationProblem[];

  constructor(summary: string, problems: readonly ValidationProblem[]) {
    super(`${summary} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.map(p => GroveValidationError.formatProblem(p)).join('\n  ')}`);
    this.name = 'StackPreflightError';
    this.problems = problems;
  }
}

/** Throws a `StackPreflightError` when there are problems. */
export function throwIfPreflightProblems(summary: string, problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) {
    throw new StackPreflightError(summary, problems);
  }
}

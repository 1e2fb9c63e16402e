import { Testing } from 'cdk8s';
import { GroveValidationError } from '../../lib';

/** The one PodCliqueSet a chart synthesized. */
export function synthPcs(chart: ReturnType<typeof Testing.chart>): any {
  const objects = Testing.synth(chart).filter(o => o.kind === 'PodCliqueSet');
  expect(objects).toHaveLength(1);
  return objects[0];
}

/** Runs `fn`, expects a GroveValidationError, and returns it. */
export function catchValidation(fn: () => unknown): GroveValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GroveValidationError);
    return e as GroveValidationError;
  }
  throw new Error('expected a GroveValidationError, but nothing was thrown');
}

/** A minimal container. */
export const APP = { image: 'registry.example.com/app:1.0' };

import { IConstruct } from 'constructs';
import { throwIfProblems, ValidationProblem } from './errors';

/**
 * How to supply each required prop of a construct: prop name -> the fix shown when it is missing.
 */
export type RequiredProps = { readonly [prop: string]: string };

/**
 * Checks, before a construct is created, that its props hold every required prop, and throws one
 * `GroveValidationError` naming each missing one.
 *
 * TypeScript callers cannot leave a required prop out; JavaScript callers, `tsx` (which does not type-check) and
 * props read from JSON or YAML can, and would otherwise meet a `TypeError` deep inside the construct. Call it first
 * in the constructor, before `super()` reads the props: the construct does not exist yet, so its path is built from
 * `scope` and `id`. `null` counts as missing, and so does a `props` argument that is not an object at all.
 *
 * @param scope the scope the construct is being created in
 * @param id the construct's id
 * @param construct the class name, for the message (e.g. `AggregatedLlm`)
 * @param props the props as passed
 * @param required each required prop and how to supply it
 */
export function checkRequiredProps(scope: IConstruct, id: string, construct: string, props: unknown, required: RequiredProps): void {
  const parent = scope?.node?.path ?? '';
  const constructPath = parent ? `${parent}/${id}` : String(id);
  const given = typeof props === 'object' && props !== null ? props as { readonly [key: string]: unknown } : {};
  const problems: ValidationProblem[] = [];
  for (const [prop, fix] of Object.entries(required)) {
    const value = given[prop];
    if (value === undefined || value === null) {
      problems.push({ constructPath, field: prop, message: `${construct} needs \`${prop}\`, which is missing`, ...(value === null ? { value } : {}), fix });
    }
  }
  throwIfProblems(problems);
}

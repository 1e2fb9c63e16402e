/**
 * Update safety at `pulumi preview`: the program compares what it is about to apply with what the last
 * successful `pulumi up` of the same stack applied, and stops before anything changes when Grove would refuse the
 * update or when a setting changed that the program ignores after creation.
 *
 * The previous state is the stack's own output `deployed` (written by every run, read back with a
 * `StackReference` to the stack itself). The Grove comparison is `cdk8s-grove diff`'s (`diffObjects`, UPDATE
 * admission with the old object as the stored one), and the problems carry its messages.
 */
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_OPERATOR_CONFIG, OperatorConfig } from '../lib/admission';
import { diffObjects } from '../lib/cli/diff';
import { LoadedInput, SourceObject } from '../lib/cli/input';
import { ValidationProblem } from '../lib/errors';
import { StackPreflightError } from './errors';
import { JsonObject } from './private/helm';

/** What one run records for the next (the stack output `deployed`). Plain JSON. */
export interface DeployedRecord {
  /** Grove objects (PodCliqueSets, ClusterTopologyBindings) per app, as applied. */
  readonly apps: Readonly<Record<string, readonly JsonObject[]>>;
  /** Settings the program ignores after creation, by config key (e.g. `azure.systemPool`). */
  readonly createOnly: Readonly<Record<string, unknown>>;
}

/** The Grove objects of an app that Grove's UPDATE admission judges. */
export function groveObjects(objects: readonly JsonObject[]): JsonObject[] {
  return objects.filter(o => typeof o.apiVersion === 'string' && o.apiVersion.startsWith('grove.io/')
    && (o.kind === 'PodCliqueSet' || o.kind === 'ClusterTopologyBinding'));
}

function loaded(file: string, objects: readonly JsonObject[]): LoadedInput {
  const sources: SourceObject[] = objects.map((object, i) => ({ file, line: i + 1, object, lineOf: () => i + 1 }));
  return { files: [file], objects: sources, problems: [] };
}

/**
 * Every update Grove would refuse, per app: the refused findings of `cdk8s-grove diff` between the recorded and
 * the new objects, formatted as the command prints them. Apps that were not deployed before are not compared.
 */
export function refusedGroveUpdates(previous: DeployedRecord | undefined, next: Readonly<Record<string, readonly JsonObject[]>>,
  operatorConfig: OperatorConfig = DEFAULT_OPERATOR_CONFIG): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [app, objects] of Object.entries(next)) {
    const old = previous?.apps?.[app];
    if (!Array.isArray(old)) {
      continue;
    }
    const report = diffObjects(loaded(`${app} (deployed)`, old), loaded(app, groveObjects(objects)), { operatorConfig });
    for (const f of report.findings.filter(x => x.change === 'refused')) {
      // The message and fix `cdk8s-grove diff` prints for this change (`... refused  <message>; fix: <fix>`).
      problems.push({
        constructPath: `${app}:${f.object}`,
        field: f.field,
        message: `Grove refuses this update: ${f.message}`,
        fix: f.fix ?? 'revert the change',
      });
    }
  }
  return problems;
}

/** JSON with sorted keys and without undefined values, for comparing recorded settings. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x));
}

/** Every create-only setting whose value differs from the one recorded at the last `pulumi up`. */
export function ignoredChanges(previous: DeployedRecord | undefined, next: Readonly<Record<string, unknown>>, where: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [key, value] of Object.entries(next)) {
    const old = previous?.createOnly?.[key];
    if (old !== undefined && canonical(old) !== canonical(value)) {
      problems.push({
        constructPath: where,
        field: `cdk8s-grove:${key}`,
        message: `changed from ${canonical(old)} to ${canonical(value)}, but the program cannot apply it after the cluster is created`
          + ' (the inline system pool is ignored on update so it does not conflict with the separately managed GPU pools)',
        value,
        fix: `revert it in ${where}; change the system pool with \`az aks nodepool update\` (or add a new system pool and delete the old one)`,
      });
    }
  }
  return problems;
}

/** Throws the problems as one `StackPreflightError` (fails `pulumi preview` and `pulumi up`). */
export function throwIfUnsafeUpdate(problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) {
    throw new StackPreflightError('the update would fail or be ignored', problems);
  }
}

/** The stack's previous record, from its own outputs (undefined before the first `pulumi up`). */
export function previousDeployment(stackName: string = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`): pulumi.Output<DeployedRecord | undefined> {
  const self = new pulumi.StackReference('previous-deployment', { name: stackName });
  return self.getOutput('deployed') as pulumi.Output<DeployedRecord | undefined>;
}

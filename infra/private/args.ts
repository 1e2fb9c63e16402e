import * as pulumi from '@pulumi/pulumi';

/** One problem with a component's arguments: the argument path and what is wrong with it (and how to fix it). */
export type ArgProblem = pulumi.InputPropertyErrorDetails;

/**
 * Throws a `pulumi.InputPropertiesError` listing every problem, if there are any. The message names the
 * component so a failing program says which resource's arguments were wrong.
 */
export function throwIfArgProblems(component: string, name: string, problems: readonly ArgProblem[]): void {
  if (problems.length === 0) {
    return;
  }
  const lines = problems.map(p => `${p.propertyPath}: ${p.reason}`);
  throw new pulumi.InputPropertiesError({
    message: `invalid arguments for ${component} "${name}":\n  ${lines.join('\n  ')}`,
    errors: [...problems],
  });
}

/** Problems for a whole number outside `[min, max]`. */
export function integerProblems(path: string, value: number | undefined, min: number, max?: number): ArgProblem[] {
  if (value === undefined) {
    return [];
  }
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `a whole number >= ${min}` : `a whole number between ${min} and ${max}`;
    return [{ propertyPath: path, reason: `must be ${range}, got ${JSON.stringify(value)}` }];
  }
  return [];
}

/** Kubernetes label keys and values: an optional DNS-subdomain prefix and a name of at most 63 characters. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `key` is a valid Kubernetes label key. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** True when `value` is a valid Kubernetes label value (possibly empty). */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** True when `name` is a DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters). */
export function isDnsLabel(name: string): boolean {
  return name.length > 0 && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

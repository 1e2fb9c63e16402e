/**
 * Validation of a whole custom resource against a parsed CustomResourceDefinition document.
 */
import { ValidationProblem } from '../errors';
import { validateObjectMeta } from './object-meta';
import { celIssues } from './cel';
import { listTypeIssues } from './list-type';
import { walkSchema } from './structural';
import { SchemaIssue } from './types';
import { describeType, isPlainObject, show } from './util';

/** The version of a CRD that serves a given `apiVersion`. */
export interface CrdVersion {
  /** API group, e.g. `grove.io`. */
  readonly group: string;
  /** Version name, e.g. `v1alpha1`. */
  readonly version: string;
  /** `spec.names.kind`, e.g. `PodCliqueSet`. */
  readonly kind: string;
  /** `Namespaced` or `Cluster`. */
  readonly scope: string;
  /**
   * The version's `openAPIV3Schema`.
   * @default - undefined when the CRD version carries no schema
   */
  readonly schema?: Record<string, unknown>;
}

/** Error types after which the API server does not evaluate CEL rules. */
export const BLOCKING_TYPES: ReadonlySet<string> = new Set(['NotSupported', 'Required', 'TooLong', 'TooMany', 'TypeInvalid']);

/** Fields of a resource that the API server handles itself rather than through the CRD schema. */
const RESOURCE_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Finds the served version of `crd` that matches `apiVersion` (`<group>/<version>`).
 *
 * @returns the version, or undefined when the CRD document is malformed, the group differs or the version is not
 * served
 */
export function findCrdVersion(crd: unknown, apiVersion: string): CrdVersion | undefined {
  const info = crdInfo(crd);
  return info === undefined ? undefined : versionFromInfo(info, apiVersion);
}

function versionFromInfo(info: CrdInfo, apiVersion: string): CrdVersion | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0 || apiVersion.slice(0, slash) !== info.group) {
    return undefined;
  }
  const name = apiVersion.slice(slash + 1);
  const v = info.versions.find(x => x.name === name && x.served);
  if (v === undefined) {
    return undefined;
  }
  return { group: info.group, version: name, kind: info.kind, scope: info.scope, schema: v.schema };
}

/**
 * Validates a whole custom resource the way the API server does on create: `apiVersion` must name a served version
 * of the CRD, `kind` must match, `metadata` is checked as ObjectMeta (the schema does not describe it), and
 * everything else is checked against that version's structural schema with `validateStructural` semantics (unknown
 * fields are issues), then list types and, unless a blocking error was found, the CEL rules.
 *
 * Never throws: malformed objects and malformed CRD documents come back as issues.
 *
 * @param obj the resource, e.g. one element of `Testing.synth(chart)`
 * @param crd a parsed `apiextensions.k8s.io/v1` CustomResourceDefinition document
 */
export function validateAgainstCrd(obj: unknown, crd: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  try {
    const info = crdInfo(crd);
    if (info === undefined) {
      return [{ field: '', type: 'InternalError', detail: 'the CRD document is not a CustomResourceDefinition with spec.group, spec.names.kind and spec.versions' }];
    }
    if (!isPlainObject(obj)) {
      return [{ field: '', type: 'TypeInvalid', detail: `a resource must be of type object, got ${describeType(obj)}` }];
    }

    const version = checkApiVersion(obj.apiVersion, info, issues);
    checkKind(obj.kind, info.kind, issues);
    validateObjectMeta(obj.metadata, 'metadata', issues, { requireName: true });
    // A namespace on a cluster-scoped object is cleared by the API server; that loses nothing, so it is not reported.

    if (version?.schema !== undefined) {
      const schemaIssues = walkSchema(obj, version.schema, '', { reportUnknown: true, skipKeys: RESOURCE_KEYS });
      issues.push(...schemaIssues, ...listTypeIssues(obj, version.schema, ''));
      // CEL rules run only when no blocking error was found, as in the API server (strategy.go hasBlockingErr).
      if (!issues.some(i => BLOCKING_TYPES.has(i.type))) {
        issues.push(...celIssues(obj, version.schema, undefined, ''));
      }
    }
  } catch (e) {
    issues.push({ field: '', type: 'InternalError', detail: `validation stopped: ${e instanceof Error ? e.message : String(e)}` });
  }
  return issues;
}

/** Renders an issue as `<type> @ <field>: <detail>`, the notation of the Grove reference docs. */
export function formatSchemaIssue(issue: SchemaIssue): string {
  return `${issue.type} @ ${issue.field === '' ? '<root>' : issue.field}: ${issue.detail}`;
}

/**
 * Turns schema issues into `ValidationProblem`s for a `GroveValidationError`.
 *
 * @param constructPath construct path (or object locator) the issues belong to
 */
export function schemaIssuesToProblems(issues: readonly SchemaIssue[], constructPath: string): ValidationProblem[] {
  return issues.map(issue => ({
    constructPath,
    field: issue.field === '' ? '<root>' : issue.field,
    message: `${issue.detail} (${issue.type})`,
    ...(issue.type === 'UnknownField' ? { fix: 'remove the field or check its spelling against the CRD' } : {}),
  }));
}

interface CrdInfo {
  readonly group: string;
  readonly kind: string;
  readonly scope: string;
  readonly versions: readonly { name: string; served: boolean; schema?: Record<string, unknown> }[];
}

function crdInfo(crd: unknown): CrdInfo | undefined {
  if (!isPlainObject(crd) || !isPlainObject(crd.spec)) {
    return undefined;
  }
  const spec = crd.spec;
  const names = spec.names;
  if (typeof spec.group !== 'string' || !isPlainObject(names) || typeof names.kind !== 'string' || !Array.isArray(spec.versions)) {
    return undefined;
  }
  const versions = spec.versions.filter(isPlainObject).filter(v => typeof v.name === 'string').map(v => {
    const schemaHolder = v.schema;
    const schema = isPlainObject(schemaHolder) && isPlainObject(schemaHolder.openAPIV3Schema) ? schemaHolder.openAPIV3Schema : undefined;
    return { name: v.name as string, served: v.served !== false, schema };
  });
  return { group: spec.group, kind: names.kind, scope: typeof spec.scope === 'string' ? spec.scope : 'Namespaced', versions };
}

function checkApiVersion(apiVersion: unknown, info: CrdInfo, issues: SchemaIssue[]): CrdVersion | undefined {
  const served = info.versions.filter(v => v.served).map(v => `${info.group}/${v.name}`);
  if (apiVersion === undefined || apiVersion === '') {
    issues.push({ field: 'apiVersion', type: 'Required', detail: `required value, one of ${served.join(', ')}` });
    return undefined;
  }
  if (typeof apiVersion !== 'string') {
    issues.push({ field: 'apiVersion', type: 'TypeInvalid', detail: `must be of type string, got ${describeType(apiVersion)}` });
    return undefined;
  }
  const version = versionFromInfo(info, apiVersion);
  if (version === undefined) {
    issues.push({ field: 'apiVersion', type: 'NotSupported', detail: `unsupported value ${show(apiVersion)}, supported values: ${served.map(s => show(s)).join(', ')}` });
  }
  return version;
}

function checkKind(kind: unknown, expected: string, issues: SchemaIssue[]): void {
  if (kind === undefined || kind === '') {
    issues.push({ field: 'kind', type: 'Required', detail: `required value, expected ${show(expected)}` });
  } else if (kind !== expected) {
    issues.push({ field: 'kind', type: 'Invalid', detail: `${show(kind)} does not match the CRD's kind ${show(expected)}` });
  }
}

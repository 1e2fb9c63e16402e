/**
 * `lint --format sarif`: the findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), the
 * format GitHub code scanning and other CI dashboards read. One run, one result per finding (rule id, level,
 * message, file and line); the rules used are described once in the tool's driver.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { packageVersion } from '../private/package-version';
import { Finding, Severity } from './output';

/** The schema a SARIF 2.1.0 log names (the OASIS standard's schema, as published by SchemaStore). */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What each lint check looks at, for the rule descriptions of the log. */
const RULES: { readonly [id: string]: string } = {
  'yaml': 'The file is valid YAML.',
  'duplicate': 'No object is defined twice (same kind, namespace and name).',
  'admission': "Grove's admission webhooks (defaulting and validation, offline) accept the object.",
  'crd': 'The object matches the structure of the pinned Grove CRD (required fields, types, no unknown fields).',
  'topology-ref': 'Every ClusterTopologyBinding a topology constraint refers to is defined.',
  'kai-queue': 'Every KAI queue a workload names is defined in the input or known to exist.',
  'gpu-toleration': 'A clique that requests GPUs tolerates the nvidia.com/gpu NoSchedule taint of GPU nodes.',
  'image-tag': 'Images are pinned by tag or digest (not :latest, not untagged).',
  'inline-secret': 'No env value looks like a secret written inline; secrets come from a Secret reference.',
  'replicas': 'A PodCliqueSet states how many replicas it wants.',
};

/** SARIF levels of our severities. */
const LEVELS: { readonly [s in Severity]: 'error' | 'warning' | 'note' } = { error: 'error', warning: 'warning', info: 'note' };

/** Options of `toSarif`. */
export interface SarifOptions {
  /**
   * Remarks about the run (a skipped check), reported as tool notifications.
   * @default - none
   */
  readonly notes?: readonly string[];
}

/**
 * A SARIF 2.1.0 log of lint findings. Files named by a relative path (run it from the repository root) become URIs
 * relative to `%SRCROOT%`, which code scanning resolves to the checkout. Deterministic: the same findings give the
 * same log (no timestamps, no absolute paths unless a file was named by one).
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): object {
  const ruleIds = [...new Set(findings.map(f => f.rule))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-grove',
          ...(packageVersion() === undefined ? {} : { version: packageVersion() }),
          informationUri: 'https://www.npmjs.com/package/cdk8s-grove',
          rules: ruleIds.map(id => ({
            id,
            name: ruleName(id),
            shortDescription: { text: RULES[id] ?? `cdk8s-grove lint check ${id}.` },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: (options.notes ?? []).map(text => ({ level: 'note', message: { text } })),
      }],
      results: findings.map(f => result(f, ruleIndex.get(f.rule) ?? 0)),
    }],
  };
}

function result(f: Finding, ruleIndex: number): object {
  const where = [f.object === '-' ? '' : f.object, f.field].filter(s => s !== '').join(' ');
  const fix = f.fix === undefined ? '' : `; fix: ${f.fix}`;
  const artifact = artifactLocation(f.file);
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text: `${where === '' ? '' : `${where}: `}${f.message}${fix}` },
    locations: [{
      ...(artifact === undefined ? {} : { physicalLocation: { artifactLocation: artifact, region: { startLine: Math.max(1, f.line) } } }),
      ...(f.object === '-' ? {} : {
        logicalLocations: [{ fullyQualifiedName: f.field === '' ? f.object : `${f.object}.${f.field}`, kind: 'object' }],
      }),
    }],
  };
}

/** Where a finding's file is, as a SARIF artifact location; none for stdin. */
function artifactLocation(file: string): object | undefined {
  if (file === '<stdin>' || file === '-') return undefined;
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const relative = file.split(path.sep).join('/').replace(/^\.\//, '');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** `kai-queue` -> `KaiQueue`: SARIF's rule names are identifiers. */
function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * `cdk8s-grove lint`: every PodCliqueSet and ClusterTopologyBinding of the input through Grove's admission (the
 * offline port), the CRD structure, and checks across objects that a webhook cannot make.
 */
import { AdmissionError, OperatorConfig, admit } from '../admission';
import { GroveApiLevel, groveCrdVersion, validateAgainstCrd, walkSchema } from '../schema';
import { podGpuRequest } from '../catalog';
import { HELP_OPTION, groveApiOf, ParsedArgs, UsageError } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import { OPERATOR_OPTIONS, describeOperatorConfig, operatorConfigFromArgs } from './config';
import { CrdSet, compiledCrds, loadCrds } from './crds';
import { imagePinning, redact, secretLike, toleratesGpuTaint } from './hygiene';
import { ClusterModel } from '../cluster';
import { dynamoFindings } from './lint-dynamo';
import { readClusterFile } from './plan';
import { LoadedInput, SourceObject, apiGroup, isKind, loadInputs, nameOf, objectKey, objectLabel } from './input';
import { Finding, Io, Severity, countText, formatFinding, plural, sortFindings, toJson } from './output';
import { toSarif } from './sarif';
import { Json, PcsInfo, list, readPcs, record, startupCycles, str } from './pcs-model';

const GROVE = 'grove.io';
const KAI_QUEUE_GROUP = 'scheduling.run.ai';
const KAI_QUEUE_KEY = 'kai.scheduler/queue';
const KAI_SCHEDULER = 'kai-scheduler';
const RESTART_POLICY_WARNING = 'restartPolicy will be ignored, it will be set to Always';

/** What `lintObjects` checks against. */
export interface LintOptions {
  /** The Grove operator configuration admission runs with. */
  readonly operatorConfig: OperatorConfig;
  /**
   * KAI queues that exist in the cluster, besides the `scheduling.run.ai` Queue objects of the input.
   * @default - none
   */
  readonly kaiQueues?: readonly string[];
  /**
   * The CRDs for the structure check (unknown fields, required fields as written), e.g. a user's own CRD files.
   * @default - the compiled CRDs of `groveApi`, the ones admission validates with
   */
  readonly crds?: CrdSet;
  /**
   * The Grove API level admission runs at.
   * @default 'pinned'
   */
  readonly groveApi?: GroveApiLevel;
  /**
   * Objects that exist in the cluster though not in the input (`Kind/name`), for the Dynamo reference checks.
   * @default - none
   */
  readonly present?: readonly string[];
  /**
   * The cluster model of `--cluster FILE` (lib/cluster): its Secrets, claims, CRDs and queues exist.
   * @default - none
   */
  readonly cluster?: ClusterModel;
}

/** Counts for the summary line. */
export interface LintSummary {
  readonly files: number;
  readonly objects: number;
  /** Linted objects per kind. */
  readonly linted: Record<string, number>;
  /** Objects passed over per kind (not PodCliqueSet or ClusterTopologyBinding). */
  readonly passedOver: Record<string, number>;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Everything `lint` found. */
export interface LintReport {
  /** In file order, then line. */
  readonly findings: readonly Finding[];
  readonly summary: LintSummary;
  /** Remarks about the run itself (a skipped check). */
  readonly notes: readonly string[];
}

/** Lints loaded manifests. Pure: reads nothing but its arguments. */
export function lintObjects(input: LoadedInput, options: LintOptions): LintReport {
  const findings: Finding[] = [];
  const notes: string[] = [];
  for (const p of input.problems) {
    findings.push({ severity: 'error', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: p.message, fix: 'correct the YAML syntax', rule: 'yaml' });
  }

  const pcsList = input.objects.filter(o => isPodCliqueSet(o.object));
  const ctbList = input.objects.filter(o => isKind(o.object, GROVE, 'ClusterTopologyBinding'));
  const linted = new Set([...pcsList, ...ctbList]);
  const clusterObjects = input.objects
    .filter(o => isKind(o.object, GROVE, 'ClusterTopologyBinding') || isKind(o.object, 'scheduling.volcano.sh', 'Queue'))
    .map(o => o.object);
  const ctbNames = new Set(ctbList.map(o => nameOf(o.object)));
  const kaiQueues = new Set([
    ...input.objects.filter(o => isKind(o.object, KAI_QUEUE_GROUP, 'Queue')).map(o => nameOf(o.object)),
    ...(options.kaiQueues ?? []),
    ...(options.cluster?.queues ?? []),
  ]);

  const crds = options.crds ?? compiledCrds(options.groveApi ?? 'pinned');
  findings.push(...duplicates(input.objects));
  for (const src of ctbList) {
    const response = admit({ operation: 'CREATE', object: src.object, operatorConfig: options.operatorConfig }, { groveApi: options.groveApi });
    const admission = response.errors.map(e => admissionFinding(src, e, undefined)).filter((f): f is Finding => f !== undefined);
    findings.push(...admission, ...crdFindings(src, crds, admission, notes));
  }
  for (const src of pcsList) {
    const pcs = readPcs(src.object);
    const response = admit({ operation: 'CREATE', object: src.object, operatorConfig: options.operatorConfig, clusterObjects }, { groveApi: options.groveApi });
    const admission = response.errors.map(e => admissionFinding(src, e, pcs)).filter((f): f is Finding => f !== undefined);
    const warnings = response.warnings.filter(w => w !== RESTART_POLICY_WARNING).map(w => admissionWarning(src, w));
    const written = writtenRequiredFindings(src, admission, pcs, options.groveApi ?? 'pinned');
    findings.push(
      ...admission,
      ...warnings,
      ...written,
      ...crdFindings(src, crds, [...admission, ...written], notes),
      ...topologyReferences(src, pcs, ctbNames),
      ...queueReferences(src, pcs, options.operatorConfig, kaiQueues),
      ...podSpecFindings(src, pcs),
      ...replicaFindings(src, pcs),
    );
  }
  findings.push(...dynamoFindings(input.objects, options.present ?? [], options.cluster));

  const lintedCounts: Record<string, number> = {};
  const passedOver: Record<string, number> = {};
  for (const o of input.objects) {
    const kind = typeof o.object.kind === 'string' && o.object.kind !== '' ? o.object.kind : '<no kind>';
    const counts = linted.has(o) ? lintedCounts : passedOver;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  const count = (s: Severity): number => findings.filter(f => f.severity === s).length;
  return {
    findings: sortFindings(findings, input.files),
    summary: {
      files: input.files.length,
      objects: input.objects.length,
      linted: sortKeys(lintedCounts),
      passedOver: sortKeys(passedOver),
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    },
    notes: [...new Set(notes)],
  };
}

/** PodCliqueSets of `grove.io` (any version; admission reports unsupported ones), or without apiVersion. */
function isPodCliqueSet(obj: Json): boolean {
  return obj.kind === 'PodCliqueSet' && (apiGroup(obj) === GROVE || obj.apiVersion === undefined);
}

function finding(src: SourceObject, severity: Severity, field: string, message: string, fix: string | undefined, rule: string): Finding {
  return {
    severity,
    file: src.file,
    line: field === '' ? src.line : src.lineOf(field),
    objectLine: src.line,
    object: objectLabel(src.object),
    field,
    message,
    ...(fix === undefined ? {} : { fix }),
    rule,
  };
}

/** Objects defined twice (same kind, namespace and name). */
function duplicates(objects: readonly SourceObject[]): Finding[] {
  const first = new Map<string, SourceObject>();
  const out: Finding[] = [];
  for (const o of objects) {
    if (nameOf(o.object) === '' || typeof o.object.kind !== 'string') continue;
    const key = objectKey(o.object);
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, o);
    } else {
      out.push(finding(o, 'warning', 'metadata.name', `defined twice: also at ${seen.file}:${seen.line}; the later one replaces the earlier when applied`,
        'keep one definition or rename one of them', 'duplicate'));
    }
  }
  return out;
}

/** One admission error as a finding; undefined for errors another check reports better. */
function admissionFinding(src: SourceObject, e: AdmissionError, pcs: PcsInfo | undefined): Finding | undefined {
  if (e.field === '<nil>') {
    return finding(src, 'info', '', 'some validation rules were not checked because the object was invalid', 'fix the other errors and lint again', 'admission');
  }
  if (/^ClusterTopologyBinding ".*" not found$/.test(e.detail)) {
    return undefined; // reported by the topology-reference check, with the place of the reference
  }
  const message = e.type === 'Required' && e.detail === 'Required value' ? 'required field is missing' : e.detail;
  return finding(src, 'error', e.field, message, admissionFix(e, pcs), 'admission');
}

/** Warnings Grove returns; a leading field path becomes the finding's field. */
function admissionWarning(src: SourceObject, warning: string): Finding {
  const m = /^((?:spec|metadata)[^\s]*)\s+(.*)$/.exec(warning);
  return m === null
    ? finding(src, 'warning', '', warning, undefined, 'admission')
    : finding(src, 'warning', m[1], m[2], undefined, 'admission');
}

const HINTS: readonly [RegExp, (e: AdmissionError, pcs: PcsInfo | undefined) => string][] = [
  [/circular dependencies/, (_e, pcs) => {
    const cycles = pcs === undefined ? [] : startupCycles(pcs);
    const shown = cycles.map(c => c.join(' -> ')).join('; ');
    return cycles.length === 0
      ? 'remove one startsAfter entry of the cycle'
      : `remove one startsAfter entry of the cycle ${shown} (each clique starts after the next)`;
  }],
  [/combined resource name length (\d+) exceeds (\d+)/, e => {
    const m = /combined resource name length (\d+) exceeds (\d+)/.exec(e.detail) as RegExpExecArray;
    const over = Number(m[1]) - Number(m[2]);
    return `shorten the PodCliqueSet, scaling group or clique name by at least ${over} character${over === 1 ? '' : 's'}; together they may have ${m[2]}`;
  }],
  [/minAvailable must not be greater than replicas/, () => 'lower minAvailable or raise replicas'],
  [/must be greater than 0/, () => 'use a value of at least 1'],
  [/unknown clique names found/, () => 'name only cliques of spec.template.cliques in startsAfter'],
  [/cannot refer to itself/, () => 'remove the clique\'s own name from its startsAfter'],
  [/clique dependency must not be empty/, () => 'remove the empty startsAfter entry'],
  [/Topology Aware Scheduling is disabled/, () => 'remove the topologyConstraint, or lint with --tas if the operator has topology-aware scheduling enabled'],
  [/MNNVL is not enabled/, () => 'remove the grove.io/mnnvl-group annotation (or set it to none), or lint with --auto-mnnvl if the operator has auto-MNNVL enabled'],
  [/not enabled in OperatorConfiguration|must be an enabled scheduler backend|scheduler backend is not enabled/,
    () => 'use a scheduler the operator enables, or lint with --scheduler NAME for each backend it enables'],
  [/have to be the same/, () => 'use the same podSpec.schedulerName in every clique'],
  [/does not implement topology-aware scheduling/, () => 'bind only kai-scheduler, the one topology-aware backend'],
  [/no KAI queue is configured/, () => `add the label ${KAI_QUEUE_KEY}: <queue> to the PodCliqueSet and its cliques`],
  [/KAI queue|conflicting KAI queues/, () => `use one ${KAI_QUEUE_KEY} value on the PodCliqueSet and all its cliques`],
  [/volcano/i, () => 'use one existing, open Volcano queue and no topology constraints'],
  [/topologyName is required/, () => 'set topologyConstraint.topologyName to the ClusterTopologyBinding\'s name'],
  [/topologyName values within a PodCliqueSet must match/, () => 'use one topologyName throughout the PodCliqueSet'],
  [/does not exist in cluster topology/, () => 'use a domain listed in the ClusterTopologyBinding\'s spec.levels'],
  [/is narrower than/, () => 'give a parent a pack domain equal to or broader than its children\'s'],
  [/packDomain is deprecated/, () => 'use pack.required instead of packDomain'],
  [/must specify pack|pack must specify/, () => 'set pack.required or pack.preferred'],
  [/terminationDelay/, () => 'set terminationDelay to a positive duration such as 4h'],
  [/AutoScalingConfig is not allowed/, () => 'scale scaling-group members with the scaling group\'s scaleConfig instead'],
  [/minReplicas|maxReplicas/, () => 'keep minAvailable <= minReplicas <= maxReplicas and replicas <= maxReplicas'],
  [/mnnvl-group/, () => 'use a DNS-1123 label or none as the grove.io/mnnvl-group value'],
  [/must not be set/, e => `remove ${lastSegment(e.field)}; Grove forbids it in clique pod specs`],
  [/at least one PodClique must be defined/, () => 'define at least one clique in spec.template.cliques'],
];

/** How to fix an admission error, in manifest terms. */
function admissionFix(e: AdmissionError, pcs: PcsInfo | undefined): string {
  if (e.type === 'Required' && e.field.endsWith('.spec.roleName')) {
    const m = /cliques\[(\d+)\]/.exec(e.field);
    const clique = m === null ? undefined : pcs?.cliques[Number(m[1])];
    return `add spec.roleName${clique?.name ? ` (e.g. roleName: ${clique.name})` : ''}; every clique needs one, unique within the PodCliqueSet`;
  }
  const hint = HINTS.find(([re]) => re.test(e.detail));
  if (hint !== undefined) {
    return hint[1](e, pcs);
  }
  switch (e.type) {
    case 'Required': return `add ${lastSegment(e.field)}`;
    case 'Duplicate': return 'make the value unique';
    case 'NotSupported': return 'use one of the supported values';
    case 'NotFound': return 'refer to a name that exists';
    case 'TypeInvalid': return 'use a value of the expected type';
    case 'Forbidden': return `remove ${lastSegment(e.field)}`;
    default: return `correct ${e.field === '' ? 'the object' : lastSegment(e.field)}`;
  }
}

function lastSegment(field: string): string {
  const parts = field.split('.');
  return parts[parts.length - 1] || field;
}

/**
 * Required fields the manifest as written lacks, checked with the compiled CRD schema of the API level. The API server can
 * accept such an object (Grove's defaulting webhook re-marshals it and writes zero values such as `roleName: ""`), but
 * an empty value is rarely what the author meant.
 */
function writtenRequiredFindings(src: SourceObject, admission: readonly Finding[], pcs: PcsInfo, level: GroveApiLevel): Finding[] {
  const crd = groveCrdVersion(level, 'grove.io/v1alpha1', 'PodCliqueSet');
  if (crd === undefined || admission.some(f => f.severity === 'error')) {
    return [];
  }
  return walkSchema(src.object, crd.version.schema, '', { reportUnknown: false, skipKeys: new Set(['metadata']) })
    .filter(issue => issue.type === 'Required')
    .map(issue => finding(src, 'error', issue.field, 'required field is missing', admissionFix({ type: 'Required', field: issue.field, detail: issue.detail }, pcs), 'admission'));
}

/**
 * The CRD structure of the object as written (unknown fields, which the API server drops silently, so admission never
 * reports them; required fields), leaving out fields already reported.
 */
function crdFindings(src: SourceObject, crds: CrdSet, admission: readonly Finding[], notes: string[]): Finding[] {
  const group = apiGroup(src.object) || GROVE;
  const kind = str(src.object.kind);
  const crd = crds.get(group, kind);
  if (crd === undefined) {
    notes.push(`no CRD for ${group}/${kind} in ${crds.dir}: structure of ${kind} objects not checked`);
    return [];
  }
  const reported = new Set(admission.map(f => f.field));
  return validateAgainstCrd(src.object, crd)
    .filter(issue => !reported.has(issue.field))
    .map(issue => finding(src, 'error', issue.field,
      issue.type === 'UnknownField' ? `unknown field "${lastSegment(issue.field)}": the CRD schema does not declare it` : issue.detail,
      crdFix(issue.type, issue.field), 'crd'));
}

function crdFix(type: string, field: string): string {
  switch (type) {
    case 'UnknownField': return 'remove it or correct its spelling; the API server would drop it silently';
    case 'Required': return `add ${lastSegment(field)}`;
    case 'TypeInvalid': return 'use a value of the type the CRD declares';
    case 'NotSupported': return 'use one of the values the CRD allows';
    default: return 'correct the value as the CRD requires';
  }
}

/** ClusterTopologyBindings referenced by topology constraints that are not in the input. */
function topologyReferences(src: SourceObject, pcs: PcsInfo, ctbNames: ReadonlySet<string>): Finding[] {
  const refs: { field: string; name: string }[] = [];
  const add = (constraint: Json | undefined, at: string): void => {
    const name = str(constraint?.topologyName);
    if (name !== '') refs.push({ field: `${at}.topologyConstraint.topologyName`, name });
  };
  add(pcs.topologyConstraint, 'spec.template');
  pcs.scalingGroups.forEach(g => add(g.topologyConstraint, `spec.template.podCliqueScalingGroups[${g.index}]`));
  pcs.cliques.forEach(c => add(c.topologyConstraint, `spec.template.cliques[${c.index}]`));
  return refs.filter(r => !ctbNames.has(r.name)).map(r => finding(src, 'error', r.field,
    `ClusterTopologyBinding "${r.name}" is referenced but not in the input`,
    `add the ClusterTopologyBinding "${r.name}" to the input (lint it together with the file that defines it) or correct the name`,
    'topology-ref'));
}

/** KAI queues a KAI-scheduled PodCliqueSet names that are neither in the input nor given with --kai-queue. */
function queueReferences(src: SourceObject, pcs: PcsInfo, config: OperatorConfig, defined: ReadonlySet<string>): Finding[] {
  const defaultName = config.defaultProfileName || 'default-scheduler';
  const usesKai = pcs.cliques.some(c => (str(c.podSpec.schedulerName) || defaultName) === KAI_SCHEDULER);
  if (!usesKai) {
    return [];
  }
  const refs: { field: string; name: string }[] = [];
  const add = (map: Readonly<Record<string, string>>, at: string): void => {
    const name = map[KAI_QUEUE_KEY];
    if (name !== undefined && name !== '') refs.push({ field: `${at}[${KAI_QUEUE_KEY}]`, name });
  };
  add(pcs.labels, 'metadata.labels');
  add(pcs.annotations, 'metadata.annotations');
  pcs.cliques.forEach(c => {
    add(c.labels, `spec.template.cliques[${c.index}].labels`);
    add(c.annotations, `spec.template.cliques[${c.index}].annotations`);
  });
  const byName = new Map<string, { field: string; count: number }>();
  for (const r of refs.filter(x => !defined.has(x.name))) {
    const seen = byName.get(r.name);
    byName.set(r.name, seen === undefined ? { field: r.field, count: 1 } : { ...seen, count: seen.count + 1 });
  }
  // A warning, not an error: queues are usually defined once per cluster, outside the application's repository;
  // Grove accepts the PodCliqueSet either way, and KAI leaves its pods Pending only if the queue really is missing.
  return [...byName.entries()].map(([name, { field, count }]) => finding(src, 'warning', field,
    `KAI queue "${name}" is referenced${count > 1 ? ` (${count} times)` : ''} but not defined: no scheduling.run.ai Queue "${name}" in the input and no --kai-queue ${name}; without it in the cluster KAI leaves the pods Pending`,
    `make sure the queue exists in the cluster and say so with --kai-queue ${name}, or add a scheduling.run.ai/v2 Queue named "${name}" to the input`,
    'kai-queue'));
}

/** Per clique: GPU taint toleration, image pinning, inline secrets, restartPolicy. */
function podSpecFindings(src: SourceObject, pcs: PcsInfo): Finding[] {
  const out: Finding[] = [];
  for (const clique of pcs.cliques) {
    const at = `spec.template.cliques[${clique.index}].spec.podSpec`;
    const podSpec = clique.podSpec;
    const gpus = podGpuRequest(podSpec).gpus;
    if (gpus > 0 && !toleratesGpuTaint(podSpec)) {
      out.push(finding(src, 'error', podSpec.tolerations === undefined ? at : `${at}.tolerations`,
        `clique ${clique.name} requests ${gpus} GPU${gpus === 1 ? '' : 's'} per pod but does not tolerate the GPU node taint nvidia.com/gpu (NoSchedule); its pods stay Pending`,
        'add the toleration {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule} to the clique\'s podSpec.tolerations', 'gpu-toleration'));
    }
    const restartPolicy = str(podSpec.restartPolicy);
    if (restartPolicy !== '' && restartPolicy !== 'Always') {
      out.push(finding(src, 'warning', `${at}.restartPolicy`, `${RESTART_POLICY_WARNING} (got ${restartPolicy})`, 'remove restartPolicy', 'admission'));
    }
    for (const listName of ['initContainers', 'containers']) {
      list(podSpec[listName]).forEach((c, ci) => {
        const container = record(c);
        const cAt = `${at}.${listName}[${ci}]`;
        const image = container.image;
        if (typeof image === 'string' && image !== '') {
          const pinning = imagePinning(image);
          if (pinning === 'latest' || pinning === 'untagged') {
            out.push(finding(src, 'warning', `${cAt}.image`,
              `image ${image} is ${pinning === 'latest' ? 'tagged :latest' : 'not tagged'}: pods may run different code after a restart or on another node`,
              'pin the image by tag (repo:1.2.3) or digest (repo@sha256:...)', 'image-tag'));
          }
        }
        list(container.env).forEach((e, ei) => {
          const env = record(e);
          if (typeof env.value !== 'string') return;
          const looksLike = secretLike(str(env.name), env.value);
          if (looksLike !== undefined) {
            out.push(finding(src, 'warning', `${cAt}.env[${ei}].value`,
              `env ${str(env.name)} holds ${looksLike} inline (${redact(env.value)}); anyone who can read the manifest can use it`,
              'store it in a Secret and reference it with valueFrom.secretKeyRef; rotate the exposed value', 'inline-secret'));
          }
        });
      });
    }
  }
  return out;
}

/** `spec.replicas` 0 or missing: Grove creates nothing. */
function replicaFindings(src: SourceObject, pcs: PcsInfo): Finding[] {
  if (pcs.replicas > 0) {
    return [];
  }
  return [finding(src, 'warning', pcs.replicasSet ? 'spec.replicas' : 'spec',
    `spec.replicas is ${pcs.replicasSet ? '0' : 'not set (Grove\'s default is 0)'}: Grove creates no pods for this PodCliqueSet`,
    'set spec.replicas to 1 or more', 'replicas')];
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The text report: one line per finding, then the summary and notes. */
export function formatLintText(report: LintReport, config: OperatorConfig): string {
  const lines = report.findings.map(f => formatFinding(f));
  const s = report.summary;
  const linted = Object.values(s.linted).reduce((a, b) => a + b, 0);
  const passed = Object.values(s.passedOver).reduce((a, b) => a + b, 0);
  const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos > 0 ? [plural(s.infos, 'info', 'infos')] : [])].join(', ');
  const lintedText = linted === 0 ? 'no PodCliqueSet or ClusterTopologyBinding' : `${plural(linted, 'object')} (${countText(new Map(Object.entries(s.linted)))})`;
  const passedText = passed === 0 ? '' : `; ${plural(passed, 'other object')} passed over (${countText(new Map(Object.entries(s.passedOver)))})`;
  if (lines.length > 0) lines.push('');
  lines.push(`lint: ${counts} in ${lintedText} from ${plural(s.files, 'file')}${passedText}`);
  lines.push(describeOperatorConfig(config));
  lines.push(...report.notes);
  return `${lines.join('\n')}\n`;
}

/** `cdk8s-grove lint`. */
export const LINT_COMMAND: CommandSpec = {
  name: 'lint',
  summary: 'check manifests against Grove admission, the Grove CRDs and cross-object rules',
  usage: 'cdk8s-grove lint [options] PATH...',
  description: `
Checks every PodCliqueSet and ClusterTopologyBinding in the given YAML files, folders (searched recursively)
or "-" (stdin):
  - Grove's admission webhooks (offline port), for the operator configuration the flags describe;
  - the CRD structure (required fields, types, unknown fields), against the compiled CRDs of --grove-api,
    or the CRD files of --crds DIR;
  - references a webhook cannot check: ClusterTopologyBindings and KAI queues that are not defined,
    cliques that request GPUs without tolerating the nvidia.com/gpu NoSchedule taint;
  - hygiene warnings: images tagged :latest or untagged, secrets written inline into env values;
  - the Dynamo runtime contract (dynamo-* checks): Service discovery labels, the DynamoWorkerMetadata CRD or
    etcd/NATS endpoints, the KV connector on both disaggregated roles, the router's KV block size, no CPU
    autoscaling of GPU cliques, the Secrets and claims the pods reference, fsGroup/grace period/metrics label.
Other objects are passed over and counted.

Each finding prints as  file:line  Kind/name  field  severity  message; fix: ...  [check]
Exit status: 0 clean, 1 errors (or warnings with --strict), 2 bad usage.`,
  options: [
    formatOption(['text', 'json', 'sarif']),
    { name: 'strict', kind: 'flag', description: 'fail (exit 1) on warnings too' },
    { name: 'kai-queue', kind: 'list', valueName: 'NAME', description: 'a KAI queue that exists in the cluster' },
    { name: 'crds', kind: 'value', valueName: 'DIR', description: 'folder with Grove CRD files to check the structure against (default: $GROVE_CRDS_DIR, else the compiled CRDs of --grove-api)' },
    { name: 'present', kind: 'list', valueName: 'KIND/NAME', description: 'an object the cluster has, e.g. Secret/hf-token-secret or CustomResourceDefinition/dynamoworkermetadatas.nvidia.com' },
    { name: 'cluster', kind: 'value', valueName: 'FILE', description: 'a cluster file (as plan --cluster): its secrets, claims, crds and queues exist' },
    ...OPERATOR_OPTIONS,
    HELP_OPTION,
  ],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length === 0) {
      throw new UsageError('lint needs at least one PATH (a file, a folder or - for stdin)');
    }
    const config = operatorConfigFromArgs(args, io);
    const crdDir = args.values.get('crds') ?? (io.env.GROVE_CRDS_DIR || undefined);
    const crds = crdDir === undefined ? undefined : loadCrds(crdDir, io);
    const input = loadInputs(args.positionals, io);
    const report = lintObjects(input, {
      operatorConfig: config, kaiQueues: args.lists.get('kai-queue') ?? [], crds, groveApi: groveApiOf(args),
      present: args.lists.get('present') ?? [],
      ...(args.values.get('cluster') === undefined ? {} : { cluster: readClusterFile(args.values.get('cluster') as string, io) }),
    });
    const strict = args.flags.has('strict');
    const failed = report.summary.errors > 0 || (strict && report.summary.warnings > 0);
    if (args.values.get('format') === 'json') {
      io.stdout(toJson({ command: 'lint', ok: !failed, strict, operatorConfig: config, summary: report.summary, findings: report.findings, notes: report.notes }));
    } else if (args.values.get('format') === 'sarif') {
      io.stdout(toJson(toSarif(report.findings, { notes: report.notes })));
    } else {
      io.stdout(formatLintText(report, config));
    }
    return failed ? EXIT_PROBLEMS : EXIT_OK;
  },
};

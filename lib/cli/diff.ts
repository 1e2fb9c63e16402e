/**
 * `cdk8s-grove diff OLD NEW`: what applying NEW over OLD does to a Grove cluster. Objects are matched by API group,
 * kind, namespace and name. For each changed PodCliqueSet it reports
 * - each change Grove's UPDATE admission refuses (the admission port, operation UPDATE, with OLD as the stored object);
 * - each change that replaces pods: clique `labels`, `annotations`, `podSpec` and the template's `priorityClassName`
 *   are part of the pod-template hash, and what happens then depends on the update strategy;
 * - each change that only rescales (`replicas`, autoscaler bounds);
 * - the rest, which applies without touching pods.
 * Added and removed objects are listed too. Comparisons are made after Grove's defaulting, so spelling out a
 * default is no change.
 */
import type { GroveApiLevel } from '../schema/api-level';
import { AdmissionError, OperatorConfig, admit, defaultPodCliqueSet } from '../admission';
import { HELP_OPTION, groveApiOf, ParsedArgs, UsageError } from './args';
import { CommandSpec, EXIT_OK, EXIT_PROBLEMS, formatOption } from './command';
import { OPERATOR_OPTIONS, describeOperatorConfig, operatorConfigFromArgs } from './config';
import { redact, secretLike } from './hygiene';
import { LoadedInput, SourceObject, isKind, loadInputs, objectKey, objectLabel } from './input';
import { Finding, Io, Severity, formatFinding, plural, sortFindings, toJson } from './output';
import { Json, isRecord, list, record, str } from './pcs-model';

/** What a change does. */
export type ChangeKind = 'refused' | 'restart' | 'rescale' | 'update' | 'added' | 'removed';

/** One reported change. */
export interface DiffFinding extends Finding {
  readonly change: ChangeKind;
}

/** Counts per change kind, plus unchanged objects. */
export type DiffSummary = Record<ChangeKind | 'unchanged', number>;

/** Everything `diff` found. */
export interface DiffReport {
  /** False when the cluster would refuse the update (or an input could not be parsed). */
  readonly ok: boolean;
  readonly findings: readonly DiffFinding[];
  readonly summary: DiffSummary;
}

/** Options of `diffObjects`. */
export interface DiffOptions {
  /** The Grove operator configuration UPDATE admission runs with. */
  readonly operatorConfig: OperatorConfig;
  /**
   * The Grove API level UPDATE admission runs at.
   * @default 'pinned'
   */
  readonly groveApi?: GroveApiLevel;
}

/** One changed leaf value. */
interface Leaf {
  readonly path: string;
  readonly old: unknown;
  readonly new: unknown;
}

const GROVE = 'grove.io';

/** Compares two versions of the same objects. Pure. */
export function diffObjects(oldInput: LoadedInput, newInput: LoadedInput, options: DiffOptions): DiffReport {
  const findings: DiffFinding[] = [];
  // NEW must parse for the update to be applied at all; OLD that does not parse only makes the comparison partial.
  for (const p of newInput.problems) {
    findings.push({ severity: 'error', change: 'refused', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: p.message, fix: 'correct the YAML syntax', rule: 'yaml' });
  }
  for (const p of oldInput.problems) {
    findings.push({
      severity: 'warning', change: 'update', file: p.file, line: p.line, objectLine: p.line, object: '-', field: '', message: `${p.message} (objects of this document are left out of the comparison)`,
      fix: 'correct the YAML syntax', rule: 'yaml',
    });
  }
  const oldByKey = byKey(oldInput.objects);
  const newByKey = byKey(newInput.objects);
  const clusterObjects = newInput.objects
    .filter(o => isKind(o.object, GROVE, 'ClusterTopologyBinding') || isKind(o.object, 'scheduling.volcano.sh', 'Queue'))
    .map(o => o.object);
  let unchanged = 0;

  for (const [key, next] of newByKey) {
    const prev = oldByKey.get(key);
    if (prev === undefined) {
      findings.push(change(next, 'added', 'info', '', addedMessage(next.object), undefined, 'added'));
      continue;
    }
    if (isKind(next.object, GROVE, 'PodCliqueSet')) {
      const found = diffPodCliqueSet(prev, next, options.operatorConfig, clusterObjects, options.groveApi ?? 'pinned');
      findings.push(...found);
      if (found.length === 0) unchanged++;
    } else if (isKind(next.object, GROVE, 'ClusterTopologyBinding')) {
      const found = diffTopologyBinding(prev, next, options.operatorConfig);
      findings.push(...found);
      if (found.length === 0) unchanged++;
    } else {
      const leaves = leafDiffs(prev.object, next.object, '');
      if (leaves.length === 0) unchanged++;
      else findings.push(change(next, 'update', 'info', leaves[0].path, `changed: ${describeLeaves(leaves)}`, undefined, 'update'));
    }
  }
  for (const [key, prev] of oldByKey) {
    if (!newByKey.has(key)) {
      const isPcs = isKind(prev.object, GROVE, 'PodCliqueSet');
      findings.push(change(prev, 'removed', isPcs ? 'warning' : 'info', '',
        isPcs ? 'PodCliqueSet removed: deleting it stops all its pods' : 'object removed',
        'it stays in the cluster until deleted (kubectl delete, or apply --prune / a GitOps sync with pruning)', 'removed'));
    }
  }

  const sorted = sortFindings(findings, [...newInput.files, ...oldInput.files]);
  const summary: DiffSummary = { refused: 0, restart: 0, rescale: 0, update: 0, added: 0, removed: 0, unchanged };
  for (const f of sorted) summary[f.change]++;
  return { ok: summary.refused === 0, findings: sorted, summary };
}

function byKey(objects: readonly SourceObject[]): Map<string, SourceObject> {
  const out = new Map<string, SourceObject>();
  for (const o of objects) {
    const key = objectKey(o.object);
    if (!out.has(key)) out.set(key, o);
  }
  return out;
}

function change(src: SourceObject, kind: ChangeKind, severity: Severity, field: string, message: string, fix: string | undefined, rule: string,
  lineField: string = field): DiffFinding {
  return {
    severity,
    change: kind,
    file: src.file,
    line: lineField === '' ? src.line : src.lineOf(lineField),
    objectLine: src.line,
    object: objectLabel(src.object),
    field,
    message,
    ...(fix === undefined ? {} : { fix }),
    rule,
  };
}

function addedMessage(obj: Json): string {
  if (isKind(obj, GROVE, 'PodCliqueSet')) {
    return 'new PodCliqueSet: Grove creates its gangs (run cdk8s-grove lint for its admission checks)';
  }
  return 'new object';
}

/** ClusterTopologyBinding: the webhook validates the new object; level changes apply without touching pods. */
function diffTopologyBinding(prev: SourceObject, next: SourceObject, config: OperatorConfig): DiffFinding[] {
  const leaves = leafDiffs(prev.object, next.object, '');
  if (leaves.length === 0) return [];
  const response = admit({ operation: 'UPDATE', object: next.object, oldObject: prev.object, operatorConfig: config });
  return [
    ...response.errors.map(e => change(next, 'refused', 'error', e.field, e.detail, 'correct the ClusterTopologyBinding', 'admission')),
    change(next, 'update', 'info', leaves[0].path,
      `changed: ${describeLeaves(leaves)}; PodCliqueSets that use a removed level report TopologyLevelsUnavailable`, undefined, 'update'),
  ];
}

/** Paths Grove's UPDATE rules keep immutable (matched on indexed paths of the defaulted objects). */
const IMMUTABLE: readonly RegExp[] = [
  /^spec\.template\.cliques\[\d+\]\.spec\.(roleName|minAvailable|startsAfter)(\.|\[|$)/,
  /^spec\.template\.cliques\[\d+\]\.spec\.podSpec\.schedulerName$/,
  /^spec\.template\.cliques\[\d+\]\.(resourceSharing|topologyConstraint)(\.|\[|$)/,
  /^spec\.template\.cliques\[\d+\]\.annotations\[grove\.io\/mnnvl-group\]$/,
  /^spec\.template\.podCliqueScalingGroups\[\d+\]\.(cliqueNames|minAvailable|resourceSharing|topologyConstraint)(\.|\[|$)/,
  /^spec\.template\.podCliqueScalingGroups\[\d+\]\.annotations\[grove\.io\/mnnvl-group\]$/,
  /^spec\.template\.(cliqueStartupType|resourceClaimTemplates|resourceSharing|topologyConstraint)(\.|\[|$)/,
  /^metadata\.annotations\[grove\.io\/mnnvl-group\]$/,
];
const RESTARTS = /^spec\.template\.cliques\[(\d+)\]\.(labels|annotations|spec\.podSpec)(\.|\[|$)/;
const RESCALES = /^(spec\.replicas|spec\.template\.cliques\[\d+\]\.spec\.(replicas|autoScalingConfig)|spec\.template\.podCliqueScalingGroups\[\d+\]\.(replicas|scaleConfig))(\.|\[|$)/;

function diffPodCliqueSet(prev: SourceObject, next: SourceObject, config: OperatorConfig, clusterObjects: readonly unknown[], groveApi: GroveApiLevel): DiffFinding[] {
  const oldDefaulted = defaultPodCliqueSet(prev.object, groveApi) as Json;
  const newDefaulted = defaultPodCliqueSet(next.object, groveApi) as Json;
  const leaves = leafDiffs(oldDefaulted, newDefaulted, '');
  if (leaves.length === 0) return [];

  const out: DiffFinding[] = [];
  const response = admit({ operation: 'UPDATE', object: next.object, oldObject: prev.object, operatorConfig: config, clusterObjects }, { groveApi });
  const locator = new RefusalLocator(oldDefaulted, newDefaulted);
  for (const e of response.errors) {
    if (e.field === '<nil>') continue;
    const where = locator.locate(e);
    out.push(change(next, 'refused', 'error', e.field, `${e.detail}${where.detail}`,
      'Grove cannot change this in place: revert it, or delete the PodCliqueSet and create it again (all its pods stop)', 'admission', where.path));
  }
  const refused = !response.allowed;
  const strategy = str(record(record(newDefaulted.spec).updateStrategy).type) || 'RollingRecreate';
  const cliqueNames = list(record(record(newDefaulted.spec).template).cliques).map(c => str(record(c).name));

  const restartByClique = new Map<number, Leaf[]>();
  const rescales: Leaf[] = [];
  const updates: Leaf[] = [];
  for (const leaf of leaves) {
    if (IMMUTABLE.some(re => re.test(leaf.path))) {
      if (!refused) updates.push(leaf); // not reachable with a faithful admission port; shown rather than lost
      continue;
    }
    const restart = RESTARTS.exec(leaf.path);
    if (restart !== null) {
      const i = Number(restart[1]);
      restartByClique.set(i, [...(restartByClique.get(i) ?? []), leaf]);
    } else if (leaf.path === 'spec.template.priorityClassName') {
      cliqueNames.forEach((_, i) => restartByClique.set(i, [...(restartByClique.get(i) ?? []), leaf]));
    } else if (RESCALES.test(leaf.path)) {
      rescales.push(leaf);
    } else if (!/^spec\.template\.(cliques|podCliqueScalingGroups)(\[\d+\])?$/.test(leaf.path)) {
      updates.push(leaf);
    }
  }

  for (const [i, changed] of [...restartByClique.entries()].sort(([a], [b]) => a - b)) {
    const first = changed[0].path;
    out.push(change(next, 'restart', 'warning', first,
      `pods of clique ${cliqueNames[i]} are replaced: ${describeLeaves(changed, `spec.template.cliques[${i}].`)}; ${strategyText(strategy)}`,
      strategy === 'OnDelete' ? 'delete the old pods when you want them replaced' : undefined, 'restart'));
  }
  for (const leaf of rescales) {
    out.push(change(next, 'rescale', 'info', leaf.path, rescaleText(leaf, newDefaulted), undefined, 'rescale'));
  }
  if (updates.length > 0) {
    out.push(change(next, 'update', 'info', updates[0].path, `changes without replacing pods: ${describeLeaves(updates)}`, undefined, 'update'));
  }
  return out;
}

function strategyText(strategy: string): string {
  if (strategy === 'Coherent') {
    return 'update strategy Coherent: Grove rolls every component of a replica together, in steps that keep a minimum serving unit gang-scheduled (cdk8s-grove rollout shows the steps)';
  }
  return strategy === 'OnDelete'
    ? 'update strategy OnDelete: Grove only records the new template; running pods keep the old one until you delete them'
    : 'update strategy RollingRecreate: Grove recreates them one PodCliqueSet replica at a time, one ready pod (or one scaling-group replica) at a time';
}

function rescaleText(leaf: Leaf, pcs: Json): string {
  const from = show(leaf.old);
  const to = show(leaf.new);
  const name = str(record(pcs.metadata).name);
  if (leaf.path === 'spec.replicas') {
    const a = typeof leaf.old === 'number' ? leaf.old : 0;
    const b = typeof leaf.new === 'number' ? leaf.new : 0;
    return b > a
      ? `PodCliqueSet replicas ${from} -> ${to}: Grove creates replica${b - a > 1 ? 's' : ''} ${range(a, b)}, with ${b - a > 1 ? 'their' : 'its'} own gangs`
      : `PodCliqueSet replicas ${from} -> ${to}: Grove deletes replica${a - b > 1 ? 's' : ''} ${range(b, a)} and all their pods`;
  }
  const clique = /^spec\.template\.cliques\[(\d+)\]\.spec\.(replicas|autoScalingConfig)/.exec(leaf.path);
  if (clique !== null) {
    const c = str(record(list(record(record(pcs.spec).template).cliques)[Number(clique[1])]).name);
    return clique[2] === 'replicas'
      ? `clique ${c} replicas ${from} -> ${to}: used when Grove creates a PodClique; existing ones keep their live replicas `
        + `(scale them with kubectl scale podclique ${name}-<replica>-${c} --replicas=${to})`
      : `clique ${c} autoscaler ${leaf.path.slice(leaf.path.indexOf('autoScalingConfig'))} ${from} -> ${to}`;
  }
  const group = /^spec\.template\.podCliqueScalingGroups\[(\d+)\]\.(replicas|scaleConfig)/.exec(leaf.path);
  if (group !== null) {
    const g = str(record(list(record(record(pcs.spec).template).podCliqueScalingGroups)[Number(group[1])]).name);
    return group[2] === 'replicas'
      ? `scaling group ${g} replicas ${from} -> ${to}: used when Grove creates the scaling group; an existing one keeps its live replicas `
        + `(scale it with kubectl scale podcliquescalinggroup ${name}-<replica>-${g} --replicas=${to})`
      : `scaling group ${g} autoscaler ${leaf.path.slice(leaf.path.indexOf('scaleConfig'))} ${from} -> ${to}`;
  }
  return `${leaf.path} ${from} -> ${to}`;
}

function range(from: number, to: number): string {
  return to - from === 1 ? String(from) : `${from}-${to - 1}`;
}

/**
 * Grove reports immutability errors of cliques and scaling groups without an index (VALIDATION.md Q5). This finds
 * the clique or group each one is about (in order), for the line number and the message.
 */
class RefusalLocator {
  private readonly used = new Map<string, number>();
  private readonly oldCliques: Json[];
  private readonly newCliques: Json[];
  private readonly oldGroups: Json[];
  private readonly newGroups: Json[];

  constructor(oldPcs: Json, newPcs: Json) {
    const t = (p: Json): Json => record(record(p.spec).template);
    this.oldCliques = list(t(oldPcs).cliques).map(record);
    this.newCliques = list(t(newPcs).cliques).map(record);
    this.oldGroups = list(t(oldPcs).podCliqueScalingGroups).map(record);
    this.newGroups = list(t(newPcs).podCliqueScalingGroups).map(record);
  }

  public locate(e: AdmissionError): { path: string; detail: string } {
    const clique = /^spec\.template\.cliques\.(spec\.(?:roleName|minAvailable|startsAfter|podSpec\.schedulerName))$/.exec(e.field);
    if (clique !== null) {
      return this.next(e.field, this.changed(this.oldCliques, this.newCliques, clique[1]), 'cliques', clique[1], 'clique');
    }
    const group = /^spec\.template\.podCliqueScalingGroups\.(cliqueNames|minAvailable|resourceSharing)$/.exec(e.field);
    if (group !== null) {
      return this.next(e.field, this.changed(this.oldGroups, this.newGroups, group[1]), 'podCliqueScalingGroups', group[1], 'scaling group');
    }
    if (e.field === 'spec.template.cliques.name' || e.field === 'spec.template.podCliqueScalingGroups.name') {
      const isClique = e.field.includes('cliques');
      const [olds, news] = isClique ? [this.oldCliques, this.newCliques] : [this.oldGroups, this.newGroups];
      const known = new Set(olds.map(x => str(x.name)));
      const added = news.map((x, i) => ({ i, old: undefined, new: x })).filter(x => !known.has(str(x.new.name)));
      return this.next(e.field, added, isClique ? 'cliques' : 'podCliqueScalingGroups', 'name', isClique ? 'clique' : 'scaling group');
    }
    if (e.field === 'spec.template.cliques' && /composition/.test(e.detail)) {
      const oldNames = this.oldCliques.map(c => str(c.name));
      const newNames = this.newCliques.map(c => str(c.name));
      const removed = oldNames.filter(x => !newNames.includes(x));
      const added = newNames.filter(x => !oldNames.includes(x));
      return { path: e.field, detail: ` (cliques ${oldNames.join(', ')} -> ${newNames.join(', ')}${added.length ? `; added ${added.join(', ')}` : ''}${removed.length ? `; removed ${removed.join(', ')}` : ''})` };
    }
    return { path: e.field, detail: '' };
  }

  /** Items (by name, in new order) whose value at `sub` changed. */
  private changed(olds: Json[], news: Json[], sub: string): { i: number; old: Json | undefined; new: Json }[] {
    const byName = new Map(olds.map(x => [str(x.name), x]));
    return news.map((x, i) => ({ i, old: byName.get(str(x.name)), new: x }))
      .filter(x => x.old !== undefined && JSON.stringify(canonical(at(x.old, sub))) !== JSON.stringify(canonical(at(x.new, sub))));
  }

  private next(field: string, items: { i: number; old: Json | undefined; new: Json }[], listName: string, sub: string, noun: string): { path: string; detail: string } {
    const k = this.used.get(field) ?? 0;
    this.used.set(field, k + 1);
    const item = items[k];
    if (item === undefined) return { path: field, detail: '' };
    const name = str(item.new.name);
    const detail = item.old === undefined
      ? ` (${noun} ${name} is new)`
      : ` (${noun} ${name}: ${show(at(item.old, sub))} -> ${show(at(item.new, sub))})`;
    return { path: `spec.template.${listName}[${item.i}].${sub}`, detail };
  }
}

function at(obj: Json, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), obj);
}

/**
 * Changed leaves between two JSON values. Cliques and scaling groups are matched by name (clique order may change
 * under AnyOrder); other lists by index. Paths use the new object's indices; map keys with dots are written in
 * brackets (`labels[app.kubernetes.io/name]`).
 */
export function leafDiffs(a: unknown, b: unknown, path: string): Leaf[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (/(^|\.)spec\.template\.(cliques|podCliqueScalingGroups)$/.test(path) && [...a, ...b].every(x => isRecord(x) && typeof x.name === 'string')) {
      const oldByName = new Map(a.map(x => [(x as Json).name as string, x]));
      const out: Leaf[] = [];
      b.forEach((x, i) => {
        const prev = oldByName.get((x as Json).name as string);
        if (prev === undefined) out.push({ path: `${path}[${i}]`, old: undefined, new: x });
        else out.push(...leafDiffs(prev, x, `${path}[${i}]`));
      });
      const newNames = new Set(b.map(x => (x as Json).name));
      for (const x of a) {
        if (!newNames.has((x as Json).name)) out.push({ path, old: x, new: undefined });
      }
      return out;
    }
    const out: Leaf[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...leafDiffs(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap(k => leafDiffs(a[k], b[k], join(path, k)));
  }
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b)) ? [] : [{ path, old: a, new: b }];
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${key}]`;
}

/** A value with sorted keys, for comparison. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isRecord(v)) return Object.fromEntries(Object.keys(v).sort().map(k => [k, canonical(v[k])]));
  return v;
}

/** `a.b "x" -> "y", c added; and 3 more`, with secret-looking env values redacted. */
function describeLeaves(leaves: readonly Leaf[], strip: string = ''): string {
  const shown = leaves.slice(0, 3).map(l => {
    const path = l.path.startsWith(strip) ? l.path.slice(strip.length) : l.path;
    const envName = /\.env\[\d+\]\.value$/.test(l.path) ? 'value' : undefined;
    const fmt = (v: unknown): string => (envName !== undefined && typeof v === 'string' && secretLike('TOKEN', v) !== undefined ? `"${redact(v)}"` : show(v));
    if (l.old === undefined) return `${path} added (${fmt(l.new)})`;
    if (l.new === undefined) return `${path} removed (was ${fmt(l.old)})`;
    return `${path} ${fmt(l.old)} -> ${fmt(l.new)}`;
  });
  return `${shown.join(', ')}${leaves.length > 3 ? ` and ${leaves.length - 3} more` : ''}`;
}

function show(v: unknown): string {
  const s = v === undefined ? 'unset' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The text report. */
export function formatDiffText(report: DiffReport, config: OperatorConfig): string {
  const lines = report.findings.map(f => formatFinding(f, f.change));
  const s = report.summary;
  if (lines.length > 0) lines.push('');
  const verdict = s.refused > 0 ? 'the cluster would refuse this update'
    : s.restart > 0 ? 'the update is accepted and changes pod templates'
      : lines.length > 0 ? 'the update is accepted without replacing pods' : 'no changes';
  lines.push(`diff: ${verdict}: ${s.refused} refused, ${s.restart} restart, ${s.rescale} rescale, ${s.update} update; `
    + `${s.added} added, ${s.removed} removed, ${plural(s.unchanged, 'object')} unchanged`);
  lines.push(describeOperatorConfig(config));
  return `${lines.join('\n')}\n`;
}

/** `cdk8s-grove diff`. */
export const DIFF_COMMAND: CommandSpec = {
  name: 'diff',
  summary: 'check that updating OLD manifests to NEW ones is safe for Grove',
  usage: 'cdk8s-grove diff [options] OLD NEW',
  description: `
Compares two versions of the same objects (files or folders, e.g. the committed dist/ and a fresh synth;
objects are matched by kind, namespace and name) and reports, for each change:
  refused   Grove's UPDATE admission rejects it (immutable fields such as minAvailable, startsAfter,
            roleName, the set of cliques or scaling groups, topology constraints)
  restart   it changes a clique's pod template (labels, annotations, podSpec, priorityClassName), so
            pods are replaced: under RollingRecreate one replica at a time, under OnDelete when you delete them
  rescale   it changes replicas or autoscaler bounds
  update    anything else (applies without touching pods)
  added / removed objects
Exit status: 0 when the cluster would accept the update, 1 when it would refuse it, 2 bad usage.`,
  options: [formatOption(['text', 'json']), ...OPERATOR_OPTIONS, HELP_OPTION],
  run(args: ParsedArgs, io: Io): number {
    if (args.positionals.length !== 2) {
      throw new UsageError(`diff needs exactly two paths, OLD and NEW, got ${args.positionals.length}`);
    }
    const config = operatorConfigFromArgs(args, io);
    const [oldPath, newPath] = args.positionals;
    if (oldPath === '-' && newPath === '-') {
      throw new UsageError('only one of OLD and NEW can be - (stdin)');
    }
    const report = diffObjects(loadInputs([oldPath], io), loadInputs([newPath], io), { operatorConfig: config, groveApi: groveApiOf(args) });
    io.stdout(args.values.get('format') === 'json'
      ? toJson({ command: 'diff', ok: report.ok, operatorConfig: config, summary: report.summary, findings: report.findings })
      : formatDiffText(report, config));
    return report.ok ? EXIT_OK : EXIT_PROBLEMS;
  },
};

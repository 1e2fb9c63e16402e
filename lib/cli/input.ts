/**
 * Reading manifests: YAML files, folders (recursively, `*.yaml` and `*.yml`) and `-` for stdin. Every document of a
 * multi-document file becomes one object (a `v1 List` is opened into its items), and each object remembers where it
 * came from so findings can point at `file:line`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, Node, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { UsageError } from './args';

/** One Kubernetes object read from an input. */
export interface SourceObject {
  /** The file as the user named it (`dist/app.k8s.yaml`), or `<stdin>`. */
  readonly file: string;
  /** 1-based line where the object starts. */
  readonly line: number;
  /** The parsed object. */
  readonly object: Record<string, unknown>;
  /**
   * 1-based line of a field of the object, e.g. `spec.template.cliques[0].name`: the line of the deepest part of
   * the path that exists in the file (so a missing field points at its parent).
   */
  lineOf(field: string): number;
}

/** A document that could not be read as an object. */
export interface InputProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Everything read from the inputs. */
export interface LoadedInput {
  /** Files read, in order. */
  readonly files: readonly string[];
  readonly objects: readonly SourceObject[];
  readonly problems: readonly InputProblem[];
}

/** What loading needs from the process. */
export interface InputIo {
  readonly cwd: string;
  readStdin(): string;
}

const YAML_EXTENSIONS = ['.yaml', '.yml'];
/** The name under which stdin is reported. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads every input. Folders are searched recursively for `*.yaml`/`*.yml` (hidden entries and `node_modules` are
 * skipped), in name order, so output is deterministic.
 *
 * @throws UsageError when an input does not exist, a folder holds no YAML file, or `-` is given twice
 */
export function loadInputs(inputs: readonly string[], io: InputIo): LoadedInput {
  const files: string[] = [];
  const objects: SourceObject[] = [];
  const problems: InputProblem[] = [];
  let stdinUsed = false;
  for (const input of inputs) {
    if (input === '-') {
      if (stdinUsed) {
        throw new UsageError('"-" (stdin) can be given only once');
      }
      stdinUsed = true;
      files.push(STDIN_NAME);
      parseSource(STDIN_NAME, io.readStdin(), objects, problems);
      continue;
    }
    for (const file of expand(input, io.cwd)) {
      files.push(file);
      parseSource(file, fs.readFileSync(path.resolve(io.cwd, file), 'utf8'), objects, problems);
    }
  }
  return { files, objects, problems };
}

/** The files an input names: itself, or the YAML files under it. */
function expand(input: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new UsageError(`no such file or folder: ${input}`);
  }
  if (!stat.isDirectory()) {
    return [input];
  }
  const found: string[] = [];
  const walk = (dir: string, shown: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true })
      .filter(e => !e.name.startsWith('.') && e.name !== 'node_modules')
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const display = path.join(shown, e.name);
      if (e.isDirectory()) {
        walk(full, display);
      } else if (YAML_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
        found.push(display);
      }
    }
  };
  walk(absolute, input);
  if (found.length === 0) {
    throw new UsageError(`no YAML files (*.yaml, *.yml) under ${input}`);
  }
  return found;
}

/** Parses one file's documents into objects and problems. */
export function parseSource(file: string, text: string, objects: SourceObject[], problems: InputProblem[]): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  for (const doc of Array.isArray(docs) ? docs : []) {
    const start = lineAt(doc.contents?.range[0] ?? doc.range[0]);
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        problems.push({ file, line: lineAt(e.pos[0]), message: `YAML: ${firstLine(e.message)}` });
      }
      continue;
    }
    let value: unknown;
    try {
      value = (doc as Document).toJS({ maxAliasCount: 1000 });
    } catch (e) {
      problems.push({ file, line: start, message: `YAML: ${e instanceof Error ? firstLine(e.message) : String(e)}` });
      continue;
    }
    if (value === null || value === undefined) {
      continue; // empty document
    }
    if (!isRecord(value)) {
      problems.push({ file, line: start, message: `a document must be a Kubernetes object (a mapping), got ${Array.isArray(value) ? 'a list' : typeof value}` });
      continue;
    }
    const root = doc.contents as Node;
    if (value.kind === 'List' && Array.isArray(value.items)) {
      const itemsNode = isMap(root) ? root.get('items', true) : undefined;
      value.items.forEach((item, i) => {
        const node = isSeq(itemsNode) ? itemsNode.items[i] as Node | undefined : undefined;
        const line = node?.range ? lineAt(node.range[0]) : start;
        if (isRecord(item)) {
          objects.push(sourceObject(file, line, item, node, lineAt));
        } else {
          problems.push({ file, line, message: 'a List item must be a Kubernetes object (a mapping)' });
        }
      });
      continue;
    }
    objects.push(sourceObject(file, start, value, root, lineAt));
  }
}

function sourceObject(file: string, line: number, object: Record<string, unknown>, node: Node | undefined,
  lineAt: (offset: number) => number): SourceObject {
  return {
    file,
    line,
    object,
    lineOf: (field: string) => (node === undefined ? line : fieldLine(node, parseFieldPath(field), 0, line, lineAt)),
  };
}

/** A field path segment: a key or a list index. */
export type PathSegment = string | number;

/**
 * Splits a Kubernetes field path into segments: `a.b[0].c` → `a`, `b`, 0, `c`; `labels[app.kubernetes.io/name]`
 * → `labels`, `app.kubernetes.io/name`. Keys with dots written without brackets stay split; `fieldLine` joins them
 * back when the document has such a key.
 */
export function parseFieldPath(field: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let current = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i];
    if (ch === '.') {
      if (current !== '') segments.push(current);
      current = '';
    } else if (ch === '[') {
      if (current !== '') segments.push(current);
      current = '';
      const close = field.indexOf(']', i);
      const inner = close < 0 ? field.slice(i + 1) : field.slice(i + 1, close);
      segments.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = close < 0 ? field.length : close;
    } else {
      current += ch;
    }
  }
  if (current !== '') segments.push(current);
  return segments;
}

/** Line of the deepest node along `segments` (see `SourceObject.lineOf`). */
function fieldLine(node: unknown, segments: readonly PathSegment[], i: number, best: number, lineAt: (offset: number) => number): number {
  if (i >= segments.length) {
    return best;
  }
  if (isMap(node)) {
    const found = findKey(node, segments, i);
    if (found !== undefined) {
      return fieldLine(found.value, segments, found.next, found.line === undefined ? best : lineAt(found.line), lineAt);
    }
    // Grove writes some paths with an extra segment (`podSpec.spec.containers`): skip one that is not there.
    const skipped = i + 1 < segments.length ? findKey(node, segments, i + 1) : undefined;
    if (skipped !== undefined) {
      return fieldLine(skipped.value, segments, skipped.next, skipped.line === undefined ? best : lineAt(skipped.line), lineAt);
    }
    return best;
  }
  if (isSeq(node)) {
    const seg = segments[i];
    const item = typeof seg === 'number' ? node.items[seg] as Node | undefined : undefined;
    if (item === undefined) {
      return best;
    }
    return fieldLine(item, segments, i + 1, item.range ? lineAt(item.range[0]) : best, lineAt);
  }
  return best;
}

/** The pair whose key is `segments[i..k)` joined with dots, longest first. */
function findKey(map: { items: { key: unknown; value: unknown }[] }, segments: readonly PathSegment[], i: number):
  { value: unknown; next: number; line?: number } | undefined {
  for (let k = segments.length; k > i; k--) {
    const parts = segments.slice(i, k);
    if (parts.some(p => typeof p !== 'string')) {
      continue;
    }
    const key = parts.join('.');
    const pair = map.items.find(p => isScalar(p.key) && String(p.key.value) === key);
    if (pair !== undefined) {
      const keyNode = pair.key as Node;
      return { value: pair.value, next: k, line: keyNode.range?.[0] };
    }
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** `Kind/name` of an object, for messages. */
export function objectLabel(obj: Record<string, unknown>): string {
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : '<no kind>';
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<no name>';
  return `${kind}/${name}`;
}

/** The API group of an object (`grove.io`), empty for the core group. */
export function apiGroup(obj: Record<string, unknown>): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** True for objects of the given kind in the given API group. */
export function isKind(obj: Record<string, unknown>, group: string, kind: string): boolean {
  return obj.kind === kind && apiGroup(obj) === group;
}

/** `metadata.name`, or empty. */
export function nameOf(obj: Record<string, unknown>): string {
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  return typeof metadata.name === 'string' ? metadata.name : '';
}

/** `metadata.namespace`, or empty. */
export function namespaceOf(obj: Record<string, unknown>): string {
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  return typeof metadata.namespace === 'string' ? metadata.namespace : '';
}

/** Kinds without a namespace (the ones manifests of Grove workloads carry). */
const CLUSTER_SCOPED = new Set([
  'ClusterTopologyBinding', 'Queue', 'Topology', 'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'PriorityClass', 'StorageClass', 'PersistentVolume', 'Node', 'RuntimeClass', 'IngressClass', 'DeviceClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
]);

/**
 * Identity of an object across files: `<group>/<kind>/<namespace>/<name>`. A namespaced object without a namespace
 * counts as being in `default`, where it would be applied.
 */
export function objectKey(obj: Record<string, unknown>): string {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : namespaceOf(obj) || 'default';
  return `${apiGroup(obj)}/${kind}/${namespace}/${nameOf(obj)}`;
}

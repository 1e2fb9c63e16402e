import { ApiObject, Lazy } from 'cdk8s';
import { renderedByDefault } from './api-object-json';
import { Synthesis, synthesisOf } from './validation';

/**
 * Hands the rendering of an ApiObject made for its synth-time check on to synthesis, and remembers the last
 * rendering and its problems between checks outside a synthesis, so that each PodCliqueSet is rendered and
 * admitted once per synthesis and once per `chart.toJson()`.
 *
 * Why: synth-time admission has to render an object before it can admit it, and cdk8s renders it again for the
 * output. Within one `App.synth()` / `synthYaml()` (see `synthesisOf`) nothing changes the constructs, so the
 * rendering made for the check is the output, with no comparison. Outside one, cdk8s still validates the whole app
 * for every `chart.toJson()`; there the memo reuses a rendering and its problems only while nothing changed:
 *
 * When that is safe: the rendering of an ApiObject is `sanitize(resolve({ apiVersion, kind, metadata, spec }))`, then
 * the generated L1 key filter. With cdk8s' built-in resolvers only and no JSON patches, that is a deterministic
 * function of the resolved metadata, the produced spec and the sort setting, as long as the spec is plain data
 * (objects, arrays, strings, numbers, booleans) and the generated number-or-string union types. So a rendering is
 * reused only when, at the moment of reuse,
 *
 * - the app has exactly cdk8s' three built-in resolvers and the object has no JSON patch,
 * - `CDK8S_DISABLE_SORT` is as it was,
 * - `metadata.toJson()` is equal, value for value and key order included, to what the rendering was made from,
 * - a fresh `produceSpec()` is equal, value for value, to the spec the rendering was made from, and that spec held
 *   nothing opaque (a `Lazy`, anything with `resolve()`, any other class instance, a function, a symbol).
 *
 * Otherwise the object is rendered afresh. Within a synthesis nothing is recorded (no snapshots, no comparisons);
 * the next check outside it renders afresh. Snapshots are deep copies, so later mutation of objects the spec shares
 * with user props is seen. Each remembered rendering is handed out at most once (callers may mutate what they get).
 * The premise is cdk8s' own: producers and resolvers are pure and nothing changes the constructs while they render
 * (a getter-valued property counts as the value it returns). test/property/render-memo.test.ts checks that every
 * synth equals that of a fresh app, whatever is changed between synths.
 */
export class RenderMemo<P extends object> {
  private apiObject?: ApiObject;
  private fresh?: () => any;
  /** What the last fresh rendering was made from. */
  private record?: RenderRecord;
  /** A fresh rendering made for a check, not handed out yet. */
  private pending?: any;
  /** The synthesis in progress when `pending` was made. */
  private pendingIn?: Synthesis;
  /** The spec the Lazy produced during the current fresh rendering. */
  private produced?: unknown;
  private remembered?: { readonly record: RenderRecord; readonly context: unknown; readonly problems: readonly P[] };

  constructor(private readonly produceSpec: () => unknown) {}

  /** Connects the memo to its object; `fresh` renders it without the memo. */
  public attach(apiObject: ApiObject, fresh: () => any): void {
    this.apiObject = apiObject;
    this.fresh = fresh;
  }

  /** A Lazy producing the spec for the object (typed `any`, as `Lazy.any()`); it records what it produced. */
  public lazySpec(): any {
    return Lazy.any({
      produce: () => {
        const spec = this.produceSpec();
        this.produced = spec;
        return spec;
      },
    });
  }

  /**
   * The object's JSON: the rendering made for the last check when it was made in the synthesis in progress (which
   * changes nothing) or nothing changed since, else a fresh one.
   */
  public toJson(): any {
    const pending = this.pending;
    const pendingIn = this.pendingIn;
    this.pending = undefined;
    this.pendingIn = undefined;
    if (pending !== undefined && ((pendingIn !== undefined && pendingIn === synthesisOf(this.apiObject!)) || this.upToDate())) {
      return pending;
    }
    return this.render();
  }

  /**
   * The problems `check` finds in the object's rendering under `context` (plain data, e.g. the operator
   * configuration): remembered ones when neither the rendering nor the context changed, else those of a fresh
   * rendering, which is kept for the next `toJson()`. Returns copies.
   */
  public problems(context: unknown, check: (json: any) => P[]): P[] {
    const synthesis = synthesisOf(this.apiObject!);
    const r = this.remembered;
    if (synthesis === undefined && r !== undefined && r.record === this.record && this.upToDate() && sameAsSnapshot(context, r.context)) {
      return r.problems.map(p => ({ ...p }));
    }
    const json = this.render();
    this.pending = json;
    this.pendingIn = synthesis;
    const problems = check(json);
    const contextSnapshot = synthesis === undefined ? snapshot(context) : OPAQUE;
    this.remembered = this.record !== undefined && contextSnapshot !== OPAQUE
      ? { record: this.record, context: contextSnapshot, problems: problems.map(p => ({ ...p })) }
      : undefined;
    return problems;
  }

  /** True when a fresh rendering would equal the last one. */
  private upToDate(): boolean {
    const record = this.record;
    if (record === undefined || !renderedByDefault(this.apiObject!) || sortKeys() !== record.sortKeys) {
      return false;
    }
    return sameAsSnapshot(this.apiObject!.metadata.toJson(), record.metadata) && sameAsSnapshot(this.produceSpec(), record.spec);
  }

  /**
   * Renders afresh and, outside a synthesis, records what the rendering was made from (keeping the old record when
   * it is the same); within one, drops the record.
   */
  private render(): any {
    if (synthesisOf(this.apiObject!) !== undefined) {
      this.record = undefined;
      return this.fresh!();
    }
    const reusable = renderedByDefault(this.apiObject!);
    const metadata = reusable ? this.apiObject!.metadata.toJson() : undefined;
    this.produced = undefined;
    const json = this.fresh!();
    const spec = this.produced;
    this.produced = undefined;
    const old = this.record;
    if (!reusable || spec === undefined) {
      this.record = undefined;
    } else if (old === undefined || old.sortKeys !== sortKeys() || !sameAsSnapshot(metadata, old.metadata) || !sameAsSnapshot(spec, old.spec)) {
      const metadataSnapshot = snapshot(metadata);
      const specSnapshot = snapshot(spec);
      this.record = metadataSnapshot === OPAQUE || specSnapshot === OPAQUE
        ? undefined
        : { metadata: metadataSnapshot, spec: specSnapshot, sortKeys: sortKeys() };
    }
    return json;
  }
}

interface RenderRecord {
  readonly metadata: unknown;
  readonly spec: unknown;
  readonly sortKeys: boolean;
}

/** As `ApiObject.toJson()` reads it. */
function sortKeys(): boolean {
  return !process.env.CDK8S_DISABLE_SORT;
}

// ---------------------------------------------------------------------------------------------------- snapshots

/** A value whose rendering may change while it stays the same object. */
const OPAQUE = Symbol('opaque');

/** A plain object in a snapshot, its keys in order (a class, so a `__proto__` key stays an ordinary key). */
class PlainSnapshot {
  constructor(readonly keys: readonly string[], readonly values: readonly unknown[]) {}
}

/** An instance of a generated number-or-string union type (Quantity, IntOrString, ...): its class and value. */
class UnionSnapshot {
  constructor(readonly type: unknown, readonly value: unknown) {}
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What cdk8s' NumberStringUnionResolver renders as `{ value }`: a class instance holding only a string or number `value`. */
function isUnion(v: object): boolean {
  const value = (v as { value?: unknown }).value;
  if ((typeof value !== 'string' && typeof value !== 'number') || v instanceof Lazy || typeof (v as { resolve?: unknown }).resolve === 'function') {
    return false;
  }
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'value';
}

/** A deep copy of plain data, or OPAQUE. */
function snapshot(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) {
    return typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' ? OPAQUE : v;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const s = snapshot(v[i]);
      if (s === OPAQUE) {
        return OPAQUE;
      }
      out[i] = s;
    }
    return out;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    const values: unknown[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const s = snapshot((v as Record<string, unknown>)[keys[i]]);
      if (s === OPAQUE) {
        return OPAQUE;
      }
      values[i] = s;
    }
    return new PlainSnapshot(keys, values);
  }
  return isUnion(v) ? new UnionSnapshot(v.constructor, (v as { value: unknown }).value) : OPAQUE;
}

/** True when `v` is, value for value and key order included, the data `s` is a snapshot of. */
function sameAsSnapshot(v: unknown, s: unknown): boolean {
  if (s instanceof PlainSnapshot) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !isPlainObject(v)) {
      return false;
    }
    const keys = Object.keys(v);
    if (keys.length !== s.keys.length) {
      return false;
    }
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== s.keys[i] || !sameAsSnapshot((v as Record<string, unknown>)[keys[i]], s.values[i])) {
        return false;
      }
    }
    return true;
  }
  if (Array.isArray(s)) {
    if (!Array.isArray(v) || v.length !== s.length) {
      return false;
    }
    for (let i = 0; i < s.length; i++) {
      if (!sameAsSnapshot(v[i], s[i])) {
        return false;
      }
    }
    return true;
  }
  if (s instanceof UnionSnapshot) {
    return typeof v === 'object' && v !== null && v.constructor === s.type && isUnion(v) && Object.is((v as { value: unknown }).value, s.value);
  }
  return (typeof v !== 'object' || v === null) && Object.is(v, s);
}

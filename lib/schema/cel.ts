/**
 * `x-kubernetes-validations` rules, evaluated as the API server's CEL validator does
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): every rule of every schema node whose value
 * is present, `self` bound to that value, `oldSelf` to the stored value (an optional when `optionalOldSelf`), the
 * failure reported at the node's path plus the rule's `fieldPath`, with the error type its `reason` names.
 *
 * The expression language is a subset of CEL, compiled honestly: identifiers, field selection, `has()`, `!`, `&&`,
 * `||` (with CEL's commutative error handling), parentheses, `true`/`false`, the `all(x, e)` macro on lists and maps
 * and `hasValue()` on optionals. That subset covers every rule of the Grove CRDs (the generator refuses a CRD whose
 * rules fall outside it); no CEL library on npm supports Kubernetes' optional `oldSelf`, so none is used.
 */
import { SchemaIssue } from './types';
import { subtreeHasAny } from './util';

const hasRules = subtreeHasAny(['x-kubernetes-validations']);

type Node =
  | { readonly op: 'lit'; readonly value: boolean }
  | { readonly op: 'ident'; readonly name: string }
  | { readonly op: 'select'; readonly target: Node; readonly field: string }
  | { readonly op: 'has'; readonly target: Node; readonly field: string }
  | { readonly op: 'not'; readonly arg: Node }
  | { readonly op: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly op: 'all'; readonly target: Node; readonly variable: string; readonly body: Node }
  | { readonly op: 'hasValue'; readonly target: Node };

/** A compiled rule, or why it could not be compiled. */
export type CompiledRule = { readonly ok: true; readonly node: Node } | { readonly ok: false; readonly error: string };

const TOKEN = /\s*(\|\||&&|[!().,]|[A-Za-z_][A-Za-z0-9_]*)/y;

function tokenize(source: string): string[] | string {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) {
      break;
    }
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (m === null) {
      return `unsupported syntax at offset ${at}: ${JSON.stringify(source.slice(at, at + 12))}`;
    }
    tokens.push(m[1]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

const compiled = new Map<string, CompiledRule>();

/** Parses a rule once (cached by its text). */
export function compileCelRule(source: string): CompiledRule {
  let result = compiled.get(source);
  if (result === undefined) {
    result = parse(source);
    compiled.set(source, result);
  }
  return result;
}

function parse(source: string): CompiledRule {
  const tokens = tokenize(source);
  if (typeof tokens === 'string') {
    return { ok: false, error: tokens };
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const expect = (t: string): void => {
    if (tokens[i] !== t) {
      throw new Error(`expected ${JSON.stringify(t)}, got ${JSON.stringify(tokens[i] ?? 'end of rule')}`);
    }
    i++;
  };
  const ident = (): string => {
    const t = tokens[i];
    if (t === undefined || !/^[A-Za-z_]/.test(t)) {
      throw new Error(`expected a name, got ${JSON.stringify(t ?? 'end of rule')}`);
    }
    i++;
    return t;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === '||') {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (peek() === '&&') {
      i++;
      left = { op: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '!') {
      i++;
      return { op: 'not', arg: unary() };
    }
    return postfix(primary());
  };
  const primary = (): Node => {
    const t = peek();
    if (t === '(') {
      i++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (t === 'true' || t === 'false') {
      i++;
      return { op: 'lit', value: t === 'true' };
    }
    if (t === 'has') {
      i++;
      expect('(');
      const target = postfix({ op: 'ident', name: ident() });
      expect(')');
      if (target.op !== 'select') {
        throw new Error('has() needs a field selection');
      }
      return { op: 'has', target: target.target, field: target.field };
    }
    return { op: 'ident', name: ident() };
  };
  const postfix = (start: Node): Node => {
    let node = start;
    while (peek() === '.') {
      i++;
      const name = ident();
      if (name === 'all' && peek() === '(') {
        i++;
        const variable = ident();
        expect(',');
        const body = or();
        expect(')');
        node = { op: 'all', target: node, variable, body };
      } else if (name === 'hasValue' && peek() === '(') {
        i++;
        expect(')');
        node = { op: 'hasValue', target: node };
      } else {
        node = { op: 'select', target: node, field: name };
      }
    }
    return node;
  };
  try {
    const node = or();
    if (i !== tokens.length) {
      throw new Error(`unexpected ${JSON.stringify(tokens[i])}`);
    }
    return { ok: true, node };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** CEL's error value (no such key, wrong type): `||` and `&&` absorb it when the other side decides. */
const ERROR = Symbol('cel-error');
/** An optional value (`oldSelf` with `optionalOldSelf`). */
interface Optional {
  readonly optional: true;
  readonly present: boolean;
  readonly value?: unknown;
}

function isOptional(v: unknown): v is Optional {
  return typeof v === 'object' && v !== null && (v as Optional).optional === true && Object.getPrototypeOf(v) === OPTIONAL_PROTO;
}
const OPTIONAL_PROTO = {};

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isOptional(v);
}

function own(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

function evaluate(node: Node, env: ReadonlyMap<string, unknown>): unknown {
  switch (node.op) {
    case 'lit':
      return node.value;
    case 'ident':
      return env.has(node.name) ? env.get(node.name) : ERROR;
    case 'select': {
      const target = evaluate(node.target, env);
      return isMap(target) && own(target, node.field) ? target[node.field] : ERROR;
    }
    case 'has': {
      const target = evaluate(node.target, env);
      return isMap(target) ? own(target, node.field) : ERROR;
    }
    case 'not': {
      const v = evaluate(node.arg, env);
      return typeof v === 'boolean' ? !v : ERROR;
    }
    case 'and':
    case 'or': {
      const decisive = node.op === 'or';
      const l = evaluate(node.left, env);
      if (l === decisive) {
        return decisive;
      }
      const r = evaluate(node.right, env);
      if (r === decisive) {
        return decisive;
      }
      return typeof l === 'boolean' && typeof r === 'boolean' ? !decisive : ERROR;
    }
    case 'all': {
      const target = evaluate(node.target, env);
      const items = Array.isArray(target) ? target : isMap(target) ? Object.keys(target) : undefined;
      if (items === undefined) {
        return ERROR;
      }
      let failed = false;
      for (const item of items) {
        const scoped = new Map(env);
        scoped.set(node.variable, item);
        const v = evaluate(node.body, scoped);
        if (v === false) {
          return false;
        }
        failed = failed || v !== true;
      }
      return failed ? ERROR : true;
    }
    case 'hasValue': {
      const target = evaluate(node.target, env);
      return isOptional(target) ? target.present : ERROR;
    }
  }
}

/** `field.Path` children for a rule's `fieldPath` (`.pack.required` → `pack.required`). */
function withFieldPath(path: string, fieldPath: unknown): string {
  if (typeof fieldPath !== 'string' || fieldPath === '') {
    return path;
  }
  const rel = fieldPath.replace(/^\./, '');
  return path === '' ? rel : `${path}.${rel}`;
}

const REASON_TYPES: Record<string, SchemaIssue['type']> = {
  FieldValueRequired: 'Required',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate',
  FieldValueInvalid: 'Invalid',
};

/**
 * The errors of the rules at one schema node. `old` is undefined on CREATE (and for values without a stored
 * counterpart): transition rules without `optionalOldSelf` are then skipped, as the API server skips them.
 */
export function nodeRuleErrors(schema: Record<string, unknown>, value: unknown, old: { value: unknown } | undefined, path: string): SchemaIssue[] {
  const rules = schema['x-kubernetes-validations'];
  if (!Array.isArray(rules)) {
    return [];
  }
  const errs: SchemaIssue[] = [];
  for (const r of rules) {
    if (!isMap(r) || typeof r.rule !== 'string') {
      continue;
    }
    const rule = compileCelRule(r.rule);
    const usesOld = /\boldSelf\b/.test(r.rule);
    if (usesOld && old === undefined && r.optionalOldSelf !== true) {
      continue;
    }
    const env = new Map<string, unknown>([['self', value]]);
    if (usesOld) {
      const optional: Optional = Object.assign(Object.create(OPTIONAL_PROTO), { optional: true, present: old !== undefined, value: old?.value });
      env.set('oldSelf', r.optionalOldSelf === true ? optional : old?.value);
    }
    const at = withFieldPath(path, r.fieldPath);
    const result = rule.ok ? evaluate(rule.node, env) : ERROR;
    if (result === true) {
      continue;
    }
    const message = typeof r.message === 'string' && r.message !== '' ? r.message : `failed rule: ${r.rule}`;
    if (result !== false) {
      errs.push({ field: at, type: 'Invalid', detail: `${message}: rule evaluation error${rule.ok ? '' : `: ${rule.error}`}` });
      continue;
    }
    errs.push({ field: at, type: REASON_TYPES[String(r.reason)] ?? 'Invalid', detail: message });
  }
  return errs;
}

/**
 * Every rule of the schema tree against `value` (`Validator.Validate`): a node's own rules first, then its properties,
 * `additionalProperties` values and list items. `old` is the stored value at the same place (undefined on CREATE);
 * it is followed through object properties, where the API server can correlate old and new.
 */
export function celIssues(value: unknown, schema: unknown, old: { value: unknown } | undefined, path: string): SchemaIssue[] {
  const errs: SchemaIssue[] = [];
  visit(value, schema, old, path, errs, 0);
  return errs;
}

function visit(value: unknown, schema: unknown, old: { value: unknown } | undefined, path: string, errs: SchemaIssue[], depth: number): void {
  if (!isMap(schema) || value === undefined || value === null || depth > 256 || !hasRules(schema)) {
    return;
  }
  errs.push(...nodeRuleErrors(schema, value, old, path));
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      visit(value[i], schema.items, undefined, `${path}[${i}]`, errs, depth + 1);
    }
  } else if (isMap(value)) {
    const properties = isMap(schema.properties) ? schema.properties : undefined;
    const additional = isMap(schema.additionalProperties) ? schema.additionalProperties : undefined;
    const oldMap = old !== undefined && isMap(old.value) ? old.value : undefined;
    for (const key of Object.keys(value)) {
      const oldChild = oldMap !== undefined && Object.prototype.hasOwnProperty.call(oldMap, key) ? { value: oldMap[key] } : undefined;
      if (properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key)) {
        visit(value[key], properties[key], oldChild, path === '' ? key : `${path}.${key}`, errs, depth + 1);
      } else if (additional !== undefined) {
        visit(value[key], additional, oldChild, `${path}[${key}]`, errs, depth + 1);
      }
    }
  }
}

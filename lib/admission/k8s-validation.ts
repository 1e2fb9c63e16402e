/**
 * The Kubernetes name/label/annotation/metadata checks Grove's webhook calls (apimachinery `util/validation`,
 * `api/validation`, `apis/meta/v1/validation`), with their exact messages.
 */
import { ErrorList, invalid, required, tooLong } from './errors';
import { FieldPath } from './field-path';
import { byteLength } from './json';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME_RE = new RegExp(`^${ENV_VAR_NAME_FMT}$`);
const ENV_VAR_NAME_MSG = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** `validation.RegexError`: the message, examples and the regex used. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) {
    return `${msg} (regex used for validation is '${fmt}')`;
  }
  const shown = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

/** `validation.IsDNS1123Label`. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) {
    errs.push(maxLenError(DNS1123_LABEL_MAX));
  }
  if (!DNS1123_LABEL_RE.test(value)) {
    errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** `validation.IsDNS1123Subdomain`. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) {
    errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  }
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** `apivalidation.NameIsDNSSubdomain`: with `prefix`, a trailing dash (generateName) is allowed. */
export function nameIsDNSSubdomain(name: string, prefix: boolean): string[] {
  const masked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  return isDNS1123Subdomain(masked);
}

/** `validation.IsQualifiedName` (label keys, annotation keys). */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push('prefix part must be non-empty');
    } else {
      errs.push(...isDNS1123Subdomain(prefix).map(m => `prefix part ${m}`));
    }
  } else {
    return [regexError(`a qualified name ${QUALIFIED_NAME_MSG}`, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')];
  }
  if (name.length === 0) {
    errs.push('name part must be non-empty');
  } else if (name.length > QUALIFIED_NAME_MAX) {
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`);
  }
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** `validation.IsValidLabelValue`. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) {
    errs.push(maxLenError(LABEL_VALUE_MAX));
  }
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** `validation.IsEnvVarName`. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME_RE.test(value)) {
    errs.push(regexError(ENV_VAR_NAME_MSG, ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  if (value === '.') {
    errs.push("must not be '.'");
  } else if (value === '..') {
    errs.push("must not be '..'");
  } else if (value.startsWith('..')) {
    errs.push("must not start with '..'");
  }
  return errs;
}

/** `metav1validation.ValidateLabels`: errors are reported on the map's path. */
export function validateLabels(labels: Record<string, string>, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...isQualifiedName(k).map(m => invalid(path, m)));
    errs.push(...isValidLabelValue(v).map(m => invalid(path, m)));
  }
  return errs;
}

/** `apivalidation.ValidateAnnotations`: key syntax (case-insensitive) and the 256 KiB total size. */
export function validateAnnotations(annotations: Record<string, string>, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...isQualifiedName(k.toLowerCase()).map(m => invalid(path, m)));
    size += byteLength(k) + byteLength(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  }
  return errs;
}

/** The metadata fields `validateObjectMeta` looks at. */
export interface ObjectMetaView {
  readonly name: string;
  readonly generateName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * `apivalidation.ValidateObjectMeta` with `NameIsDNSSubdomain` (owner references, finalizers and managed fields are
 * not checked). `namespaced` false skips the namespace (the API server clears it on cluster-scoped objects).
 */
export function validateObjectMeta(meta: ObjectMetaView, namespaced: boolean, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (meta.generateName !== '') {
    errs.push(...nameIsDNSSubdomain(meta.generateName, true).map(m => invalid(path.child('generateName'), m)));
  }
  if (meta.name === '') {
    errs.push(required(path.child('name'), 'name or generateName is required'));
  } else {
    errs.push(...nameIsDNSSubdomain(meta.name, false).map(m => invalid(path.child('name'), m)));
  }
  if (namespaced) {
    if (meta.namespace === '') {
      errs.push(required(path.child('namespace')));
    } else {
      errs.push(...isDNS1123Label(meta.namespace).map(m => invalid(path.child('namespace'), m)));
    }
  }
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  return errs;
}

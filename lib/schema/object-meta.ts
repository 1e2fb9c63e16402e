/**
 * ObjectMeta checks. A CRD schema only says `metadata: {type: object}`; the API server validates `metadata` as a
 * core `ObjectMeta` instead (field types, the object name, label and annotation syntax). This module does the same
 * for the fields a manifest can carry.
 */
import { SchemaIssue } from './types';
import { describeType, isPlainObject, join, show } from './util';

/** Options of `validateObjectMeta`. */
export interface ObjectMetaOptions {
  /**
   * Whether `name` (or `generateName`) must be set. True for a top-level resource, false for an embedded one.
   */
  readonly requireName: boolean;
}

type FieldKind = 'string' | 'integer' | 'stringMap' | 'stringList' | 'objectList' | 'timestamp';

/** ObjectMeta fields and their JSON shape. */
const FIELDS: Record<string, FieldKind> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'integer',
  creationTimestamp: 'timestamp',
  deletionTimestamp: 'timestamp',
  deletionGracePeriodSeconds: 'integer',
  labels: 'stringMap',
  annotations: 'stringMap',
  ownerReferences: 'objectList',
  finalizers: 'stringList',
  managedFields: 'objectList',
};

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const QUALIFIED_NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** The API server's limit on the total size of all annotations (keys plus values), 256 KiB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * Validates `metadata` as the API server validates the ObjectMeta of a custom resource, appending issues to
 * `issues`. Never throws.
 *
 * @param value the `metadata` value
 * @param path its field path, normally `metadata`
 */
export function validateObjectMeta(value: unknown, path: string, issues: SchemaIssue[], options: ObjectMetaOptions): void {
  if (value === undefined || value === null) {
    if (options.requireName) {
      issues.push({ field: join(path, 'name'), type: 'Required', detail: 'name or generateName is required' });
    }
    return;
  }
  if (!isPlainObject(value)) {
    issues.push({ field: path, type: 'TypeInvalid', detail: `must be of type object, got ${describeType(value)}` });
    return;
  }
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) {
      continue;
    }
    const kind = Object.prototype.hasOwnProperty.call(FIELDS, key) ? FIELDS[key] : undefined;
    const field = join(path, key);
    if (kind === undefined) {
      issues.push({ field, type: 'UnknownField', detail: 'field not declared in ObjectMeta; the API server would drop it' });
      continue;
    }
    checkShape(v, kind, field, issues);
  }

  const name = value.name;
  const generateName = value.generateName;
  if (typeof name === 'string' && name !== '') {
    checkSubdomain(name, join(path, 'name'), issues);
  } else if (options.requireName && !(typeof generateName === 'string' && generateName !== '')) {
    issues.push({ field: join(path, 'name'), type: 'Required', detail: 'name or generateName is required' });
  }
  if (typeof value.namespace === 'string' && value.namespace !== '') {
    if (value.namespace.length > 63 || !DNS1123_LABEL_RE.test(value.namespace)) {
      issues.push({ field: join(path, 'namespace'), type: 'Invalid', detail: `${show(value.namespace)} must be a lowercase RFC 1123 label of at most 63 characters` });
    }
  }
  if (isPlainObject(value.labels)) {
    for (const [k, v] of Object.entries(value.labels)) {
      const field = `${join(path, 'labels')}[${k}]`;
      checkQualifiedName(k, field, issues);
      if (typeof v === 'string' && v !== '' && (v.length > 63 || !QUALIFIED_NAME_PART_RE.test(v))) {
        issues.push({
          field,
          type: 'Invalid',
          detail: `label value ${show(v)} must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
        });
      }
    }
  }
  if (isPlainObject(value.annotations)) {
    let total = 0;
    for (const [k, v] of Object.entries(value.annotations)) {
      checkQualifiedName(k.toLowerCase(), `${join(path, 'annotations')}[${k}]`, issues);
      total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      issues.push({ field: join(path, 'annotations'), type: 'TooLong', detail: `annotations may not exceed ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes in total, got ${total}` });
    }
  }
}

function checkShape(v: unknown, kind: FieldKind, field: string, issues: SchemaIssue[]): void {
  const bad = (expected: string): void => {
    issues.push({ field, type: 'TypeInvalid', detail: `must be of type ${expected}, got ${describeType(v)}` });
  };
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') {
        bad('string');
      }
      return;
    case 'timestamp':
      // `creationTimestamp: null` is what client-side tools print for a new object.
      if (v !== null && typeof v !== 'string') {
        bad('string');
      }
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        bad('integer');
      }
      return;
    case 'stringMap':
      if (!isPlainObject(v)) {
        bad('object');
        return;
      }
      for (const [k, item] of Object.entries(v)) {
        if (item !== undefined && typeof item !== 'string') {
          issues.push({ field: `${field}[${k}]`, type: 'TypeInvalid', detail: `must be of type string, got ${describeType(item)}` });
        }
      }
      return;
    case 'stringList':
    case 'objectList':
      if (!Array.isArray(v)) {
        bad('array');
        return;
      }
      v.forEach((item, i) => {
        const ok = kind === 'stringList' ? typeof item === 'string' : isPlainObject(item);
        if (!ok) {
          issues.push({
            field: `${field}[${i}]`,
            type: 'TypeInvalid',
            detail: `must be of type ${kind === 'stringList' ? 'string' : 'object'}, got ${describeType(item)}`,
          });
        }
      });
      return;
  }
}

function checkSubdomain(name: string, field: string, issues: SchemaIssue[]): void {
  if (name.length > 253 || !DNS1123_SUBDOMAIN_RE.test(name)) {
    issues.push({
      field,
      type: 'Invalid',
      detail: `${show(name)} must be a lowercase RFC 1123 subdomain of at most 253 characters (lowercase alphanumerics, '-' and '.', starting and ending with an alphanumeric)`,
    });
  }
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
function checkQualifiedName(key: string, field: string, issues: SchemaIssue[]): void {
  const parts = key.split('/');
  let ok: boolean;
  if (parts.length === 1) {
    ok = key.length <= 63 && QUALIFIED_NAME_PART_RE.test(key);
  } else if (parts.length === 2) {
    const [prefix, name] = parts;
    ok = prefix.length > 0 && prefix.length <= 253 && DNS1123_SUBDOMAIN_RE.test(prefix) && name.length <= 63 && QUALIFIED_NAME_PART_RE.test(name);
  } else {
    ok = false;
  }
  if (!ok) {
    issues.push({
      field,
      type: 'Invalid',
      detail: `key ${show(key)} must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    });
  }
}

/**
 * Shared by the admission tests: the conformance file, its case shapes, and how a case's `expect` is matched.
 */
import { AdmissionError, AdmissionResponse, formatAdmissionError } from '../../lib/admission';
import { HAS_REFERENCE, readReferenceYaml } from '../support/reference';

export interface ExpectedError {
  type: string;
  field: string;
}

export interface AdmissionCase {
  id: string;
  source: string;
  operation: 'CREATE' | 'UPDATE';
  operatorConfig: any;
  clusterObjects?: unknown[];
  oldObject?: unknown;
  object: any;
  note?: string;
  expect: {
    allowed: boolean;
    errors?: ExpectedError[];
    errorsMatch?: 'superset' | 'exact';
    messageContains?: string[];
    warnings?: string[];
  };
}

export interface DefaultingCase {
  id: string;
  source: string;
  object: any;
  expectFieldsAfterDefaulting: Record<string, unknown>;
}

export interface ConformanceFile {
  description: string;
  cases: AdmissionCase[];
  defaultingCases: DefaultingCase[];
}

/**
 * The conformance file, or `undefined` without the reference data (`describeWithReference` still runs the body of
 * the skipped suite to collect its tests).
 */
export function loadConformance(): ConformanceFile | undefined {
  return HAS_REFERENCE ? readReferenceYaml('grove', 'conformance', 'admission-cases.yaml')[0] as ConformanceFile : undefined;
}

export const RESTART_POLICY_WARNING = 'restartPolicy will be ignored, it will be set to Always';

const key = (e: ExpectedError) => `${e.type} @ ${e.field}`;

/** Expected (type, field) pairs missing from `actual`, counting repeats (multiset difference). */
export function missingErrors(expected: readonly ExpectedError[], actual: readonly AdmissionError[]): string[] {
  const pool = actual.map(key);
  const missing: string[] = [];
  for (const e of expected) {
    const i = pool.indexOf(key(e));
    if (i === -1) {
      missing.push(key(e));
    } else {
      pool.splice(i, 1);
    }
  }
  return missing;
}

/** Every problem with `response` against a case's `expect`; empty when the case passes. */
export function mismatches(c: AdmissionCase, response: AdmissionResponse): string[] {
  const problems: string[] = [];
  const { expect } = c;
  if (response.allowed !== expect.allowed) {
    problems.push(`allowed is ${response.allowed}, expected ${expect.allowed}`);
  }
  if (expect.errors) {
    problems.push(...missingErrors(expect.errors, response.errors).map(m => `missing error ${m}`));
    if (expect.errorsMatch === 'exact' && response.errors.length !== expect.errors.length) {
      problems.push(`expected exactly ${expect.errors.length} errors, got ${response.errors.length}`);
    }
  }
  const messages = [...response.errors.map(formatAdmissionError), ...response.warnings];
  for (const fragment of expect.messageContains ?? []) {
    if (!messages.some(m => m.includes(fragment))) {
      problems.push(`no error or warning contains ${JSON.stringify(fragment)}`);
    }
  }
  for (const w of expect.warnings ?? []) {
    if (!response.warnings.includes(w)) {
      problems.push(`missing warning ${JSON.stringify(w)}`);
    }
  }
  if (expect.allowed && c.object?.kind === 'PodCliqueSet' && !response.warnings.includes(RESTART_POLICY_WARNING)) {
    problems.push('a valid PodCliqueSet admission returns the restartPolicy warning (Q4)');
  }
  if (problems.length > 0) {
    problems.push(`errors: ${JSON.stringify(response.errors, null, 1)}`);
  }
  return problems;
}

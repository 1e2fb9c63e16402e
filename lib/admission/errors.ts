/**
 * Constructors for admission errors, mirroring `k8s.io/apimachinery/pkg/util/validation/field`. Where Kubernetes
 * leaves the detail empty (Required, Duplicate, NotFound, NotSupported, TooLong), the detail is what the API server
 * prints for the error (`Duplicate value: "x"`), so every error reads on its own.
 */
import { FieldPath } from './field-path';
import { goQuote } from './json';
import { AdmissionError, FieldErrorType } from './types';

/** A list of errors, appended to in check order. */
export type ErrorList = AdmissionError[];

function make(type: FieldErrorType, path: FieldPath | string, detail: string): AdmissionError {
  return { type, field: path.toString(), detail };
}

/** `field.Invalid`. */
export function invalid(path: FieldPath | string, detail: string): AdmissionError {
  return make('Invalid', path, detail);
}

/** `field.Required`; an empty detail reads `Required value`. */
export function required(path: FieldPath | string, detail = ''): AdmissionError {
  return make('Required', path, detail === '' ? 'Required value' : detail);
}

/** `field.Forbidden`. */
export function forbidden(path: FieldPath | string, detail: string): AdmissionError {
  return make('Forbidden', path, detail);
}

/** `field.Duplicate`. */
export function duplicate(path: FieldPath | string, value: unknown): AdmissionError {
  return make('Duplicate', path, `Duplicate value: ${showValue(value)}`);
}

/** `field.NotFound`. */
export function notFound(path: FieldPath | string, value: unknown): AdmissionError {
  return make('NotFound', path, `Not found: ${showValue(value)}`);
}

/** `field.NotSupported`. */
export function notSupported(path: FieldPath | string, value: unknown, supported: readonly string[]): AdmissionError {
  return make('NotSupported', path, `Unsupported value: ${showValue(value)}: supported values: ${supported.map(goQuote).join(', ')}`);
}

/** `field.TooLong`. */
export function tooLong(path: FieldPath | string, max: number): AdmissionError {
  return make('TooLong', path, `Too long: may not be more than ${max} bytes`);
}

/** `field.TypeInvalid`. */
export function typeInvalid(path: FieldPath | string, detail: string): AdmissionError {
  return make('TypeInvalid', path, detail);
}

/** `field.InternalError`. */
export function internalError(path: FieldPath | string, detail: string): AdmissionError {
  return make('InternalError', path, `Internal error: ${detail}`);
}

/** A value as Kubernetes prints it in error messages (`"text"`, `3`, `["a","b"]`). */
function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return goQuote(value);
  }
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}

/** One error as the API server prints it: `field: detail`. */
export function formatAdmissionError(e: AdmissionError): string {
  return e.field === '' ? e.detail : `${e.field}: ${e.detail}`;
}

/** All errors of a response, one per line, as `kubectl` would show them. */
export function formatAdmissionErrors(errors: readonly AdmissionError[]): string {
  return errors.map(formatAdmissionError).join('\n');
}

/**
 * What the subcommands print: findings as aligned text lines for people, or one JSON document for machines.
 */
import { InputIo } from './input';

/** How bad a finding is. Errors fail the command; warnings only with `--strict`; infos never. */
export type Severity = 'error' | 'warning' | 'info';

/** One thing a subcommand reports about a place in the input. */
export interface Finding {
  readonly severity: Severity;
  /** The file as the user named it, or `<stdin>`. */
  readonly file: string;
  /** 1-based line of the field (of its closest parent in the file when the field is missing). */
  readonly line: number;
  /** 1-based line where the object starts (the problem's line for problems of the file itself). */
  readonly objectLine: number;
  /** `Kind/name`, or `-` for problems of the file itself. */
  readonly object: string;
  /** Field path, e.g. `spec.template.cliques[0].spec.roleName`; empty for the object as a whole. */
  readonly field: string;
  /** What is wrong, in lowercase. */
  readonly message: string;
  /**
   * How to fix it.
   * @default - no fix is suggested
   */
  readonly fix?: string;
  /** Which check found it, e.g. `admission`, `crd`, `kai-queue`. */
  readonly rule: string;
}

/** The process around a command: files, stdin, stdout, stderr. */
export interface Io extends InputIo {
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(file: string, text: string): void;
}

/** Output formats every subcommand knows. */
export type Format = 'text' | 'json';

/**
 * One finding as a text line: `file:line  Kind/name  field  severity  message; fix: ...  [rule]`. `label` replaces
 * the severity word (diff prints its change kinds there).
 */
export function formatFinding(f: Finding, label: string = f.severity): string {
  const fix = f.fix === undefined ? '' : `; fix: ${f.fix}`;
  return `${f.file}:${f.line}  ${f.object}  ${f.field === '' ? '-' : f.field}  ${label}  ${f.message}${fix}  [${f.rule}]`;
}

/** Findings in file order (the order files were read), then line, keeping the order of equal ones. */
export function sortFindings<T extends Finding>(findings: readonly T[], files: readonly string[]): T[] {
  const rank = new Map(files.map((f, i) => [f, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (rank.get(a.f.file) ?? files.length) - (rank.get(b.f.file) ?? files.length) || a.f.line - b.f.line || a.i - b.i)
    .map(x => x.f);
}

/** A value as pretty JSON plus a newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string, many: string = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Counts of each key, as `A 2, B 1` in key order. */
export function countText(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => `${k} ${n}`).join(', ');
}

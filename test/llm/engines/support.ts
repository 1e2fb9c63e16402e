/**
 * Helpers for comparing launch specs with upstream containers: a small POSIX shell word splitter, flag-set
 * normalisation, and access to the example/recipe containers and GOLDEN.md fragments.
 */
import { parse } from 'yaml';
import { LaunchSpec } from '../../../lib/llm/engines';
import { readReference, readReferenceYaml } from '../../support/reference';

/**
 * Splits a shell command line into words: single quotes, double quotes (with backslash escapes), backslash
 * escapes, and `$(( ... ))` arithmetic kept as one word. Enough for the command lines under test.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i];
          i++;
        }
      }
      if (i >= line.length) throw new Error(`unterminated double quote in ${line}`);
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (line.startsWith('$((', i)) {
      const end = line.indexOf('))', i);
      if (end < 0) throw new Error(`unterminated arithmetic in ${line}`);
      word += line.slice(i, end + 2);
      inWord = true;
      i = end + 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Flag spellings that mean the same thing to the engine (argparse aliases/abbreviations, legacy flags). */
export const FLAG_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '--tp': ['--tp-size'],
  '--dp': ['--dp-size'],
  '--is-prefill-worker': ['--disaggregation-mode', 'prefill'],
  '--is-decode-worker': ['--disaggregation-mode', 'decode'],
};

/** Rewrites alias spellings into their canonical form. */
export function canonicalFlags(words: readonly string[]): string[] {
  return words.flatMap(w => FLAG_ALIASES[w] ?? [w]);
}

/**
 * Groups words into `flag value` / `flag` / positional entries and sorts them, so two argument lists can be
 * compared independent of flag order (argparse does not care about it).
 */
export function flagSet(words: readonly string[]): string[] {
  const entries: string[] = [];
  const ws = canonicalFlags(words);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      if (w.startsWith('--') && eq > 0) {
        entries.push(`${w.slice(0, eq)} ${w.slice(eq + 1)}`);
      } else if (i + 1 < ws.length && !ws[i + 1].startsWith('-')) {
        entries.push(`${w} ${ws[i + 1]}`);
        i++;
      } else {
        entries.push(w);
      }
    } else {
      entries.push(`<positional> ${w}`);
    }
  }
  return entries.sort();
}

/** The words a container runs: `command` + `args`, or the words of the `sh -c` line. */
export function commandWords(c: { command?: readonly string[]; args?: readonly string[] }): string[] {
  const command = [...(c.command ?? [])];
  const args = [...(c.args ?? [])];
  if ((command[0] === '/bin/sh' || command[0] === 'sh') && command[1] === '-c') {
    const words = shellWords([...command.slice(2), ...args].join(' '));
    return words[0] === 'exec' ? words.slice(1) : words;
  }
  return [...command, ...args];
}

/** The words of a launch spec. */
export function specWords(spec: LaunchSpec): string[] {
  return commandWords(spec);
}

/** Removes the listed `flag value` pairs (and bare flags) from a word list. */
export function withoutFlags(words: readonly string[], flags: readonly string[], bare: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (flags.includes(words[i])) {
      i++;
      continue;
    }
    if (bare.includes(words[i])) continue;
    out.push(words[i]);
  }
  return out;
}

/** The value following a flag in a word list. */
export function flagValue(words: readonly string[], flag: string): string | undefined {
  const i = words.indexOf(flag);
  return i >= 0 ? words[i + 1] : undefined;
}

/** A container of an example/recipe DGD (v1alpha1 `services` map or v1beta1 `components` list). */
export interface ReferenceContainer {
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  workingDir?: string;
}

/** The main container of a component in a DGD reference file. */
export function referenceContainer(file: string, component: string): ReferenceContainer {
  const dgd = readReferenceYaml('dynamo', ...file.split('/')).find(d => d.kind === 'DynamoGraphDeployment');
  if (!dgd) throw new Error(`no DynamoGraphDeployment in ${file}`);
  if (dgd.spec.services) {
    const svc = dgd.spec.services[component];
    if (!svc) throw new Error(`no service ${component} in ${file}`);
    const main = svc.extraPodSpec.mainContainer;
    return { ...main, env: [...(svc.envs ?? []), ...(main.env ?? [])] };
  }
  const comp = dgd.spec.components.find((c: { name: string }) => c.name === component);
  if (!comp) throw new Error(`no component ${component} in ${file}`);
  return comp.podTemplate.spec.containers.find((c: { name: string }) => c.name === 'main');
}

/** The text of one `## Gx` section of GOLDEN.md. */
export function goldenSection(id: string): string {
  const md = readReference('dynamo', 'GOLDEN.md');
  const start = md.indexOf(`## ${id} `);
  if (start < 0) throw new Error(`no section ${id} in GOLDEN.md`);
  const next = md.indexOf('\n## G', start + 4);
  return md.slice(start, next < 0 ? undefined : next);
}

/**
 * The `- {name: ..., value: ...}` env entries of the first container after `marker` in a GOLDEN.md section.
 */
export function goldenEnv(section: string, marker: string): { name: string; value?: string; valueFrom?: unknown }[] {
  const from = section.indexOf(marker);
  if (from < 0) throw new Error(`marker ${marker} not found`);
  const envAt = section.indexOf('env:', from);
  const lines = section.slice(envAt).split('\n').slice(1);
  const out: { name: string; value?: string; valueFrom?: unknown }[] = [];
  for (const line of lines) {
    const m = /^\s*- (\{name: .*\})\s*$/.exec(line);
    if (!m) break;
    out.push(parse(m[1]));
  }
  return out;
}

/** The YAML block of a probe (`livenessProbe:` etc.) of the first container after `marker`. */
export function goldenProbe(section: string, marker: string, probe: string): Record<string, unknown> {
  const from = section.indexOf(marker);
  const at = section.indexOf(`${probe}:`, from);
  const lineStart = section.lastIndexOf('\n', at) + 1;
  const lines = section.slice(lineStart).split('\n');
  const indent = lines[0].search(/\S/);
  const block = [lines[0].trim()];
  for (const line of lines.slice(1)) {
    if (line.search(/\S/) <= indent) break;
    block.push(line.slice(indent).replace(/#.*$/, ''));
  }
  return parse(block.join('\n'))[probe];
}

/** The first double-quoted `args` string after `marker` in a GOLDEN.md section. */
export function goldenArgString(section: string, marker: string): string {
  const from = section.indexOf(marker);
  const m = /args:\s*\n\s*- "(.*)"/.exec(section.slice(from));
  if (!m) throw new Error(`no args string after ${marker}`);
  return m[1];
}

/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time per file and per function, and total
 * (inclusive) time of the functions of cdk8s, cdk8s-grove and the generated imports.
 */
import * as fs from 'fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** One line of a summary: a name and its time in milliseconds. */
export interface Timed { readonly name: string; readonly ms: number }

/** What a profile spent its time on. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly selfByFile: Timed[];
  readonly selfByFunction: Timed[];
  readonly totalByFunction: Timed[];
}

/** A script URL relative to the repository (`lib/grove/pod-clique-set.ts`, `node_modules/cdk8s/lib/app.js`). */
function short(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nm = file.indexOf('/node_modules/');
  if (nm >= 0) {
    return file.slice(nm + 1);
  }
  const root = `${process.cwd()}/`;
  return file.startsWith(root) ? file.slice(root.length) : file;
}

/** Summarizes the profile in `file`; `totalFilter` picks the functions listed by total time. */
export function summarizeProfile(file: string, top = 25, totalFilter = / (lib|imports)\/|cdk8s\/lib\/|constructs\/lib\/|yaml\/dist\/public-api/): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fnName = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url) || '(native)'}:${n.callFrame.lineNumber + 1}`;
  const selfByFile = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    totalUs += us;
    const f = short(n.callFrame.url) || n.callFrame.functionName;
    selfByFile.set(f, (selfByFile.get(f) ?? 0) + us);
    selfByFunction.set(fnName(n), (selfByFunction.get(fnName(n)) ?? 0) + us);
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const name = fnName(byId.get(p)!);
      if (!seen.has(name)) {
        seen.add(name);
        totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + us);
      }
    }
  }
  const sorted = (m: Map<string, number>, keep: (name: string) => boolean = () => true) => [...m]
    .filter(([name]) => keep(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000 }));
  return {
    totalMs: totalUs / 1000,
    selfByFile: sorted(selfByFile),
    selfByFunction: sorted(selfByFunction),
    totalByFunction: sorted(totalByFunction, name => totalFilter.test(name)),
  };
}

/** The summary as text. */
export function formatProfile(s: ProfileSummary): string {
  const rows = (title: string, list: Timed[]) => [title, ...list.map(t => `  ${t.ms.toFixed(0).padStart(7)} ms  ${t.name}`)];
  return [
    `profile: ${s.totalMs.toFixed(0)} ms sampled`,
    ...rows('self time by file', s.selfByFile),
    ...rows('self time by function', s.selfByFunction),
    ...rows('total time (incl. callees) of cdk8s, constructs, lib/ and imports/ functions', s.totalByFunction),
  ].join('\n');
}

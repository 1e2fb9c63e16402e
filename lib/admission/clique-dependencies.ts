/**
 * Explicit startup ordering (`cliqueStartupType: CliqueStartupTypeExplicit`): every `startsAfter` entry must name a
 * clique (V40) and the dependency graph must be acyclic (V41, cycles of two or more cliques found with Tarjan's
 * strongly connected components; a self-reference is V26's business).
 */
import { ErrorList, invalid } from './errors';
import { FieldPath } from './field-path';
import { CliqueView } from './model';

/** Adjacency: clique name → the cliques it starts after (entries of repeated names are merged, as in Grove). */
function dependencyGraph(cliques: readonly CliqueView[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const c of cliques) {
    graph.set(c.name, [...(graph.get(c.name) ?? []), ...c.startsAfter]);
  }
  return graph;
}

/** Strongly connected components with more than one clique (Tarjan, iterative so deep chains cannot overflow). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];

  const visit = (root: string): void => {
    const work: { node: string; next: number }[] = [];
    const enter = (node: string) => {
      index.set(node, counter);
      lowLink.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const deps = graph.get(frame.node) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++];
        if (!index.has(dep)) {
          enter(dep);
        } else if (onStack.has(dep)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) {
        lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member !== undefined) {
            onStack.delete(member);
            component.push(member);
          }
        } while (member !== undefined && member !== frame.node);
        if (component.length > 1) {
          found.push(component);
        }
      }
    }
  };

  for (const node of graph.keys()) {
    if (!index.has(node)) {
      visit(node);
    }
  }
  return found;
}

/** V40 and V41. */
export function validateCliqueDependencies(cliques: readonly CliqueView[], cliquesPath: FieldPath): ErrorList {
  const graph = dependencyGraph(cliques);
  const known = new Set(cliques.map(c => c.name));
  const errs: ErrorList = [];
  const unknown = [...graph.values()].flat().filter(dep => !known.has(dep));
  if (unknown.length > 0) {
    errs.push(invalid(cliquesPath.child('startsAfter'), 'unknown clique names found, all clique dependencies must be defined as cliques'));
  }
  if (cycles(graph).length > 0) {
    errs.push(invalid(cliquesPath, 'clique must not have circular dependencies'));
  }
  return errs;
}

/** Reads a value by Kubernetes field path (`spec.template.cliques[0].spec.replicas`) from plain JSON. */
export function getByFieldPath(obj: unknown, path: string): unknown {
  let current: any = obj;
  for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (current === undefined || current === null) {
      return undefined;
    }
    current = token.startsWith('[') ? current[Number(token.slice(1, -1))] : current[token];
  }
  return current;
}

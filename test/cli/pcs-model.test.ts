import { readPcs, requiredDomain, startupCycles, startupEdges, startupRanks } from '../../lib/cli/pcs-model';

function pcs(startup: string | undefined, cliques: [string, string[]][]): any {
  return {
    metadata: { name: 'p' },
    spec: {
      replicas: 1,
      template: {
        ...(startup === undefined ? {} : { cliqueStartupType: `CliqueStartupType${startup}` }),
        cliques: cliques.map(([name, after]) => ({ name, spec: { roleName: name, replicas: 1, startsAfter: after, podSpec: {} } })),
      },
    },
  };
}

test('AnyOrder ignores startsAfter; InOrder chains cliques; Explicit follows startsAfter, skipping unknown names and self', () => {
  expect(startupEdges(readPcs(pcs(undefined, [['a', []], ['b', ['a']]])))).toEqual([]);
  expect(startupEdges(readPcs(pcs('InOrder', [['a', []], ['b', []], ['c', []]])))).toEqual([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }]);
  expect(startupEdges(readPcs(pcs('Explicit', [['a', ['zz', 'a']], ['b', ['a', 'a']]])))).toEqual([{ from: 'a', to: 'b' }]);
});

test('ranks put a clique right of everything it waits for', () => {
  const p = readPcs(pcs('Explicit', [['front', ['ldr', 'pre']], ['pre', []], ['ldr', ['wkr']], ['wkr', []]]));
  expect(Object.fromEntries(startupRanks(p))).toEqual({ front: 2, pre: 0, ldr: 1, wkr: 0 });
});

test('cycles: one closed path per strongly connected component, in clique order', () => {
  const p = readPcs(pcs('Explicit', [['a', ['c']], ['b', ['a']], ['c', ['b']], ['d', ['e']], ['e', ['d']], ['f', ['a']]]));
  expect(startupCycles(p)).toEqual([['a', 'c', 'b', 'a'], ['d', 'e', 'd']]);
  expect(startupCycles(readPcs(pcs('Explicit', [['a', []], ['b', ['a']]])))).toEqual([]);
});

test('defaults: replicas 0 -> 1, minAvailable -> replicas, scaling group replicas and minAvailable -> 1', () => {
  const p = readPcs({
    metadata: { name: 'p' },
    spec: { template: { cliques: [{ name: 'a', spec: { replicas: 0 } }, { name: 'b', spec: { replicas: 3 } }], podCliqueScalingGroups: [{ name: 'g', cliqueNames: ['b'] }] } },
  });
  expect(p.replicas).toBe(0);
  expect(p.replicasSet).toBe(false);
  expect(p.cliques.map(c => [c.name, c.replicas, c.minAvailable, c.scalingGroup])).toEqual([['a', 1, 1, undefined], ['b', 3, 3, 'g']]);
  expect(p.scalingGroups[0]).toMatchObject({ replicas: 1, minAvailable: 1 });
});

test('requiredDomain: pack.required, else the legacy packDomain', () => {
  expect(requiredDomain({ pack: { required: 'rack', preferred: 'host' } })).toBe('rack');
  expect(requiredDomain({ packDomain: 'block' })).toBe('block');
  expect(requiredDomain({ pack: { preferred: 'host' } })).toBeUndefined();
  expect(requiredDomain(undefined)).toBeUndefined();
});

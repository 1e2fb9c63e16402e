import * as path from 'path';
import { UsageError } from '../../lib/cli/args';
import { InputProblem, SourceObject, loadInputs, objectKey, parseFieldPath, parseSource } from '../../lib/cli/input';
import { ROOT } from './support';

function parse(text: string): { objects: SourceObject[]; problems: InputProblem[] } {
  const objects: SourceObject[] = [];
  const problems: InputProblem[] = [];
  parseSource('f.yaml', text, objects, problems);
  return { objects, problems };
}

const TEXT = `# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations:
    grove.io/mnnvl-group: g
---
---
apiVersion: grove.io/v1alpha1
kind: PodCliqueSet
metadata:
  name: p
spec:
  template:
    cliques:
      - name: c0
        spec:
          podSpec:
            containers:
              - name: main
                image: x
      - name: c1
        labels:
          kai.scheduler/queue: q
`;

describe('parseSource', () => {
  const { objects, problems } = parse(TEXT);

  test('one object per non-empty document, with its start line', () => {
    expect(problems).toEqual([]);
    expect(objects.map(o => [o.line, o.object.kind])).toEqual([[3, 'ConfigMap'], [11, 'PodCliqueSet']]);
  });

  test('lineOf finds fields, keys with dots and slashes, Grove\'s extra podSpec.spec, and parents of missing fields', () => {
    const pcs = objects[1];
    expect(pcs.lineOf('metadata.name')).toBe(14);
    expect(pcs.lineOf('spec.template.cliques[1].name')).toBe(24);
    expect(pcs.lineOf('spec.template.cliques[1].labels[kai.scheduler/queue]')).toBe(26);
    expect(pcs.lineOf('spec.template.cliques[0].spec.podSpec.spec.containers[0].image')).toBe(23);
    expect(pcs.lineOf('spec.template.cliques[0].spec.roleName')).toBe(19);
    expect(pcs.lineOf('spec.template.cliques.spec.minAvailable')).toBe(17);
    expect(pcs.lineOf('')).toBe(11);
    expect(objects[0].lineOf('metadata.annotations.grove.io/mnnvl-group')).toBe(8);
  });

  test('YAML errors and non-objects are problems with a line; a List is opened', () => {
    expect(parse('a: [1\n').problems[0]).toMatchObject({ file: 'f.yaml', line: 2 });
    expect(parse('- 1\n- 2\n').problems).toEqual([{ file: 'f.yaml', line: 1, message: 'a document must be a Kubernetes object (a mapping), got a list' }]);
    const list = parse('apiVersion: v1\nkind: List\nitems:\n  - kind: A\n    metadata: {name: a}\n  - kind: B\n');
    expect(list.objects.map(o => [o.line, o.object.kind])).toEqual([[4, 'A'], [6, 'B']]);
    expect(list.objects[0].lineOf('metadata.name')).toBe(5);
  });
});

test('parseFieldPath', () => {
  expect(parseFieldPath('a.b[0].c[app.kubernetes.io/name]')).toEqual(['a', 'b', 0, 'c', 'app.kubernetes.io/name']);
});

test('objectKey: a namespaced object without namespace is in default; cluster-scoped kinds have none', () => {
  expect(objectKey({ apiVersion: 'grove.io/v1alpha1', kind: 'PodCliqueSet', metadata: { name: 'x' } }))
    .toBe(objectKey({ apiVersion: 'grove.io/v1alpha1', kind: 'PodCliqueSet', metadata: { name: 'x', namespace: 'default' } }));
  expect(objectKey({ apiVersion: 'grove.io/v1alpha1', kind: 'ClusterTopologyBinding', metadata: { name: 't' } })).toBe('grove.io/ClusterTopologyBinding//t');
  expect(objectKey({ apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name: 'q' } }))
    .not.toBe(objectKey({ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: 'q' } }));
});

describe('loadInputs', () => {
  const io = { cwd: ROOT, readStdin: () => 'kind: A\nmetadata: {name: s}\n' };

  test('folders recursively in name order, shown as the user named them; stdin as <stdin>', () => {
    const loaded = loadInputs(['test/cli/fixtures/diff', '-'], io);
    expect(loaded.files).toEqual([
      'test/cli/fixtures/diff/cliques.yaml', 'test/cli/fixtures/diff/minavailable.yaml', 'test/cli/fixtures/diff/old.yaml',
      'test/cli/fixtures/diff/replicas.yaml', 'test/cli/fixtures/diff/restart-ondelete.yaml', 'test/cli/fixtures/diff/restart.yaml',
      'test/cli/fixtures/diff/startsafter.yaml', '<stdin>',
    ]);
    expect(loaded.objects[loaded.objects.length - 1]).toMatchObject({ file: '<stdin>', line: 1, object: { kind: 'A' } });
  });

  test('fails for missing paths, empty folders and stdin twice', () => {
    expect(() => loadInputs(['nope'], io)).toThrow(UsageError);
    expect(() => loadInputs([path.join('test', 'cli')], { ...io })).not.toThrow();
    expect(() => loadInputs(['lib/cli'], io)).toThrow('no YAML files (*.yaml, *.yml) under lib/cli');
    expect(() => loadInputs(['-', '-'], io)).toThrow('"-" (stdin) can be given only once');
  });
});

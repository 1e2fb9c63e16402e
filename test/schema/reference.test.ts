/**
 * The validator against the real, pinned Grove CRDs and upstream manifests.
 */
import * as fs from 'fs';
import { SchemaIssue, validateAgainstCrd } from '../../lib/schema';
import { describeWithReference, readReferenceYaml, referencePath } from '../support/reference';
import { expectSchemaValid, groveSchemaIssues, loadPinnedCrd } from '../support/schema';

function pairs(issues: readonly SchemaIssue[]): [string, string][] {
  return issues.map(i => [i.type, i.field]);
}

/** Upstream samples that are invalid against the pinned CRD: their cliques lack the required `spec.roleName`. */
const KNOWN_INVALID_SAMPLES: Record<string, [string, string][]> = {
  'sample__user-guide_02_pod-and-resource-naming-conventions_multinode-disaggregated-with-frontend.yaml': [['Required', 'spec.template.cliques[0].spec.roleName']],
  'sample__user-guide_03_environment-variables-for-pod-discovery_standalone-env-vars.yaml': [['Required', 'spec.template.cliques[0].spec.roleName']],
};

describeWithReference('pinned Grove CRDs', () => {
  let pcsCrd: unknown;
  let simple1: any;

  beforeAll(() => {
    pcsCrd = loadPinnedCrd('grove.io/PodCliqueSet');
    simple1 = readReferenceYaml('grove', 'samples', 'sample__simple_simple1.yaml')[0];
  });

  /** A deep copy of simple1 to break. */
  function simple1Copy(): any {
    return JSON.parse(JSON.stringify(simple1));
  }

  test('sample simple1 is valid', () => {
    expect(simple1.kind).toBe('PodCliqueSet');
    expect(validateAgainstCrd(simple1, pcsCrd)).toEqual([]);
  });

  const sampleFiles = fs.existsSync(referencePath('grove', 'samples'))
    ? fs.readdirSync(referencePath('grove', 'samples')).filter(f => f.endsWith('.yaml')).sort()
    : [];

  test.each(sampleFiles)('upstream sample %s validates (or fails exactly as known)', file => {
    const docs = readReferenceYaml('grove', 'samples', file);
    const found = groveSchemaIssues(docs).flatMap(r => pairs(r.issues));
    expect(found).toEqual(KNOWN_INVALID_SAMPLES[file] ?? []);
  });

  test('a ClusterTopologyBinding from the user guide validates', () => {
    const [ctb] = readReferenceYaml('grove', 'samples', 'from-docs', 'doc__user-guide_topology-aware-scheduling__block1.yaml');
    expect(ctb.kind).toBe('ClusterTopologyBinding');
    expect(validateAgainstCrd(ctb, loadPinnedCrd('grove.io/ClusterTopologyBinding'))).toEqual([]);
  });

  test('fails when a sample gets an unknown field, at that field\'s path', () => {
    // GIVEN a typo inside a clique spec and an unknown container field
    const pcs = simple1Copy();
    pcs.spec.template.cliques[1].spec.minAvailabel = 1;
    pcs.spec.template.cliques[0].spec.podSpec.containers[0].gpus = 1;
    // THEN
    expect(pairs(validateAgainstCrd(pcs, pcsCrd))).toEqual([
      ['UnknownField', 'spec.template.cliques[0].spec.podSpec.containers[0].gpus'],
      ['UnknownField', 'spec.template.cliques[1].spec.minAvailabel'],
    ]);
  });

  test('fails when a sample has a wrong type, at that field\'s path', () => {
    const pcs = simple1Copy();
    pcs.spec.template.cliques[2].spec.replicas = '2';
    pcs.spec.template.podCliqueScalingGroups[0].cliqueNames = 'pcb';
    expect(pairs(validateAgainstCrd(pcs, pcsCrd))).toEqual([
      ['TypeInvalid', 'spec.template.cliques[2].spec.replicas'],
      ['TypeInvalid', 'spec.template.podCliqueScalingGroups[0].cliqueNames'],
    ]);
  });

  test('fails when a sample misses a required key, at that key\'s path', () => {
    const pcs = simple1Copy();
    delete pcs.spec.template.cliques[3].spec.roleName;
    delete pcs.spec.template.cliques[0].spec.podSpec.containers[0].name;
    delete pcs.spec.template.podCliqueScalingGroups[0].cliqueNames;
    expect(pairs(validateAgainstCrd(pcs, pcsCrd))).toEqual([
      ['Required', 'spec.template.cliques[0].spec.podSpec.containers[0].name'],
      ['Required', 'spec.template.cliques[3].spec.roleName'],
      ['Required', 'spec.template.podCliqueScalingGroups[0].cliqueNames'],
    ]);
  });

  test('fails on duplicate clique names (list-map keyed by name), a bad enum and an int32 overflow', () => {
    const pcs = simple1Copy();
    pcs.spec.template.cliques[3].name = 'pca';
    pcs.spec.template.cliqueStartupType = 'CliqueStartupTypeRandom';
    pcs.spec.replicas = 2 ** 31;
    expect(pairs(validateAgainstCrd(pcs, pcsCrd)).sort()).toEqual([
      ['Duplicate', 'spec.template.cliques[3]'],
      ['NotSupported', 'spec.template.cliqueStartupType'],
      // kube-openapi reports a value outside `format: int32` as a type error (k8s.io/kube-openapi pkg/validation/validate)
      ['TypeInvalid', 'spec.replicas'],
    ]);
  });

  test('fails on a malformed GPU quantity, at a bracketed resource key', () => {
    const pcs = simple1Copy();
    pcs.spec.template.cliques[0].spec.podSpec.containers[0].resources.limits = { 'nvidia.com/gpu': 'eight' };
    expect(pairs(validateAgainstCrd(pcs, pcsCrd))).toEqual([
      ['Invalid', 'spec.template.cliques[0].spec.podSpec.containers[0].resources.limits[nvidia.com/gpu]'],
    ]);
    pcs.spec.template.cliques[0].spec.podSpec.containers[0].resources.limits = { 'nvidia.com/gpu': 8 };
    expect(validateAgainstCrd(pcs, pcsCrd)).toEqual([]);
  });

  test('defaults count: omitting fields that carry a CRD default is fine', () => {
    // headlessServiceConfig.publishNotReadyAddresses is required but defaults to true
    const pcs = simple1Copy();
    pcs.spec.template.headlessServiceConfig = {};
    expect(validateAgainstCrd(pcs, pcsCrd)).toEqual([]);
  });

  describe('conformance cases', () => {
    let cases: any[] = [];
    beforeAll(() => {
      cases = readReferenceYaml('grove', 'conformance', 'admission-cases.yaml')[0].cases;
    });

    // CREATE cases only: the check validates as on create, where the CRD's transition rules (optionalOldSelf) apply.
    test('every CREATE case the webhook admits is schema-valid', () => {
      const admitted = cases.filter(c => c.expect.allowed === true && c.operation === 'CREATE');
      expect(admitted.length).toBeGreaterThan(10);
      const failures = admitted.flatMap(c => groveSchemaIssues([c.object]).map(r => `${c.id}: ${JSON.stringify(r.issues)}`));
      expect(failures).toEqual([]);
    });

    test('schema-level rejections are found at the expected fields', () => {
      const byId = new Map(cases.map(c => [c.id, c]));
      const found = (id: string): [string, string][] => groveSchemaIssues([byId.get(id).object]).flatMap(r => pairs(r.issues));
      // webhook reports `Duplicate @ …containers[0].env`; the API server's list-map check fires first, on the entry
      expect(found('env-dup')).toEqual([['Duplicate', 'spec.template.cliques[0].spec.podSpec.containers[0].env[1]']]);
      expect(found('rs-bad-scope')).toEqual([['NotSupported', 'spec.template.resourceSharing[0].scope']]);
      expect(found('ctb-empty-levels')).toEqual([['Invalid', 'spec.levels']]);
      expect(found('ctb-bad-domain')).toEqual([['Invalid', 'spec.levels[0].domain']]);
    });
  });

  describe('expectSchemaValid', () => {
    test('passes for valid Grove objects and skips other kinds', () => {
      const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { bogus: true } };
      expect(() => expectSchemaValid([service, simple1, { kind: 'ConfigMap' }])).not.toThrow();
    });

    test('fails listing every issue of every object', () => {
      const a = simple1Copy();
      a.spec.replicas = 'one';
      const b = simple1Copy();
      b.metadata.name = 'other';
      b.spec.template.cliques[0].spec.extra = 1;
      b.spec.template.cliques[1].spec.replicas = -1.5;
      let message = '';
      try {
        expectSchemaValid([a, b]);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('3 schema issue(s)');
      expect(message).toContain('PodCliqueSet/simple1 (object 0):');
      expect(message).toContain('TypeInvalid @ spec.replicas: spec.replicas in body must be of type integer: "string"');
      expect(message).toContain('PodCliqueSet/other (object 1):');
      expect(message).toContain('UnknownField @ spec.template.cliques[0].spec.extra');
      expect(message).toContain('TypeInvalid @ spec.template.cliques[1].spec.replicas');
    });

    test('fails for a Grove kind without a pinned CRD', () => {
      expect(() => expectSchemaValid([{ apiVersion: 'grove.io/v1alpha1', kind: 'PodGangMap', metadata: { name: 'x' } }]))
        .toThrow(/no pinned CRD for grove.io\/PodGangMap/);
    });

    test('validates generated kinds too (PodClique, PodCliqueScalingGroup, PodGang)', () => {
      const pclq = {
        apiVersion: 'grove.io/v1alpha1',
        kind: 'PodClique',
        metadata: { name: 'simple1-0-pca' },
        spec: simple1.spec.template.cliques[0].spec,
      };
      expect(() => expectSchemaValid([pclq])).not.toThrow();
      expect(() => expectSchemaValid([{ ...pclq, spec: { ...pclq.spec, replicas: 'x' } }])).toThrow(/spec.replicas/);
    });

    test('parses each CRD once per process', () => {
      expect(loadPinnedCrd('grove.io/PodCliqueSet')).toBe(loadPinnedCrd('grove.io/PodCliqueSet'));
      const start = Date.now();
      for (let i = 0; i < 20; i++) {
        expectSchemaValid([simple1]);
      }
      expect(Date.now() - start).toBeLessThan(1000);
    });
  });
});

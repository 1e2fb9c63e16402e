/**
 * Conformance-style cases of our own, one group per way the port models the platform (issue classes 1-7), each named
 * after the upstream file whose rule it follows. Cases assert what the API server + Grove answer, derived from code.
 */
import { admit } from '../../lib/admission';
import { BASE_CONFIG, clique, create, errorKeys, pcs, update } from './fixtures';

const VOLCANO_CONFIG = { ...BASE_CONFIG, schedulerProfiles: ['default-scheduler', 'volcano'], defaultProfileName: 'volcano' };

describe('1. defaulting is a JSON round trip (controller-runtime defaulter_custom.go; grove podclique.go / podcliqueset.go json tags)', () => {
  test('podclique.go: roleName has no omitempty, so a missing roleName comes back "" and the schema does not refuse it', () => {
    const c = clique('a');
    delete c.spec.roleName;
    const response = create(pcs({ cliques: [c] }));
    expect(response.allowed).toBe(true);
    expect((response.patched as any).spec.template.cliques[0].spec.roleName).toBe('');
  });

  test('two cliques without roleName: the webhook\'s own uniqueness rule then reports the duplicate ""', () => {
    const a = clique('a');
    const b = clique('b');
    delete a.spec.roleName;
    delete b.spec.roleName;
    expect(errorKeys(create(pcs({ cliques: [a, b] })))).toEqual(['Duplicate @ spec.template.cliques.roleName']);
  });

  test('podcliqueset.go defaultPodCliqueTemplateSpecs: missing cliques come back as [], so the webhook reports them, not the schema', () => {
    const object = pcs();
    delete object.spec.template.cliques;
    const response = create(object);
    expect(errorKeys(response)).toContain('Required @ spec.template.cliques');
    expect(response.errors.map(e => e.detail)).toContain('at least one PodClique must be defined');
  });

  test('core/v1 types.go: ContainerPort.containerPort and Container.resources are written by the round trip', () => {
    const object = pcs({ cliques: [clique('a', { replicas: 0, podSpec: { containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http' }] }] } })] });
    const container = (create(object).patched as any).spec.template.cliques[0].spec.podSpec.containers[0];
    expect(container.ports[0]).toEqual({ name: 'http', containerPort: 0, protocol: 'TCP' });
    expect(container.resources).toEqual({});
  });

  test('defaulter_custom.go: when Default changes nothing, no patch is sent and no zero value appears', () => {
    const object = pcs({ terminationDelay: '4h', headlessServiceConfig: { publishNotReadyAddresses: true } });
    object.spec.template.cliques[0].spec.podSpec.restartPolicy = 'Always';
    object.spec.template.cliques[0].spec.podSpec.terminationGracePeriodSeconds = 30;
    const patched = create(object).patched as any;
    expect(patched.spec.template.terminationDelay).toBe('4h'); // not re-marshalled as 4h0m0s
    expect(patched.spec.template.cliques[0].spec.podSpec.containers[0].resources).toBeUndefined();
  });
});

describe('2. the API server\'s order hides errors (customresource/validator.go, strategy.go)', () => {
  test('validator.go ValidateScaleSpec: a fractional spec.replicas is refused at .spec.replicas and hides everything else', () => {
    const object = pcs({ cliqueStartupType: 'Sometimes' });
    object.spec.replicas = 1.5;
    expect(create(object).errors).toEqual([{ type: 'Invalid', field: '.spec.replicas', detail: '.spec.replicas accessor error: 1.5 is of the type float64, expected int64' }]);
  });

  test('a Go decode error (defaulter_custom.go Errored 400) hides the schema errors', () => {
    const object = pcs({ cliqueStartupType: 'Sometimes', cliques: [clique('a', { replicas: 'two' })] });
    expect(errorKeys(create(object))).toEqual(['TypeInvalid @ spec.template.cliques[0].spec.replicas']);
  });

  test('a schema error hides the validating webhook', () => {
    const object = pcs({ cliqueStartupType: 'Sometimes', cliques: [clique('a', { minAvailable: 5 })] });
    expect(errorKeys(create(object))).toEqual(['NotSupported @ spec.template.cliqueStartupType', 'Invalid @ <nil>']);
  });

  test('strategy.go hasBlockingErr: a non-blocking schema error lets the CEL rules run', () => {
    const object = pcs({ topologyConstraint: { topologyName: 't', pack: {} } });
    object.metadata.labels = { 'bad label': 'x' };
    expect(errorKeys(create(object))).toEqual(['Invalid @ metadata.labels', 'Required @ spec.template.topologyConstraint.pack']);
  });
});

describe('strategy.go PrepareForCreate/PrepareForUpdate: the main resource cannot set status', () => {
  test('a submitted status the status schema would refuse (required availableReplicas, updatedReplicas) is dropped on CREATE', () => {
    const object = pcs();
    object.status = { replicas: 2 };
    const response = create(object);
    expect(response.allowed).toBe(true);
    expect((response.patched as any).status).toBeUndefined();
  });

  test('a mistyped status still fails the defaulting webhook\'s Go decode first (PodCliqueSetStatus.Replicas is int32)', () => {
    const object = pcs();
    object.status = { replicas: 'many' };
    expect(errorKeys(create(object))).toEqual(['TypeInvalid @ status.replicas']);
  });
});

describe('3. pruning and schema defaults come before UPDATE comparisons (pruning/algorithm.go, defaulting/algorithm.go)', () => {
  test('an unknown field inside a resource-claim template of the stored object is pruned before the immutability check', () => {
    const template = { name: 'gpu', templateSpec: { spec: { devices: { requests: [{ name: 'g', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } } };
    const next = pcs({ resourceClaimTemplates: [template] });
    const old = pcs({ resourceClaimTemplates: [{ ...template, templateSpec: { ...template.templateSpec, legacyField: 1 } }] });
    expect(errorKeys(update(old, next))).toEqual([]);
  });

  test('a schema default (cliqueStartupType) on the stored object equals the explicit value of the new one', () => {
    const old = pcs();
    delete old.spec.template.cliqueStartupType;
    expect(errorKeys(update(old, pcs({ cliqueStartupType: 'CliqueStartupTypeAnyOrder' })))).toEqual([]);
  });
});

describe('4. the embedded PodSpec is checked as the pinned CRD says (core/v1 types.go listType markers)', () => {
  test('container names are a list-map key: a duplicate is refused by listtype/validation.go before the webhook', () => {
    const object = pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'main', image: 'x' }, { name: 'main', image: 'y' }] } })] });
    expect(create(object).errors).toEqual([
      { type: 'Duplicate', field: 'spec.template.cliques[0].spec.podSpec.containers[1]', detail: 'Duplicate value: {"name":"main"}' },
    ]);
  });

  test('ports are keyed by containerPort and protocol, the protocol defaulted to TCP first', () => {
    const ports = [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }];
    const object = pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'main', image: 'x', ports }] } })] });
    expect(errorKeys(create(object))).toEqual(['Duplicate @ spec.template.cliques[0].spec.podSpec.containers[0].ports[1]']);
  });

  test('types of fields the hand-written subset never modelled (tolerations, probes) are checked', () => {
    const object = pcs({ cliques: [clique('a', { podSpec: { containers: [{ name: 'main', image: 'x', readinessProbe: { periodSeconds: 'often' } }], tolerations: [{ tolerationSeconds: 'long' }] } })] });
    expect(errorKeys(create(object)).sort()).toEqual([
      'TypeInvalid @ spec.template.cliques[0].spec.podSpec.containers[0].readinessProbe.periodSeconds',
      'TypeInvalid @ spec.template.cliques[0].spec.podSpec.tolerations[0].tolerationSeconds',
    ]);
  });
});

describe('5. aggregate like Grove (volcano/queue.go validateQueueAnnotations: utilerrors.NewAggregate)', () => {
  test('every clique whose volcano queue conflicts is reported, in one aggregate message', () => {
    const annotated = (name: string, queue: string) => clique(name, {}, { annotations: { 'scheduling.grove.io/volcano-queue': queue } });
    const object = pcs({ cliques: [annotated('a', 'q2'), annotated('b', 'q3')] }, { annotations: { 'scheduling.grove.io/volcano-queue': 'q1' } });
    const response = create(object, VOLCANO_CONFIG, [{ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: 'q1' }, status: { state: 'Open' } }]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors[0].detail).toMatch(/^\[spec\.template\.cliques\[0\].*PodClique has "q2", spec\.template\.cliques\[1\].*PodClique has "q3"\]$/);
  });
});

describe('6. generateName (k8s.io/apiserver pkg/storage/names/generate.go maxGeneratedNameLength)', () => {
  test('the prefix is cut to 58 characters before the 5-character suffix: a 70-character prefix yields a 63-character name', () => {
    const response = create(pcs({}, { name: undefined, generateName: 'g'.repeat(70) }));
    const lengths = response.errors.map(e => /combined resource name length (\d+)/.exec(e.detail)?.[1]).filter(Boolean).map(Number);
    expect(lengths.length).toBeGreaterThan(0);
    expect(lengths.every(n => n === 63 + 'worker'.length)).toBe(true); // PodCliqueSet name (63) + clique name
  });
});

describe('7. any JSON input gets a verdict', () => {
  test('a __proto__ label key is kept and judged (refused as a label key)', () => {
    const object = JSON.parse(JSON.stringify(pcs()));
    object.metadata.labels = JSON.parse('{"__proto__": "x"}');
    expect(errorKeys(create(object))).toEqual(['Invalid @ metadata.labels']);
  });

  test('a __proto__ annotation key is kept and judged', () => {
    const object = JSON.parse(JSON.stringify(pcs()));
    object.metadata.annotations = JSON.parse('{"__proto__": "x"}');
    expect(create(object).allowed).toBe(false);
  });

  test('10,000 levels of nesting (Go\'s decoder limit) do not throw; an unknown field that deep is pruned and the object allowed', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 9990; i++) {
      deep = { d: deep };
    }
    const object = pcs();
    object.spec.template.cliques[0].spec.extra = deep;
    const response = create(object);
    expect(response.allowed).toBe(true);
  });

  test('an UPDATE comparing values 10,000 levels deep (DRA opaque parameters keep unknown fields) does not overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 9980; i++) {
      deep = { d: deep };
    }
    const mk = () => pcs({ resourceClaimTemplates: [{ name: 'gpu', templateSpec: { spec: { devices: {
      requests: [{ name: 'g', exactly: { deviceClassName: 'x' } }], config: [{ opaque: { driver: 'd', parameters: deep } }],
    } } } }] });
    expect(update(mk(), mk()).errors).toEqual([]);
    const changed = mk();
    changed.spec.template.resourceClaimTemplates[0].templateSpec.spec.devices.config[0].opaque.parameters = { d: 2 };
    expect(errorKeys(update(mk(), changed))).toEqual(['Invalid @ spec.template.resourceClaimTemplates']);
  });

  test('deeper than 10,000 levels is an error, not a crash', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10050; i++) {
      deep = [deep];
    }
    const object = pcs();
    object.spec.template.cliques[0].spec.extra = deep;
    const response = create(object);
    expect(response.allowed).toBe(false);
    expect(response.errors[0].detail).toMatch(/nested deeper than 10000 levels/);
  });

  test('a cycle is reported at its path', () => {
    const object = pcs();
    object.spec.template.self = object.spec;
    expect(create(object).errors).toEqual([expect.objectContaining({ type: 'Invalid', field: 'spec.template.self' })]);
  });

  test('a hole in a list is reported at its index, not dropped', () => {
    const object = pcs();
    // eslint-disable-next-line no-sparse-arrays
    object.spec.template.cliques = [clique('a'), , clique('b')];
    expect(create(object).errors).toEqual([expect.objectContaining({ type: 'Invalid', field: 'spec.template.cliques[1]' })]);
  });

  test('a malformed operatorConfig is an error, not the stock configuration', () => {
    expect(errorKeys(admit({ operation: 'CREATE', object: pcs(), operatorConfig: 'kai' as any }))).toEqual(['TypeInvalid @ operatorConfig']);
    expect(errorKeys(admit({ operation: 'CREATE', object: pcs(), operatorConfig: { ...BASE_CONFIG, topologyAwareScheduling: 'yes' } as any })))
      .toEqual(['TypeInvalid @ operatorConfig.topologyAwareScheduling']);
  });

  test('functions, symbols, bigints and NaN are reported', () => {
    const object = pcs();
    object.spec.template.cliques[0].spec.fn = () => 1;
    object.spec.template.cliques[0].spec.n = Number.NaN;
    expect(errorKeys(create(object))).toEqual(['Invalid @ spec.template.cliques[0].spec.fn', 'Invalid @ spec.template.cliques[0].spec.n']);
  });
});

describe('API level selection: admit(request, { groveApi })', () => {
  test('the preview API ("next") admits a valid object too, and an unknown level is refused', () => {
    expect(admit({ operation: 'CREATE', object: pcs(), operatorConfig: BASE_CONFIG }, { groveApi: 'next' }).allowed).toBe(true);
    expect(errorKeys(admit({ operation: 'CREATE', object: pcs(), operatorConfig: BASE_CONFIG }, { groveApi: 'v2' as any }))).toEqual(['NotSupported @ groveApi']);
  });

  test('the levels use their own CRDs: updateStrategy Coherent exists only in the preview', () => {
    const object = pcs();
    object.spec.updateStrategy = { type: 'Coherent' };
    expect(errorKeys(admit({ operation: 'CREATE', object, operatorConfig: BASE_CONFIG }))).toContain('NotSupported @ spec.updateStrategy.type');
    expect(admit({ operation: 'CREATE', object, operatorConfig: BASE_CONFIG }, { groveApi: 'next' }).allowed).toBe(true);
  });
});

describe('1. (continued) resource-claim templates through the round trip (k8s.io/api resource/v1 types.go)', () => {
  test('templateSpec.metadata comes back {} and devices.requests[].exactly.deviceClassName "" (no omitempty)', () => {
    const object = pcs({ resourceClaimTemplates: [{ name: 'gpu', templateSpec: { spec: { devices: { requests: [{ name: 'g', exactly: {} }] } } } }] });
    object.spec.template.cliques[0].spec.podSpec.restartPolicy = undefined;
    const response = create(object);
    const template = (response.patched as any).spec.template.resourceClaimTemplates[0];
    expect(template.templateSpec.metadata).toEqual({});
    expect(template.templateSpec.spec.devices.requests[0].exactly).toEqual({ deviceClassName: '' });
  });
});

/**
 * Properties of PodCliqueSet, its cliques and scaling groups over generated props: valid configurations synthesize
 * objects Grove admits and the CRDs accept; invalid ones fail with a GroveValidationError that names the construct
 * and the field, and emit nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CliqueStartupType, ContainerProps, PodClique, PodCliqueScalingGroup, PodCliqueSet, Scheduler, SharingScope, Toleration,
  UpdateStrategyType, Volume,
} from '../../lib';
import {
  anyText, appWithChart, badCount, badName, dnsLabel, expectAdmittedAndSchemaValid, expectRefused, ExpectedProblem,
  params, replicaCount, TIMEOUT,
} from './support';
import { toDnsLabel } from '../../lib/private/names';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const MAX_COMBINED = 45;
const INT32_MAX = 2147483647;

interface AutoScalingSpec { readonly minReplicas?: number; readonly maxReplicas: number }

interface ContainerSpec {
  readonly name?: string;
  readonly image: string;
  readonly gpus: number;
  readonly env: { [name: string]: string };
  readonly args: string[];
}

interface CliqueSpec {
  /** Construct id. */
  id: string;
  /** Index into `groups`, or undefined for a standalone clique. */
  group?: number;
  /** Explicit `name` prop; undefined derives it from the id. */
  name?: string;
  roleName?: string;
  replicas?: number;
  minAvailable?: number;
  autoScaling?: AutoScalingSpec;
  containers: ContainerSpec[];
  /** Indices of cliques this one starts after. */
  startsAfter: number[];
  annotations: { [key: string]: string };
  /** The remaining pod-level props. */
  pod?: PodExtras;
  mnnvlGroup?: string;
}

interface PodExtras {
  labels: { [key: string]: string };
  nodeSelector: { [key: string]: string };
  tolerations: Toleration[];
  volumes: ['emptyDir' | 'configMap' | 'secret' | 'pvc', string][];
  initContainer: boolean;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  tolerateGpuTaint?: boolean;
}

interface GroupSpec {
  id: string;
  name?: string;
  replicas?: number;
  minAvailable?: number;
  autoScaling?: AutoScalingSpec;
}

interface SetSpec {
  name: string;
  replicas?: number;
  kai?: string;
  /** Volcano (in a queue) instead of KAI or the operator's default; enabled in the operator unless `volcanoOff`. */
  volcano?: string;
  volcanoOff?: boolean;
  updateStrategy?: UpdateStrategyType;
  priorityClassName?: string;
  publishNotReadyAddresses?: boolean;
  /** Auto-MNNVL: enabled in the operator, and the set's group (or `none`). */
  mnnvl: { enabled: boolean; group?: string };
  /** A DRA claim template shared with some cliques. */
  claim?: { scope: SharingScope; cliques: number[] };
  duplicateClaim?: boolean;
  startupType?: CliqueStartupType;
  terminationDelayMillis?: number;
  labels: { [key: string]: string };
  groups: GroupSpec[];
  cliques: CliqueSpec[];
}

// ------------------------------------------------------------------------------------------------ generators

const image = fc.constantFrom('registry.example.com/app:1.0', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.7.0', 'nginx@sha256:' + 'a'.repeat(64));
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);
/** A container; the first of a clique takes the default name, a further one is `sidecar` or `<clique>-1`. */
const containerSpec = (first: boolean): fc.Arbitrary<ContainerSpec> => fc.record({
  name: first ? fc.constant(undefined) : fc.constantFrom(undefined, 'sidecar'),
  image,
  gpus: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 8 }) }),
  env: fc.dictionary(envName, anyText, { maxKeys: 3 }),
  args: fc.array(anyText, { maxLength: 3 }),
});

const podExtras: fc.Arbitrary<PodExtras | undefined> = fc.option(fc.record({
  labels: fc.dictionary(fc.constantFrom('tier', 'example.com/role'), dnsLabel(5), { maxKeys: 2 }),
  nodeSelector: fc.dictionary(fc.constantFrom('node.kubernetes.io/instance-type', 'agentpool'), dnsLabel(7), { maxKeys: 2 }),
  tolerations: fc.array(fc.constantFrom<Toleration>(
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { operator: 'Exists' },
  ), { maxLength: 2 }),
  volumes: fc.uniqueArray(fc.tuple(fc.constantFrom<'emptyDir' | 'configMap' | 'secret' | 'pvc'>('emptyDir', 'configMap', 'secret', 'pvc'), dnsLabel(6)), { maxLength: 3, selector: ([, n]) => n }),
  initContainer: fc.boolean(),
  serviceAccountName: fc.option(dnsLabel(8), { nil: undefined }),
  automountServiceAccountToken: fc.option(fc.boolean(), { nil: undefined }),
  terminationGracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
  tolerateGpuTaint: fc.option(fc.boolean(), { nil: undefined }),
}), { nil: undefined });

/** Replicas and a gang floor within them. */
const replicasAndFloor = fc.tuple(fc.option(replicaCount, { nil: undefined }), fc.boolean()).chain(([replicas, withFloor]) => {
  const r = replicas ?? 1;
  const floor = withFloor ? fc.oneof(fc.constant(1), fc.constant(r), fc.integer({ min: 1, max: r })) : fc.constant(undefined);
  return floor.map(minAvailable => ({ replicas, minAvailable }));
});

/** Autoscaler bounds valid for `replicas` and `floor` (minReplicas >= floor, maxReplicas >= both). */
function autoScalingFor(replicas: number, floor: number): fc.Arbitrary<AutoScalingSpec | undefined> {
  const bounds = fc.tuple(fc.option(fc.integer({ min: floor, max: Math.min(INT32_MAX, floor + 3) }), { nil: undefined }), fc.integer({ min: 0, max: 4 }))
    .map(([minReplicas, extra]) => ({ minReplicas, maxReplicas: Math.min(INT32_MAX, Math.max(minReplicas ?? replicas, replicas) + extra) }));
  return fc.option(bounds, { nil: undefined, freq: 3 });
}

/**
 * A valid PodCliqueSet: up to two scaling groups (1-2 cliques each) and up to three standalone cliques, names at
 * and just under Grove's 45-character budget, unique names and roles, an acyclic startsAfter graph.
 */
const validSet: fc.Arbitrary<SetSpec> = fc.record({
  nameLength: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 30, max: 40 })),
  groupCliques: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 }),
  standalone: fc.integer({ min: 0, max: 3 }),
}).filter(s => s.standalone + s.groupCliques.length > 0).chain(shape => {
  const pcsName = dnsLabel(shape.nameLength);
  const groupNameLengths = shape.groupCliques.map(() => fc.integer({ min: 1, max: Math.max(1, Math.min(6, MAX_COMBINED - shape.nameLength - 1)) }));
  return fc.tuple(pcsName, fc.tuple(...groupNameLengths)).chain(([name, groupLengths]) => {
    const groups = groupLengths.map((len, g) => fc.tuple(dnsLabel(len, fc.constant(LETTERS[20 + g])), replicasAndFloor, fc.boolean()).chain(([gname, rf, idName]) =>
      autoScalingFor(rf.replicas ?? 1, rf.minAvailable ?? 1).map((autoScaling): GroupSpec => ({
        id: idName ? gname : `Group${g}`, name: idName ? undefined : gname, replicas: rf.replicas, minAvailable: rf.minAvailable, autoScaling,
      }))));
    const memberships: (number | undefined)[] = [
      ...shape.groupCliques.flatMap((n, g) => Array.from({ length: n }, () => g)),
      ...Array.from({ length: shape.standalone }, () => undefined),
    ];
    const cliques = memberships.map((group, i) => {
      const used = name.length + (group === undefined ? 0 : groupLengths[group]);
      // combined lengths of exactly 45 and 44 are the interesting ones
      const target = fc.oneof(fc.constant(MAX_COMBINED), fc.constant(MAX_COMBINED - 1), fc.integer({ min: used + 1, max: MAX_COMBINED }));
      return fc.tuple(target, replicasAndFloor, fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 2 })).chain(([t, rf, explicitRole, nameFromProp, nContainers]) => {
        const length = Math.min(63, Math.max(1, t - used));
        return fc.tuple(
          dnsLabel(length, fc.constant(LETTERS[i])),
          group === undefined ? autoScalingFor(rf.replicas ?? 1, rf.minAvailable ?? rf.replicas ?? 1) : fc.constant(undefined),
          fc.tuple(...Array.from({ length: nContainers }, (_, k) => containerSpec(k === 0))),
          fc.subarray(Array.from({ length: i }, (_, k) => k), { maxLength: Math.min(2, i) }),
          fc.dictionary(fc.constantFrom('example.com/note', 'owner', 'grove.example/x'), anyText, { maxKeys: 2 }),
          podExtras,
          fc.option(fc.oneof(fc.constant('none'), dnsLabel(5)), { nil: undefined, freq: 4 }),
        ).map(([cname, autoScaling, containers, startsAfter, annotations, pod, mnnvlGroup]): CliqueSpec => ({
          id: nameFromProp ? `Clique${i}` : cname, group, name: nameFromProp ? cname : undefined, roleName: explicitRole ? `role-${i}` : undefined,
          replicas: rf.replicas, minAvailable: rf.minAvailable, autoScaling, containers, startsAfter, annotations, pod, mnnvlGroup,
        }));
      });
    });
    return fc.record({
      groups: fc.tuple(...groups),
      cliques: fc.tuple(...cliques),
      replicas: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.constant(INT32_MAX)), { nil: undefined }),
      scheduler: fc.oneof(
        fc.constant({ kai: undefined, volcano: undefined }),
        dnsLabel(8).map(q => ({ kai: q, volcano: undefined })),
        dnsLabel(7).map(q => ({ kai: undefined, volcano: q })),
      ),
      updateStrategy: fc.constantFrom(undefined, UpdateStrategyType.ROLLING_RECREATE, UpdateStrategyType.ON_DELETE),
      priorityClassName: fc.option(dnsLabel(10), { nil: undefined }),
      publishNotReadyAddresses: fc.option(fc.boolean(), { nil: undefined }),
      mnnvl: fc.record({ enabled: fc.boolean(), group: fc.option(fc.oneof(fc.constant('none'), dnsLabel(6)), { nil: undefined }) }),
      claim: fc.option(fc.record({ scope: fc.constantFrom(SharingScope.ALL_REPLICAS, SharingScope.PER_REPLICA), cliques: fc.array(fc.nat(), { maxLength: 2 }) }), { nil: undefined }),
      explicitType: fc.constantFrom(undefined, CliqueStartupType.ANY_ORDER, CliqueStartupType.IN_ORDER, CliqueStartupType.EXPLICIT),
      terminationDelayMillis: fc.option(fc.oneof(fc.integer({ min: 1, max: 3000 }).map(s => s * 1000), fc.integer({ min: 1, max: 86_400 }).map(s => s * 1000)), { nil: undefined }),
      labels: fc.dictionary(fc.constantFrom('team', 'app.kubernetes.io/part-of'), dnsLabel(6), { maxKeys: 2 }),
    }).map(r => {
      const ordered = r.cliques.some(c => c.startsAfter.length > 0);
      const cliques = [...r.cliques];
      // a group name needs auto-MNNVL enabled in the operator; `none` (opting out) does not
      const mnnvlEnabled = r.mnnvl.enabled || [r.mnnvl.group, ...cliques.map(c => c.mnnvlGroup)].some(g => g !== undefined && g !== 'none');
      return {
        name, replicas: r.replicas, kai: r.scheduler.kai, volcano: r.scheduler.volcano, updateStrategy: r.updateStrategy,
        priorityClassName: r.priorityClassName, publishNotReadyAddresses: r.publishNotReadyAddresses,
        mnnvl: { enabled: mnnvlEnabled, group: r.mnnvl.group },
        claim: r.claim === undefined ? undefined : { scope: r.claim.scope, cliques: [...new Set(r.claim.cliques.map(k => k % cliques.length))] },
        terminationDelayMillis: r.terminationDelayMillis, labels: r.labels,
        // ANY_ORDER / IN_ORDER with startsAfter is an invalid configuration of its own
        startupType: ordered ? (r.explicitType === CliqueStartupType.EXPLICIT ? r.explicitType : undefined) : r.explicitType,
        groups: [...r.groups], cliques,
      };
    });
  });
});

// ------------------------------------------------------------------------------------------------ building

const SET_PATH = 'c/S';

function groupPath(s: SetSpec, g: number): string {
  return `${SET_PATH}/${s.groups[g].id}`;
}

function cliquePath(s: SetSpec, i: number): string {
  const c = s.cliques[i];
  return c.group === undefined ? `${SET_PATH}/${c.id}` : `${groupPath(s, c.group)}/${c.id}`;
}

function toContainer(c: ContainerSpec): ContainerProps {
  return { name: c.name, image: c.image, env: c.env, args: c.args, resources: c.gpus > 0 ? { gpus: c.gpus } : undefined };
}

function toVolume([kind, name]: [string, string]): Volume {
  switch (kind) {
    case 'emptyDir': return Volume.emptyDir(name, { medium: 'Memory', sizeLimit: '1Gi' });
    case 'configMap': return Volume.configMap(name, `${name}-config`);
    case 'secret': return Volume.secret(name, `${name}-secret`);
    default: return Volume.persistentVolumeClaim(name, `${name}-claim`, { readOnly: true });
  }
}

/** The Volcano queue admission assumes to exist (as the set does). */
function assumedQueue(s: SetSpec): object[] {
  return s.volcano === undefined ? [] : [{ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: s.volcano }, status: { state: 'Open' } }];
}

/** Builds the set in chart `c` of a new App; backward startsAfter go through props, forward ones through addStartsAfter. */
function build(s: SetSpec, outdir?: string) {
  const volcano = s.volcano !== undefined && !s.volcanoOff;
  const { app, chart } = appWithChart({
    outdir,
    operatorConfig: {
      autoMNNVLEnabled: s.mnnvl.enabled,
      ...(volcano ? { schedulerProfiles: ['default-scheduler', 'kai-scheduler', 'volcano'] } : {}),
    },
  });
  const pcs = new PodCliqueSet(chart, 'S', {
    metadata: { name: s.name, labels: s.labels },
    replicas: s.replicas,
    scheduler: s.kai !== undefined ? Scheduler.kai({ queue: s.kai }) : s.volcano !== undefined ? Scheduler.volcano({ queue: s.volcano }) : undefined,
    cliqueStartupType: s.startupType,
    updateStrategy: s.updateStrategy,
    priorityClassName: s.priorityClassName,
    publishNotReadyAddresses: s.publishNotReadyAddresses,
    mnnvlGroup: s.mnnvl.group,
    terminationDelay: s.terminationDelayMillis === undefined ? undefined : Duration.millis(s.terminationDelayMillis),
  });
  const claim = s.claim && pcs.addResourceClaimTemplate('gpu-claim', { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } });
  if (s.duplicateClaim) {
    pcs.addResourceClaimTemplate('gpu-claim', { spec: { devices: { requests: [{ name: 'other', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } });
  }
  const groups: PodCliqueScalingGroup[] = s.groups.map(g => pcs.addScalingGroup(g.id, { name: g.name, replicas: g.replicas, minAvailable: g.minAvailable, autoScaling: g.autoScaling }));
  const cliques: PodClique[] = [];
  s.cliques.forEach((c, i) => {
    const x = c.pod;
    const options = {
      name: c.name, roleName: c.roleName, replicas: c.replicas, minAvailable: c.minAvailable, autoScaling: c.autoScaling,
      containers: c.containers.map(toContainer), annotations: c.annotations, mnnvlGroup: c.mnnvlGroup,
      startsAfter: c.startsAfter.filter(k => k < i).map(k => cliques[k]),
      labels: x?.labels, nodeSelector: x?.nodeSelector, tolerations: x?.tolerations, volumes: x?.volumes.map(toVolume),
      initContainers: x?.initContainer ? [{ image: 'busybox:1.36', command: ['sh', '-c', 'true'] }] : undefined,
      serviceAccountName: x?.serviceAccountName, automountServiceAccountToken: x?.automountServiceAccountToken,
      terminationGracePeriodSeconds: x?.terminationGracePeriodSeconds, tolerateGpuTaint: x?.tolerateGpuTaint,
    };
    cliques.push(c.group === undefined ? pcs.addClique(c.id, options) : groups[c.group].addClique(c.id, options));
  });
  s.cliques.forEach((c, i) => cliques[i].addStartsAfter(...c.startsAfter.filter(k => k >= i).map(k => cliques[k])));
  if (claim && s.claim) {
    const sharedWith = s.claim.cliques.map(k => cliques[k]).filter(c => c !== undefined);
    pcs.addResourceSharing({ claim, scope: s.claim.scope, cliques: sharedWith.length > 0 ? sharedWith : undefined });
  }
  return app;
}

// ------------------------------------------------------------------------------------------------ defects

/** A change that makes a valid set invalid, and where the error must point. */
type Defect = (s: SetSpec) => ExpectedProblem[];

const pick = (n: number, seed: number) => seed % n;

/** The name a clique gets: its `name`, else its construct id as a DNS label. */
const nameOf = (c: CliqueSpec) => c.name ?? toDnsLabel(c.id);

const defects: fc.Arbitrary<[string, Defect]>[] = [
  badName.map(bad => ['set name', s => {
    s.name = bad;
    return [{ constructPath: SET_PATH, field: 'metadata.name' }];
  }]),
  fc.tuple(badName, fc.nat()).map(([bad, seed]) => ['clique name', s => {
    const i = pick(s.cliques.length, seed);
    s.cliques[i].name = bad;
    return [{ constructPath: cliquePath(s, i), field: 'name' }];
  }]),
  fc.tuple(fc.constantFrom('名前', 'ÄÖÜ', '🚀', '--', '_'), fc.nat()).map(([id, seed]) => ['clique id that is no DNS label', s => {
    const i = pick(s.cliques.length, seed);
    Object.assign(s.cliques[i], { id, name: undefined });
    return [{ constructPath: cliquePath(s, i), field: 'name' }];
  }]),
  fc.tuple(badName, fc.nat()).filter(([bad]) => bad !== '').map(([bad, seed]) => ['scaling group name', s => {
    if (s.groups.length === 0) {
      s.groups.push({ id: 'Extra' });
      s.cliques.push({ id: 'Extra', group: 0, name: 'x', containers: [{ image: 'app:1', gpus: 0, env: {}, args: [] }], startsAfter: [], annotations: {} });
    }
    const g = pick(s.groups.length, seed);
    s.groups[g].name = bad;
    return [{ constructPath: groupPath(s, g), field: 'name' }];
  }]),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.nat()).map(([over, seed]) => ['combined name over 45 characters', s => {
    const i = pick(s.cliques.length, seed);
    const c = s.cliques[i];
    const used = s.name.length + (c.group === undefined ? 0 : (s.groups[c.group].name ?? toDnsLabel(s.groups[c.group].id)).length);
    c.name = `${LETTERS[i]}${'z'.repeat(MAX_COMBINED + over - used - 1)}`;
    return [{ constructPath: cliquePath(s, i), field: 'name' }];
  }]),
  badCount.filter(n => n !== 0).map(bad => ['set replicas', s => {
    s.replicas = bad;
    return [{ constructPath: SET_PATH, field: 'replicas' }];
  }]),
  fc.constantFrom(0, 1, 500, 1500, 90_001).map(millis => ['terminationDelay of zero or not whole seconds', s => {
    s.terminationDelayMillis = millis;
    return [{ constructPath: SET_PATH, field: 'terminationDelay' }];
  }]),
  fc.tuple(badCount, fc.nat()).map(([bad, seed]) => ['clique replicas', s => {
    const i = pick(s.cliques.length, seed);
    Object.assign(s.cliques[i], { replicas: bad, minAvailable: undefined, autoScaling: undefined });
    return [{ constructPath: cliquePath(s, i), field: 'replicas' }];
  }]),
  fc.tuple(fc.constantFrom(0, -1, 'above'), fc.nat()).map(([bad, seed]) => ['clique minAvailable', s => {
    const i = pick(s.cliques.length, seed);
    const c = s.cliques[i];
    const replicas = Math.min(c.replicas ?? 1, INT32_MAX - 1);
    Object.assign(c, { replicas, minAvailable: bad === 'above' ? replicas + 1 : bad, autoScaling: undefined });
    return [{ constructPath: cliquePath(s, i), field: 'minAvailable' }];
  }]),
  fc.tuple(badCount, fc.nat()).map(([bad, seed]) => ['scaling group replicas', s => {
    if (s.groups.length === 0) {
      return [];
    }
    const g = pick(s.groups.length, seed);
    Object.assign(s.groups[g], { replicas: bad, minAvailable: undefined, autoScaling: undefined });
    return [{ constructPath: groupPath(s, g), field: 'replicas' }];
  }]),
  fc.nat().map(seed => ['autoscaler below replicas', s => {
    const standalone = s.cliques.map((_, i) => i).filter(i => s.cliques[i].group === undefined);
    if (standalone.length === 0) {
      return [];
    }
    const i = standalone[pick(standalone.length, seed)];
    const c = s.cliques[i];
    Object.assign(c, { replicas: Math.max(2, Math.min(c.replicas ?? 2, 100)), minAvailable: undefined });
    c.autoScaling = { maxReplicas: (c.replicas ?? 2) - 1 };
    return [{ constructPath: cliquePath(s, i), field: 'autoScaling.maxReplicas' }];
  }]),
  fc.nat().map(seed => ['autoscaler on a clique in a scaling group', s => {
    const grouped = s.cliques.map((_, i) => i).filter(i => s.cliques[i].group !== undefined);
    if (grouped.length === 0) {
      return [];
    }
    const i = grouped[pick(grouped.length, seed)];
    s.cliques[i].autoScaling = { maxReplicas: INT32_MAX };
    return [{ constructPath: cliquePath(s, i), field: 'autoScaling' }];
  }]),
  fc.nat().map(seed => ['duplicate clique name', s => {
    const i = pick(s.cliques.length, seed);
    const original = s.cliques[i];
    s.cliques.push({ ...original, id: 'Duplicate', group: undefined, name: nameOf(original), roleName: 'another-role', autoScaling: undefined, startsAfter: [] });
    return [{ constructPath: `${SET_PATH}/Duplicate`, field: 'name' }];
  }]),
  fc.nat().map(seed => ['duplicate role name', s => {
    const i = pick(s.cliques.length, seed);
    const original = s.cliques[i];
    s.cliques.push({ ...original, id: 'SameRole', group: undefined, name: 'zr', roleName: original.roleName ?? nameOf(original), autoScaling: undefined, startsAfter: [] });
    return [{ constructPath: `${SET_PATH}/SameRole`, field: 'roleName' }];
  }]),
  fc.constant<[string, Defect]>(['duplicate scaling group name', s => {
    const name = s.groups[0] === undefined ? 'g' : s.groups[0].name ?? toDnsLabel(s.groups[0].id);
    if (s.groups.length === 0) {
      s.groups.push({ id: 'g' });
      s.cliques.push({ id: 'InG', group: 0, name: 'y', containers: [{ image: 'app:1', gpus: 0, env: {}, args: [] }], startsAfter: [], annotations: {} });
    }
    s.groups.push({ id: 'DuplicateGroup', name });
    return [{ constructPath: `${SET_PATH}/DuplicateGroup`, field: 'name' }];
  }]),
  fc.nat().map(seed => ['clique without containers', s => {
    const i = pick(s.cliques.length, seed);
    s.cliques[i].containers = [];
    return [{ constructPath: cliquePath(s, i), field: 'containers' }];
  }]),
  fc.nat().map(seed => ['duplicate container names', s => {
    const i = pick(s.cliques.length, seed);
    s.cliques[i].containers = [{ name: 'same', image: 'app:1', gpus: 0, env: {}, args: [] }, { name: 'same', image: 'app:2', gpus: 1, env: {}, args: [] }];
    return [{ constructPath: cliquePath(s, i), field: 'containers' }];
  }]),
  fc.constant<[string, Defect]>(['scaling group without cliques', s => {
    s.groups.push({ id: 'EmptyGroup', name: 'empty' });
    return [{ constructPath: `${SET_PATH}/EmptyGroup`, field: 'cliques' }];
  }]),
  fc.nat().map(seed => ['clique starting after itself', s => {
    const i = pick(s.cliques.length, seed);
    s.cliques[i].startsAfter = [...s.cliques[i].startsAfter, i];
    return [{ constructPath: cliquePath(s, i), field: 'startsAfter' }];
  }]),
  fc.tuple(fc.integer({ min: 2, max: 4 }), fc.nat()).map(([length, seed]) => ['startsAfter cycle', s => {
    while (s.cliques.length < length) {
      const i = s.cliques.length;
      s.cliques.push({ id: `Cycle${i}`, name: `${LETTERS[i]}c`, containers: [{ image: 'app:1', gpus: 0, env: {}, args: [] }], startsAfter: [], annotations: {} });
    }
    const start = pick(s.cliques.length - length + 1, seed);
    const ring = Array.from({ length }, (_, k) => start + k);
    ring.forEach((i, k) => s.cliques[i].startsAfter = [...s.cliques[i].startsAfter, ring[(k + 1) % length]]);
    s.startupType = undefined;
    // Grove's webhook reports a cycle on the list of cliques, so the problem sits on the set (not on the cliques)
    return [{ constructPath: SET_PATH, field: 'spec.template.cliques' }];
  }]),
  fc.constantFrom(CliqueStartupType.ANY_ORDER, CliqueStartupType.IN_ORDER).map(type => ['startsAfter without EXPLICIT ordering', s => {
    if (s.cliques.length < 2) {
      s.cliques.push({ id: 'Later', name: 'later', containers: [{ image: 'app:1', gpus: 0, env: {}, args: [] }], startsAfter: [], annotations: {} });
    }
    const i = s.cliques.length - 1;
    s.cliques[i].startsAfter = [0];
    s.startupType = type;
    return [{ constructPath: cliquePath(s, i), field: 'startsAfter' }];
  }]),
  fc.tuple(fc.constantFrom<[string, string]>(
    ['HF_TOKEN', `hf_${'a1B2'.repeat(8)}`], ['ANY_NAME', `sk-${'x'.repeat(24)}`], ['DB_PASSWORD', 'aB3'.repeat(10)], ['API_KEY', 'f'.repeat(40)],
  ), fc.nat()).map(([[name, value], seed]) => ['a literal secret in env', s => {
    const i = pick(s.cliques.length, seed);
    const [first, ...rest] = s.cliques[i].containers;
    s.cliques[i].containers = [{ ...first, env: { ...first.env, [name]: value } }, ...rest];
    return [{ constructPath: cliquePath(s, i), field: `containers.env.${name}` }];
  }]),
  fc.constant<[string, Defect]>(['Volcano while the operator does not enable it', s => {
    Object.assign(s, { kai: undefined, volcano: s.volcano ?? 'q', volcanoOff: true });
    return [{ constructPath: SET_PATH, field: /^spec/ }];
  }]),
  dnsLabel(6).map(group => ['an auto-MNNVL group while the operator has MNNVL off', s => {
    s.mnnvl = { enabled: false, group };
    s.cliques.forEach(c => c.mnnvlGroup = c.mnnvlGroup === undefined ? undefined : 'none');
    return [{ constructPath: SET_PATH, field: /mnnvl-group/ }];
  }]),
  fc.constant<[string, Defect]>(['two claim templates with one name', s => {
    s.claim = s.claim ?? { scope: SharingScope.ALL_REPLICAS, cliques: [] };
    s.duplicateClaim = true;
    return [{ constructPath: SET_PATH, field: 'resourceClaimTemplates' }];
  }]),
  fc.nat().map(seed => ['two volumes with one name', s => {
    const i = pick(s.cliques.length, seed);
    const pod = s.cliques[i].pod ?? { labels: {}, nodeSelector: {}, tolerations: [], volumes: [], initContainer: false };
    s.cliques[i].pod = { ...pod, volumes: [...pod.volumes, ['emptyDir', 'same'], ['secret', 'same']] };
    return [{ constructPath: cliquePath(s, i), field: 'volumes' }];
  }]),
  fc.constantFrom('ünïcødé', 'Has Space', '-x', 'a'.repeat(64)).map(value => ['label value Kubernetes refuses', s => {
    s.labels = { ...s.labels, team: value };
    return [{ constructPath: SET_PATH, field: /^metadata\.labels/ }];
  }]),
];

const invalidSet: fc.Arbitrary<[SetSpec, string, ExpectedProblem[]]> = fc.tuple(validSet, fc.oneof(...defects))
  .map(([s, [what, defect]]) => {
    const copy: SetSpec = structuredClone(s);
    return [copy, what, defect(copy)] as [SetSpec, string, ExpectedProblem[]];
  })
  .filter(([, , expected]) => expected.length > 0);

// ------------------------------------------------------------------------------------------------ properties

describe('PodCliqueSet properties', () => {
  test('every valid configuration synthesizes objects admit() accepts again and the CRD schema accepts', () => {
    fc.assert(fc.property(validSet, s => {
      const objects = expectAdmittedAndSchemaValid(build(s), assumedQueue(s));
      const pcs = objects.find(o => o.kind === 'PodCliqueSet');
      expect(pcs.metadata.name).toBe(s.name);
      expect(pcs.spec.template.cliques).toHaveLength(s.cliques.length);
      expect(pcs.spec.template.podCliqueScalingGroups ?? []).toHaveLength(s.groups.length);
    }), params(100));
  }, TIMEOUT);

  test('every invalid configuration fails with a GroveValidationError naming the construct and the field', () => {
    fc.assert(fc.property(invalidSet, ([s, , expected]) => {
      expectRefused(() => build(s), expected);
    }), params(250));
  }, TIMEOUT);

  test('an invalid configuration writes no manifest with app.synth()', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-grove-property-'));
    try {
      fc.assert(fc.property(invalidSet, ([s, , expected]) => {
        expectRefused(() => build(s, outdir), expected, { writes: true });
      }), params(20));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, TIMEOUT);
});

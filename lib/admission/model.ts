/**
 * Typed, read-only views of a PodCliqueSet, built defensively from plain JSON with Go's zero-value semantics
 * (absent string → `''`, absent list → `[]`, absent pointer → `undefined`). The rule code reads these views only.
 */
import {
  JsonObject, arrayField, field, objectField, optionalIntField, intField, stringField, stringListField,
  stringMapField,
} from './json';

export interface PackView {
  readonly required: string;
  readonly preferred: string;
}

export interface TopologyConstraintView {
  readonly topologyName: string;
  /** Deprecated spelling of `pack.required`. */
  readonly packDomain: string;
  readonly pack?: PackView;
}

export interface ResourceSharingView {
  readonly name: string;
  readonly namespace: string;
  readonly scope: string;
  readonly filter?: { readonly childCliqueNames: readonly string[]; readonly childScalingGroupNames: readonly string[] };
}

export interface ScaleConfigView {
  readonly minReplicas?: number;
  readonly maxReplicas: number;
}

export interface ContainerView {
  readonly envNames: readonly string[];
}

export interface PodSpecView {
  readonly schedulerName: string;
  readonly restartPolicy: string;
  readonly nodeName: string;
  /** `topologySpreadConstraints != nil` (an empty list counts as set, as in Go). */
  readonly hasTopologySpreadConstraints: boolean;
  readonly containers: readonly ContainerView[];
  readonly initContainers: readonly ContainerView[];
}

export interface CliqueView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly topologyConstraint?: TopologyConstraintView;
  readonly resourceSharing: readonly ResourceSharingView[];
  readonly roleName: string;
  readonly replicas: number;
  readonly minAvailable?: number;
  readonly startsAfter: readonly string[];
  readonly scaleConfig?: ScaleConfigView;
  readonly podSpec: PodSpecView;
  /** `rollingUpdate` (next API level only), `undefined` when unset. */
  readonly rollingUpdate?: RollingUpdateView;
}

/** A component's `rollingUpdate` (GREP-393, next API level). */
export interface RollingUpdateView {
  readonly maxUnavailable?: number;
}

export interface ScalingGroupView {
  readonly name: string;
  readonly cliqueNames: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly replicas?: number;
  readonly minAvailable?: number;
  readonly scaleConfig?: ScaleConfigView;
  readonly resourceSharing: readonly ResourceSharingView[];
  readonly topologyConstraint?: TopologyConstraintView;
  /** `rollingUpdate` (next API level only), `undefined` when unset. */
  readonly rollingUpdate?: RollingUpdateView;
}

export interface ResourceClaimTemplateView {
  readonly name: string;
  /** The raw `templateSpec` (compared semantically on update). */
  readonly templateSpec: unknown;
  readonly deviceRequestCount: number;
}

export interface PodCliqueSetView {
  readonly name: string;
  readonly generateName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly startupType?: string;
  readonly cliques: readonly CliqueView[];
  readonly scalingGroups: readonly ScalingGroupView[];
  readonly topologyConstraint?: TopologyConstraintView;
  /** The raw `terminationDelay` string, `undefined` when unset. */
  readonly terminationDelay?: string;
  readonly resourceClaimTemplates: readonly ResourceClaimTemplateView[];
  readonly resourceSharing: readonly ResourceSharingView[];
  /** `spec.updateStrategy.type`, `''` when unset. */
  readonly updateStrategy: string;
  /** `status.updateProgress` is set without `updateEndedAt`: an update is in flight (next API level). */
  readonly updateInProgress: boolean;
}

/** `TopologyConstraint.RequiredDomain()`: `pack.required`, falling back to the legacy `packDomain`. */
export function requiredDomain(tc: TopologyConstraintView | undefined): string {
  if (!tc) {
    return '';
  }
  return tc.pack && tc.pack.required !== '' ? tc.pack.required : tc.packDomain;
}

/** `TopologyConstraint.PreferredDomain()`. */
export function preferredDomain(tc: TopologyConstraintView | undefined): string {
  return tc?.pack?.preferred ?? '';
}

/** `TopologyConstraint.HasAnyPackDomain()`. */
export function hasAnyPackDomain(tc: TopologyConstraintView | undefined): boolean {
  return requiredDomain(tc) !== '' || preferredDomain(tc) !== '';
}

function topologyConstraintView(obj: unknown, key: string): TopologyConstraintView | undefined {
  const tc = objectField(obj, key);
  if (!tc) {
    return undefined;
  }
  const pack = objectField(tc, 'pack');
  return {
    topologyName: stringField(tc, 'topologyName'),
    packDomain: stringField(tc, 'packDomain'),
    pack: pack ? { required: stringField(pack, 'required'), preferred: stringField(pack, 'preferred') } : undefined,
  };
}

function resourceSharingViews(obj: unknown, key: string): ResourceSharingView[] {
  return arrayField(obj, key).map(rs => {
    const filter = objectField(rs, 'filter');
    return {
      name: stringField(rs, 'name'),
      namespace: stringField(rs, 'namespace'),
      scope: stringField(rs, 'scope'),
      filter: filter
        ? { childCliqueNames: stringListField(filter, 'childCliqueNames'), childScalingGroupNames: stringListField(filter, 'childScalingGroupNames') }
        : undefined,
    };
  });
}

function scaleConfigView(obj: unknown, key: string): ScaleConfigView | undefined {
  const sc = objectField(obj, key);
  return sc ? { minReplicas: optionalIntField(sc, 'minReplicas'), maxReplicas: intField(sc, 'maxReplicas') } : undefined;
}

function containerViews(podSpec: unknown, key: string): ContainerView[] {
  return arrayField(podSpec, key).map(c => ({ envNames: arrayField(c, 'env').map(e => stringField(e, 'name')) }));
}

function podSpecView(spec: unknown): PodSpecView {
  const podSpec = objectField(spec, 'podSpec');
  return {
    schedulerName: stringField(podSpec, 'schedulerName'),
    restartPolicy: stringField(podSpec, 'restartPolicy'),
    nodeName: stringField(podSpec, 'nodeName'),
    hasTopologySpreadConstraints: Array.isArray(field(podSpec, 'topologySpreadConstraints')),
    containers: containerViews(podSpec, 'containers'),
    initContainers: containerViews(podSpec, 'initContainers'),
  };
}

function rollingUpdateView(owner: unknown): RollingUpdateView | undefined {
  const ru = objectField(owner, 'rollingUpdate');
  return ru ? { maxUnavailable: optionalIntField(ru, 'maxUnavailable') } : undefined;
}

function cliqueView(clique: unknown): CliqueView {
  const spec = objectField(clique, 'spec');
  return {
    name: stringField(clique, 'name'),
    labels: stringMapField(clique, 'labels'),
    annotations: stringMapField(clique, 'annotations'),
    topologyConstraint: topologyConstraintView(clique, 'topologyConstraint'),
    resourceSharing: resourceSharingViews(clique, 'resourceSharing'),
    roleName: stringField(spec, 'roleName'),
    replicas: intField(spec, 'replicas'),
    minAvailable: optionalIntField(spec, 'minAvailable'),
    startsAfter: stringListField(spec, 'startsAfter'),
    scaleConfig: scaleConfigView(spec, 'autoScalingConfig'),
    podSpec: podSpecView(spec),
    rollingUpdate: rollingUpdateView(clique),
  };
}

function scalingGroupView(group: unknown): ScalingGroupView {
  return {
    name: stringField(group, 'name'),
    cliqueNames: stringListField(group, 'cliqueNames'),
    annotations: stringMapField(group, 'annotations'),
    replicas: optionalIntField(group, 'replicas'),
    minAvailable: optionalIntField(group, 'minAvailable'),
    scaleConfig: scaleConfigView(group, 'scaleConfig'),
    resourceSharing: resourceSharingViews(group, 'resourceSharing'),
    topologyConstraint: topologyConstraintView(group, 'topologyConstraint'),
    rollingUpdate: rollingUpdateView(group),
  };
}

function resourceClaimTemplateView(rct: unknown): ResourceClaimTemplateView {
  const templateSpec = field(rct, 'templateSpec');
  const devices = objectField(objectField(templateSpec, 'spec'), 'devices');
  return { name: stringField(rct, 'name'), templateSpec, deviceRequestCount: arrayField(devices, 'requests').length };
}

/** A typed view of a PodCliqueSet; any input works (missing parts read as Go zero values). */
export function podCliqueSetView(obj: unknown): PodCliqueSetView {
  const metadata = objectField(obj, 'metadata');
  const spec = objectField(obj, 'spec');
  const template: JsonObject | undefined = objectField(spec, 'template');
  const startupType = field(template, 'cliqueStartupType');
  const terminationDelay = field(template, 'terminationDelay');
  const updateProgress = objectField(objectField(obj, 'status'), 'updateProgress');
  return {
    name: stringField(metadata, 'name'),
    generateName: stringField(metadata, 'generateName'),
    namespace: stringField(metadata, 'namespace'),
    labels: stringMapField(metadata, 'labels'),
    annotations: stringMapField(metadata, 'annotations'),
    replicas: intField(spec, 'replicas'),
    startupType: typeof startupType === 'string' ? startupType : undefined,
    cliques: arrayField(template, 'cliques').map(cliqueView),
    scalingGroups: arrayField(template, 'podCliqueScalingGroups').map(scalingGroupView),
    topologyConstraint: topologyConstraintView(template, 'topologyConstraint'),
    terminationDelay: typeof terminationDelay === 'string' ? terminationDelay : undefined,
    resourceClaimTemplates: arrayField(template, 'resourceClaimTemplates').map(resourceClaimTemplateView),
    resourceSharing: resourceSharingViews(template, 'resourceSharing'),
    updateStrategy: stringField(objectField(spec, 'updateStrategy'), 'type'),
    updateInProgress: updateProgress !== undefined && field(updateProgress, 'updateEndedAt') === undefined,
  };
}

/** True when the template carries a `topologyConstraint` anywhere (`HasAnyTopologyConstraint`). */
export function hasAnyTopologyConstraint(pcs: PodCliqueSetView): boolean {
  return pcs.topologyConstraint !== undefined
    || pcs.cliques.some(c => c.topologyConstraint !== undefined)
    || pcs.scalingGroups.some(g => g.topologyConstraint !== undefined);
}

/** Names of cliques that belong to some scaling group. */
export function scalingGroupCliqueNames(pcs: PodCliqueSetView): Set<string> {
  return new Set(pcs.scalingGroups.flatMap(g => g.cliqueNames));
}


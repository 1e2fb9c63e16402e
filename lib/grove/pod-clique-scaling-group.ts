import { Construct } from 'constructs';
import * as grove from '../../imports/grove-grove.io';
import { AutoScaling, renderAutoScaling } from './autoscaling';
import { MNNVL_GROUP_ANNOTATION, PodClique, PodCliqueOptions } from './pod-clique';
import { GroveOperatorConfig } from './operator-config';
import { renderResourceSharing, ResourceSharing } from './resource-sharing';
import { RollingUpdate, renderRollingUpdate, rollingUpdateProblems } from './rolling-update';
import { renderTopologyConstraint, TopologyConstraint } from './topology';
import { GroveValidationError, ValidationProblem } from '../errors';
import { dnsLabelProblems, toDnsLabel } from '../private/names';
import { integerProblems, registerCheckable } from '../private/validation';
import type { PodCliqueSet } from './pod-clique-set';

/** Options of a PodCliqueScalingGroup: cliques that scale together as one unit. */
export interface PodCliqueScalingGroupOptions {
  /**
   * The scaling group name (a DNS label), part of the pod names of its cliques.
   * @default - the construct id as a DNS label
   */
  readonly name?: string;
  /**
   * Replicas of the group (each one a complete unit, e.g. one multi-node model instance). Always written
   * to the manifest.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Replicas `0..minAvailable-1` are gang-scheduled in the base PodGang (the service cannot start without them);
   * each further replica gets its own scaled PodGang.
   * @default - Grove uses 1
   */
  readonly minAvailable?: number;
  /**
   * Update budget of the group, in whole replicas; it covers every clique of the group (`next` Grove API only).
   * @default - Grove's default for the strategy (minAvailable under Coherent, 1 under RollingRecreate), written explicitly at the next API level
   */
  readonly rollingUpdate?: RollingUpdate;
  /**
   * A HorizontalPodAutoscaler for the group (scales whole units).
   * @default - no autoscaler
   */
  readonly autoScaling?: AutoScaling;
  /**
   * Pack each replica of the group into one topology domain (e.g. one NVLink or InfiniBand domain).
   * @default - no constraint
   */
  readonly topologyConstraint?: TopologyConstraint;
  /**
   * DRA ResourceClaims shared by the group's pods (optionally only some of its cliques).
   * @default - none
   */
  readonly resourceSharing?: ResourceSharing[];
  /**
   * Annotations of the group.
   * @default - none
   */
  readonly annotations?: { readonly [key: string]: string };
  /**
   * Auto-MNNVL group of the scaling group (`grove.io/mnnvl-group`), or `none` to opt out.
   * @default - inherited from the PodCliqueSet
   */
  readonly mnnvlGroup?: string;
}

/** Props of a PodCliqueScalingGroup. */
export interface PodCliqueScalingGroupProps extends PodCliqueScalingGroupOptions {}

const GROUP = Symbol.for('cdk8s-grove.PodCliqueScalingGroup');

/**
 * A PodCliqueScalingGroup: cliques that scale together, e.g. the leader and workers of one multi-node model
 * instance. Create it with `PodCliqueSet.addScalingGroup()`, then add its cliques with `addClique()`.
 * Renders into the PodCliqueSet's `spec.template.podCliqueScalingGroups[]`.
 */
export class PodCliqueScalingGroup extends Construct {
  /** The scaling group name. */
  public readonly name: string;
  /** Replicas of the group. */
  public readonly replicas: number;
  /** The base-gang replica count, when set. */
  public readonly minAvailable?: number;
  /** The autoscaler bounds, if any. */
  public readonly autoScaling?: AutoScaling;
  /** The topology constraint, if any. */
  public readonly topologyConstraint?: TopologyConstraint;
  /** The PodCliqueSet this group belongs to. */
  public readonly podCliqueSet: PodCliqueSet;

  private readonly props: PodCliqueScalingGroupOptions;
  private readonly _cliques: PodClique[] = [];
  private readonly _sharing: ResourceSharing[] = [];

  constructor(scope: PodCliqueSet, id: string, props: PodCliqueScalingGroupProps = {}) {
    super(scope, id);
    Object.defineProperty(this, GROUP, { value: true });
    this.props = props;
    this.podCliqueSet = scope;
    this.name = props.name ?? toDnsLabel(id);
    this.replicas = props.replicas ?? 1;
    this.minAvailable = props.minAvailable;
    this.autoScaling = props.autoScaling;
    this.topologyConstraint = props.topologyConstraint;
    this._sharing.push(...(props.resourceSharing ?? []));

    const path = this.node.path;
    const problems: ValidationProblem[] = dnsLabelProblems(this.name).map(msg => ({
      constructPath: path, field: 'name', message: `scaling group name ${msg}`, value: this.name, fix: 'set `name` to a short DNS label such as `prefill`',
    }));
    problems.push(...integerProblems(path, 'replicas', this.replicas, 1));
    problems.push(...integerProblems(path, 'minAvailable', this.minAvailable, 1, this.replicas));
    if (this.autoScaling) {
      problems.push(...integerProblems(path, 'autoScaling.minReplicas', this.autoScaling.minReplicas, this.minAvailable ?? 1));
      problems.push(...integerProblems(path, 'autoScaling.maxReplicas', this.autoScaling.maxReplicas,
        Math.max(this.autoScaling.minReplicas ?? this.replicas, this.replicas)));
    }
    if (problems.length > 0) {
      throw new GroveValidationError(problems);
    }
    scope._registerScalingGroup(this);
    registerCheckable(this);
  }

  /** Adds a clique that scales with this group. */
  public addClique(id: string, options: PodCliqueOptions = {}): PodClique {
    const clique = new PodClique(this, id, options);
    this._cliques.push(clique);
    return clique;
  }

  /** Shares a DRA ResourceClaim across the group's pods (optionally only some of its cliques). */
  public addResourceSharing(sharing: ResourceSharing): void {
    this._sharing.push(sharing);
  }

  /** The member cliques, in the order they were added (a copy). */
  public get cliques(): PodClique[] {
    return [...this._cliques];
  }

  /** Pods in one replica of the group. */
  public get podsPerReplica(): number {
    return this._cliques.reduce((sum, c) => sum + c.replicas, 0);
  }

  /** GPUs in one replica of the group. */
  public get gpusPerReplica(): number {
    return this._cliques.reduce((sum, c) => sum + c.replicas * c.gpusPerPod, 0);
  }

  /**
   * The name of the PodCliqueScalingGroup object Grove creates (`<pcs>-<replica>-<group>`), which is what an
   * autoscaler such as KEDA or the Dynamo Planner scales.
   */
  public scalingGroupName(pcsReplica = 0): string {
    return `${this.podCliqueSet.name}-${pcsReplica}-${this.name}`;
  }

  /** The rendered `rollingUpdate` (at the next Grove API only). @internal */
  public _rollingUpdate(): { rollingUpdate?: { maxUnavailable: number } } {
    return renderRollingUpdate(this.props.rollingUpdate, this.podCliqueSet.updateStrategy, this.minAvailable ?? 1, GroveOperatorConfig.groveApi(this));
  }

  /** @internal */
  public _toGrove(): grove.PodCliqueSetSpecTemplatePodCliqueScalingGroups {
    const annotations = { ...this.props.annotations, ...(this.props.mnnvlGroup ? { [MNNVL_GROUP_ANNOTATION]: this.props.mnnvlGroup } : {}) };
    return {
      name: this.name,
      cliqueNames: this._cliques.map(c => c.name),
      replicas: this.replicas,
      minAvailable: this.minAvailable,
      ...this._rollingUpdate(),
      scaleConfig: renderAutoScaling(this.autoScaling),
      topologyConstraint: renderTopologyConstraint(this.topologyConstraint),
      resourceSharing: this._sharing.length > 0 ? this._sharing.map(renderResourceSharing) : undefined,
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    };
  }

  /** @internal */
  public _problems(): ValidationProblem[] {
    const budget = rollingUpdateProblems({
      path: this.node.path, kind: 'scaling group', rollingUpdate: this.props.rollingUpdate, replicas: this.replicas, minAvailable: this.minAvailable ?? 1,
    }, this.podCliqueSet.updateStrategy, GroveOperatorConfig.groveApi(this));
    if (this._cliques.length === 0) {
      return [...budget, { constructPath: this.node.path, field: 'cliques', message: 'a scaling group needs at least one clique', fix: 'call addClique() on the scaling group' }];
    }
    return budget;
  }
}

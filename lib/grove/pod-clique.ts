import { Construct, IConstruct } from 'constructs';
import * as grove from '../../imports/grove-grove.io';
import { AutoScaling, renderAutoScaling } from './autoscaling';
import { ContainerProps, gpusOf, GrovePodSpec, renderContainer } from './container';
import { renderResourceSharing, ResourceSharing } from './resource-sharing';
import { renderTopologyConstraint, TopologyConstraint } from './topology';
import { GPU_TOLERATION, Toleration, Volume } from './volume';
import { GroveOperatorConfig } from './operator-config';
import { RollingUpdate, renderRollingUpdate, rollingUpdateProblems } from './rolling-update';
import { GroveValidationError, ValidationProblem } from '../errors';
import { redact, secretLike } from '../private/hygiene';
import { dnsLabelProblems, MAX_COMBINED_NAME_LENGTH, toDnsLabel } from '../private/names';
import { integerProblems, registerCheckable } from '../private/validation';
import type { PodCliqueScalingGroup } from './pod-clique-scaling-group';
import type { PodCliqueSet } from './pod-clique-set';

/** The annotation that puts pods in an auto-MNNVL group (or opts them out with `none`). */
export const MNNVL_GROUP_ANNOTATION = 'grove.io/mnnvl-group';

/** Options of a PodClique: a role whose pods share one pod template. */
export interface PodCliqueOptions {
  /**
   * The clique name (a DNS label); part of every pod's name, within Grove's 45-character budget.
   * @default - the construct id as a DNS label (`DecodeWorker` -> `decode-worker`)
   */
  readonly name?: string;
  /**
   * The role name Grove records for the clique; must be unique in the PodCliqueSet.
   * @default - the clique name
   */
  readonly roleName?: string;
  /**
   * Pods per clique instance (per scaling-group replica for a clique in a scaling group).
   * Always written to the manifest.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The gang floor: fewest ready pods for the clique to count as available (1..replicas).
   * @default - Grove sets it to `replicas`
   */
  readonly minAvailable?: number;
  /**
   * Update budget of a standalone clique (`next` Grove API only; a clique in a scaling group uses the group's).
   * @default - Grove's default for the strategy, written explicitly at the next API level
   */
  readonly rollingUpdate?: RollingUpdate;
  /**
   * Labels of the clique, propagated to its PodClique and pods.
   * @default - none (plus the scheduler's queue label)
   */
  readonly labels?: { readonly [key: string]: string };
  /**
   * Annotations of the clique, propagated to its PodClique and pods.
   * @default - none
   */
  readonly annotations?: { readonly [key: string]: string };
  /**
   * Auto-MNNVL group of the clique (`grove.io/mnnvl-group`), or `none` to opt out.
   * @default - inherited from the scaling group or PodCliqueSet
   */
  readonly mnnvlGroup?: string;
  /**
   * Cliques whose pods must be ready before this clique's pods start. Any dependency switches the
   * PodCliqueSet to explicit startup ordering.
   * @default - no dependency
   */
  readonly startsAfter?: PodClique[];
  /**
   * A HorizontalPodAutoscaler for this clique (standalone cliques only; scale a scaling group instead).
   * @default - no autoscaler
   */
  readonly autoScaling?: AutoScaling;
  /**
   * Pack each instance of the clique into one topology domain.
   * @default - no constraint
   */
  readonly topologyConstraint?: TopologyConstraint;
  /**
   * DRA ResourceClaims shared by this clique's pods.
   * @default - none
   */
  readonly resourceSharing?: ResourceSharing[];
  /**
   * The containers. More can be added with `addContainer()`.
   * @default - none (at least one is required before synth)
   */
  readonly containers?: ContainerProps[];
  /**
   * Init containers, run in order before the containers.
   * @default - none
   */
  readonly initContainers?: ContainerProps[];
  /**
   * Pod volumes. More can be added with `addVolume()`.
   * @default - none
   */
  readonly volumes?: Volume[];
  /**
   * Tolerations. When any container requests GPUs, the GPU taint toleration is added for you
   * (see `tolerateGpuTaint`).
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Node labels the pods must run on (e.g. a GPU node pool).
   * @default - any node
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Add the toleration for `nvidia.com/gpu:NoSchedule` when a container requests GPUs.
   * @default true
   */
  readonly tolerateGpuTaint?: boolean;
  /**
   * The ServiceAccount the pods run as.
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * Mount a ServiceAccount token into the pods.
   * @default - Kubernetes' default (mounted)
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Seconds the pods get to shut down.
   * @default - Grove sets 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Allow literal env values that look like secrets (tokens, keys). By default they are refused at synth:
   * secrets belong in a Secret, referenced with `EnvValue.fromSecret()`, never written into a manifest.
   * @default false
   */
  readonly allowInlineSecrets?: boolean;
  /**
   * Escape hatch: a full pod spec (Grove's CRD type) laid over the rendered one. Its `containers`,
   * `initContainers`, `volumes` and `tolerations` are appended to those from the props, `nodeSelector` is
   * merged, and every other field it sets replaces the rendered value.
   * @default - nothing laid over
   */
  readonly podSpec?: Partial<GrovePodSpec>;
}

/** Props of a PodClique. */
export interface PodCliqueProps extends PodCliqueOptions {}

const SET = Symbol.for('cdk8s-grove.PodCliqueSet');
const GROUP = Symbol.for('cdk8s-grove.PodCliqueScalingGroup');

/**
 * A PodClique: a group of pods with one role and one pod template (a frontend, a prefill worker, the leader of
 * a multi-node instance). Create it with `PodCliqueSet.addClique()` (standalone) or
 * `PodCliqueScalingGroup.addClique()` (scales with its group). It renders into the PodCliqueSet's
 * `spec.template.cliques[]` and owns no Kubernetes object of its own.
 */
export class PodClique extends Construct {
  /** The clique name. */
  public readonly name: string;
  /** The role name. */
  public readonly roleName: string;
  /** Pods per clique instance. */
  public readonly replicas: number;
  /** The gang floor, when set. */
  public readonly minAvailable?: number;
  /** The PodCliqueSet this clique belongs to. */
  public readonly podCliqueSet: PodCliqueSet;
  /** The scaling group this clique belongs to, if any. */
  public readonly scalingGroup?: PodCliqueScalingGroup;
  /** The autoscaler bounds, if any. */
  public readonly autoScaling?: AutoScaling;
  /** The topology constraint, if any. */
  public readonly topologyConstraint?: TopologyConstraint;

  private readonly props: PodCliqueOptions;
  private readonly _containers: ContainerProps[] = [];
  private readonly _initContainers: ContainerProps[] = [];
  private readonly _volumes: Volume[] = [];
  private readonly _tolerations: Toleration[] = [];
  private readonly _startsAfter: PodClique[] = [];

  constructor(scope: PodCliqueSet | PodCliqueScalingGroup, id: string, props: PodCliqueProps = {}) {
    super(scope, id);
    this.props = props;
    this.scalingGroup = (scope as any)[GROUP] ? scope as PodCliqueScalingGroup : undefined;
    this.podCliqueSet = findSet(scope);
    this.name = props.name ?? toDnsLabel(id);
    this.roleName = props.roleName ?? this.name;
    this.replicas = props.replicas ?? 1;
    this.minAvailable = props.minAvailable;
    this.autoScaling = props.autoScaling;
    this.topologyConstraint = props.topologyConstraint;

    const problems = this.propProblems();
    if (problems.length > 0) {
      throw new GroveValidationError(problems);
    }
    props.containers?.forEach(c => this.addContainer(c));
    props.initContainers?.forEach(c => this.addInitContainer(c));
    props.volumes?.forEach(v => this.addVolume(v));
    props.tolerations?.forEach(t => this.addToleration(t));
    this.addStartsAfter(...(props.startsAfter ?? []));
    this.podCliqueSet._registerClique(this);
    registerCheckable(this);
  }

  /** Adds a container to every pod of the clique. */
  public addContainer(container: ContainerProps): void {
    this._containers.push(container);
  }

  /** Adds an init container (run in order, before the containers). */
  public addInitContainer(container: ContainerProps): void {
    this._initContainers.push(container);
  }

  /** Adds a pod volume. Volume names must be unique. */
  public addVolume(volume: Volume): void {
    if (this._volumes.some(v => v.name === volume.name)) {
      throw new GroveValidationError([{
        constructPath: this.node.path, field: 'volumes', message: 'volume names must be unique', value: volume.name,
        fix: 'give the volume another name',
      }]);
    }
    this._volumes.push(volume);
  }

  /** Adds a toleration. */
  public addToleration(toleration: Toleration): void {
    this._tolerations.push(toleration);
  }

  /**
   * Makes this clique start only after the given cliques are ready (explicit startup ordering).
   * The cliques must belong to the same PodCliqueSet.
   */
  public addStartsAfter(...cliques: PodClique[]): void {
    const problems: ValidationProblem[] = [];
    for (const c of cliques) {
      if (c === this) {
        problems.push({ constructPath: this.node.path, field: 'startsAfter', message: 'a clique cannot start after itself', value: c.name, fix: 'remove it from startsAfter' });
      } else if (c.podCliqueSet !== this.podCliqueSet) {
        problems.push({
          constructPath: this.node.path, field: 'startsAfter', message: `clique '${c.node.path}' belongs to another PodCliqueSet`,
          value: c.name, fix: 'startup ordering only works between cliques of the same PodCliqueSet',
        });
      } else if (!this._startsAfter.includes(c)) {
        this._startsAfter.push(c);
      }
    }
    if (problems.length > 0) {
      throw new GroveValidationError(problems);
    }
  }

  /** The cliques this clique starts after (a copy). */
  public get startsAfter(): PodClique[] {
    return [...this._startsAfter];
  }

  /** The containers (a copy). */
  public get containers(): ContainerProps[] {
    return [...this._containers];
  }

  /** NVIDIA GPUs each pod of the clique requests (sum over its containers). */
  public get gpusPerPod(): number {
    return this._containers.reduce((sum, c) => sum + gpusOf(c), 0);
  }

  /**
   * The name of the PodClique object Grove creates for this clique (what an autoscaler such as KEDA or the
   * Dynamo Planner scales): `<pcs>-<replica>-<clique>` for a standalone clique,
   * `<pcs>-<replica>-<group>-<groupReplica>-<clique>` in a scaling group.
   */
  public podCliqueName(pcsReplica = 0, groupReplica = 0): string {
    return this.scalingGroup
      ? `${this.podCliqueSet.name}-${pcsReplica}-${this.scalingGroup.name}-${groupReplica}-${this.name}`
      : `${this.podCliqueSet.name}-${pcsReplica}-${this.name}`;
  }

  /** The rendered `rollingUpdate` (standalone cliques at the next Grove API only). @internal */
  public _rollingUpdate(): { rollingUpdate?: { maxUnavailable: number } } {
    return this.scalingGroup ? {} : renderRollingUpdate(this.props.rollingUpdate, this.podCliqueSet.updateStrategy, this.minAvailable ?? this.replicas, GroveOperatorConfig.groveApi(this));
  }

  /** @internal */
  public _toGrove(): grove.PodCliqueSetSpecTemplateCliques {
    const set = this.podCliqueSet;
    const labels = { ...this.props.labels, ...set.scheduler.labels };
    const annotations = { ...this.props.annotations, ...(this.props.mnnvlGroup ? { [MNNVL_GROUP_ANNOTATION]: this.props.mnnvlGroup } : {}) };
    return {
      name: this.name,
      ...this._rollingUpdate(),
      labels: nonEmpty(labels),
      annotations: nonEmpty(annotations),
      topologyConstraint: renderTopologyConstraint(this.topologyConstraint),
      resourceSharing: this.props.resourceSharing?.map(renderResourceSharing),
      spec: {
        roleName: this.roleName,
        replicas: this.replicas,
        minAvailable: this.minAvailable,
        startsAfter: this._startsAfter.length > 0 ? this._startsAfter.map(c => c.name) : undefined,
        autoScalingConfig: renderAutoScaling(this.autoScaling),
        podSpec: this.renderPodSpec(set.scheduler.schedulerName),
      },
    };
  }

  /** @internal */
  public _problems(): ValidationProblem[] {
    const owner = { path: this.node.path, kind: this.scalingGroup ? 'member clique' as const : 'clique' as const, rollingUpdate: this.props.rollingUpdate, replicas: this.replicas, minAvailable: this.minAvailable ?? this.replicas };
    const problems: ValidationProblem[] = rollingUpdateProblems(owner, this.podCliqueSet.updateStrategy, GroveOperatorConfig.groveApi(this));
    const overlayContainers = this.props.podSpec?.containers ?? [];
    if (this._containers.length === 0 && overlayContainers.length === 0) {
      problems.push({ constructPath: this.node.path, field: 'containers', message: 'a clique needs at least one container', fix: 'pass `containers` or call addContainer()' });
    }
    const names = this.containerNames(this._containers, '');
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) {
      problems.push({ constructPath: this.node.path, field: 'containers', message: 'container names must be unique', value: dup, fix: 'give each container its own `name`' });
    }
    if (!this.props.allowInlineSecrets) {
      problems.push(...this.inlineSecretProblems());
    }
    if (this._startsAfter.length > 0 && this.podCliqueSet.cliqueStartupType !== undefined && this.podCliqueSet.cliqueStartupType !== 'CliqueStartupTypeExplicit') {
      problems.push({
        constructPath: this.node.path, field: 'startsAfter', message: `Grove ignores startsAfter unless cliqueStartupType is EXPLICIT (it is ${this.podCliqueSet.cliqueStartupType})`,
        fix: 'leave cliqueStartupType unset (cdk8s-grove then uses EXPLICIT) or remove startsAfter',
      });
    }
    return problems;
  }

  private inlineSecretProblems(): ValidationProblem[] {
    return [...this._containers, ...this._initContainers].flatMap(c => Object.entries(c.env ?? {}).flatMap(([name, value]) => {
      const literal = typeof value === 'string' ? value : value.literal;
      const kind = literal === undefined ? undefined : secretLike(name, literal);
      return kind === undefined ? [] : [{
        constructPath: this.node.path, field: `containers.env.${name}`,
        message: `the literal value looks like ${kind} (${redact(literal!)}); secrets must not be written into manifests`,
        fix: `put it in a Secret and use EnvValue.fromSecret(secretName, key) (or set allowInlineSecrets: true if it is not a secret)`,
      }];
    }));
  }

  private propProblems(): ValidationProblem[] {
    const path = this.node.path;
    const problems: ValidationProblem[] = [];
    for (const msg of dnsLabelProblems(this.name)) {
      problems.push({ constructPath: path, field: 'name', message: `clique name ${msg}`, value: this.name, fix: 'set `name` to a short DNS label such as `decode`' });
    }
    const budget = [this.podCliqueSet.name, this.scalingGroup?.name, this.name].filter((n): n is string => n !== undefined);
    const total = budget.reduce((sum, n) => sum + n.length, 0);
    if (total > MAX_COMBINED_NAME_LENGTH) {
      problems.push({
        constructPath: path, field: 'name',
        message: `Grove limits the combined length of ${this.scalingGroup ? 'PodCliqueSet, scaling group and clique' : 'PodCliqueSet and clique'} names to ${MAX_COMBINED_NAME_LENGTH} characters; ${budget.map(n => `'${n}' (${n.length})`).join(' + ')} = ${total}`,
        value: this.name,
        fix: `shorten them by ${total - MAX_COMBINED_NAME_LENGTH}: set a shorter \`name\` on the clique${this.scalingGroup ? ' or scaling group' : ''}, or a shorter \`metadata.name\` on the PodCliqueSet`,
      });
    }
    problems.push(...integerProblems(path, 'replicas', this.replicas, 1));
    problems.push(...integerProblems(path, 'minAvailable', this.minAvailable, 1, this.replicas));
    const a = this.autoScaling;
    if (a) {
      if (this.scalingGroup) {
        problems.push({
          constructPath: path, field: 'autoScaling', message: 'a clique in a scaling group cannot have its own autoscaler',
          fix: 'set `autoScaling` on the scaling group instead',
        });
      }
      const floor = this.minAvailable ?? this.replicas;
      problems.push(...integerProblems(path, 'autoScaling.minReplicas', a.minReplicas, floor));
      problems.push(...integerProblems(path, 'autoScaling.maxReplicas', a.maxReplicas, Math.max(a.minReplicas ?? this.replicas, this.replicas)));
    }
    return problems;
  }

  private containerNames(containers: ContainerProps[], prefix: string): string[] {
    return containers.map((c, i) => c.name ?? (i === 0 ? `${prefix}${this.name}` : `${prefix}${this.name}-${i}`));
  }

  private renderPodSpec(schedulerName: string | undefined): GrovePodSpec {
    const overlay = this.props.podSpec ?? {};
    const names = this.containerNames(this._containers, '');
    const initNames = this.containerNames(this._initContainers, 'init-');
    const containers = [...this._containers.map((c, i) => renderContainer(names[i], c)), ...(overlay.containers ?? [])];
    const tolerations = [...this._tolerations];
    const wantsGpuToleration = (this.props.tolerateGpuTaint ?? true) && this.gpusPerPod > 0
      && !tolerations.some(t => t.key === GPU_TOLERATION.key);
    if (wantsGpuToleration) {
      tolerations.push(GPU_TOLERATION);
    }
    const rendered: GrovePodSpec = {
      containers,
      initContainers: listOrUndefined([...this._initContainers.map((c, i) => renderContainer(initNames[i], c)), ...(overlay.initContainers ?? [])]),
      volumes: listOrUndefined([...this._volumes.map(v => v._toGrove()), ...(overlay.volumes ?? [])]),
      tolerations: listOrUndefined([...tolerations.map(t => ({ ...t })), ...(overlay.tolerations ?? [])]),
      nodeSelector: nonEmpty({ ...this.props.nodeSelector, ...overlay.nodeSelector }),
      schedulerName,
      serviceAccountName: this.props.serviceAccountName,
      automountServiceAccountToken: this.props.automountServiceAccountToken,
      terminationGracePeriodSeconds: this.props.terminationGracePeriodSeconds,
    };
    const { containers: _c, initContainers: _i, volumes: _v, tolerations: _t, nodeSelector: _n, ...rest } = overlay;
    return { ...rendered, ...rest };
  }
}

function findSet(scope: IConstruct): PodCliqueSet {
  let s: IConstruct | undefined = scope;
  while (s && !(s as any)[SET]) {
    s = s.node.scope;
  }
  if (!s) {
    throw new GroveValidationError([{
      constructPath: scope.node.path, field: 'scope', message: 'a PodClique must be created inside a PodCliqueSet or PodCliqueScalingGroup',
      fix: 'use podCliqueSet.addClique() or scalingGroup.addClique()',
    }]);
  }
  return s as PodCliqueSet;
}

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length === 0 ? undefined : o;
}

function listOrUndefined<T>(l: T[]): T[] | undefined {
  return l.length === 0 ? undefined : l;
}

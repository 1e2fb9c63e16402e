/**
 * The PodCliqueSet validating webhook's checks that run on CREATE and UPDATE (`pcsValidator.validate()`,
 * VALIDATION.md §3: V1-V55), in Grove's order. Works on the defaulted object's typed view.
 */
import { validateCliqueDependencies } from './clique-dependencies';
import { SchedulerRegistry } from './config';
import { parseGoDuration } from './duration';
import { ErrorList, duplicate, invalid, notFound, notSupported, required } from './errors';
import { FieldPath } from './field-path';
import { byteLength, findDuplicates, isBlank, unique } from './json';
import {
  isEnvVarName, nameIsDNSSubdomain, validateAnnotations, validateLabels, validateObjectMeta,
} from './k8s-validation';
import {
  CliqueView, ContainerView, PodCliqueSetView, PodSpecView, ResourceSharingView, ScaleConfigView, ScalingGroupView,
  scalingGroupCliqueNames,
} from './model';
import { validateSchedulerNames } from './scheduler';
import { AdmissionOperation } from './types';

/** `CliqueStartupType` values (grove operator/api/core/v1alpha1/podcliqueset.go). */
const STARTUP_TYPES = ['CliqueStartupTypeAnyOrder', 'CliqueStartupTypeInOrder', 'CliqueStartupTypeExplicit'] as const;
/** `ResourceSharingScope` values (podcliqueset.go). */
const SCOPE_VALUES = ['AllReplicas', 'PerReplica'] as const;

/** Pod names need room for replica indices and a random suffix: Grove caps the sum of the name parts. */
const MAX_COMBINED_RESOURCE_NAME_LENGTH = 45;
const RESTART_POLICY_WARNING = 'restartPolicy will be ignored, it will be set to Always';
const EXPLICIT = 'CliqueStartupTypeExplicit';

/** What `validate()` found. `panic` is set when Grove's webhook would panic (quirk Q1). */
export interface ValidationOutcome {
  readonly warnings: string[];
  readonly errors: ErrorList;
  readonly panic?: string;
}

/** Grove's `validate()`: metadata, spec, template, cliques, scaling groups, termination delay. */
export function validatePodCliqueSet(pcs: PodCliqueSetView, operation: AdmissionOperation, registry: SchedulerRegistry): ValidationOutcome {
  return new PodCliqueSetValidator(pcs, operation, registry).validate();
}

class PodCliqueSetValidator {
  private readonly warnings: string[] = [];
  private readonly errors: ErrorList = [];
  private readonly templatePath = FieldPath.of('spec', 'template');
  private readonly templateNames: Set<string>;

  constructor(private readonly pcs: PodCliqueSetView, private readonly operation: AdmissionOperation, private readonly registry: SchedulerRegistry) {
    this.templateNames = new Set(pcs.resourceClaimTemplates.map(t => t.name));
  }

  public validate(): ValidationOutcome {
    const pcs = this.pcs;
    this.errors.push(...validateObjectMeta(pcs, true, FieldPath.of('metadata'))); // V1
    if (pcs.replicas < 0) {
      this.errors.push(invalid(FieldPath.of('spec', 'replicas'), 'must be greater than or equal to 0')); // V2
    }
    this.validateStartupType();
    this.validateResourceClaimTemplates();
    this.validatePCSResourceSharing();
    if (pcs.cliques.length === 0) {
      // V15, then Grove indexes the first scheduler name of the empty list and panics (Q1).
      this.errors.push(required(this.templatePath.child('cliques'), 'at least one PodClique must be defined'));
      return { warnings: this.warnings, errors: this.errors, panic: 'runtime error: index out of range [0] with length 0' };
    }
    this.validateCliques();
    this.validateScalingGroups();
    this.validateTerminationDelay();
    return { warnings: this.warnings, errors: this.errors };
  }

  private get isExplicit(): boolean {
    return this.pcs.startupType === EXPLICIT;
  }

  /** V3, V4. */
  private validateStartupType(): void {
    const path = this.templatePath.child('cliqueStartupType');
    const value = this.pcs.startupType;
    if (value === undefined) {
      this.errors.push(required(path, 'field is required'));
    } else if (!(STARTUP_TYPES as readonly string[]).includes(value)) {
      const allowed = [...STARTUP_TYPES].sort().map(t => `${t}:{}`).join(' ');
      this.errors.push(invalid(path, `can only be one of map[${allowed}]`));
    }
  }

  /** V5-V7. */
  private validateResourceClaimTemplates(): void {
    const path = this.templatePath.child('resourceClaimTemplates');
    this.pcs.resourceClaimTemplates.forEach((rct, i) => {
      if (rct.name === '') {
        this.errors.push(required(path.index(i).child('name'), 'template name is required'));
      }
      if (rct.deviceRequestCount === 0) {
        this.errors.push(required(path.index(i).child('templateSpec', 'spec', 'devices', 'requests'), 'at least one device request is required'));
      }
    });
    this.requireUnique(this.pcs.resourceClaimTemplates.map(t => t.name), path.child('name'));
  }

  /** V8-V11 on one `resourceSharing` list (PCS, scaling group or clique level). */
  private validateResourceSharingSpecs(refs: readonly ResourceSharingView[], path: FieldPath): void {
    const seen = new Set<string>();
    refs.forEach((ref, i) => {
      const refPath = path.index(i);
      if (ref.name === '') {
        this.errors.push(required(refPath.child('name'), 'reference name is required'));
      } else if (seen.has(ref.name)) {
        this.errors.push(duplicate(refPath.child('name'), ref.name));
      }
      seen.add(ref.name);
      if (ref.namespace !== '' && ref.name !== '' && this.templateNames.has(ref.name)) {
        this.errors.push(invalid(refPath.child('namespace'), 'namespace must be empty when name matches an internal resourceClaimTemplate'));
      }
      if (!(SCOPE_VALUES as readonly string[]).includes(ref.scope)) {
        this.errors.push(notSupported(refPath.child('scope'), ref.scope, SCOPE_VALUES));
      }
    });
  }

  /** `NotFound` for each name of `names` (a filter list) that is not in `known`. */
  private requireKnown(names: readonly string[], known: ReadonlySet<string>, path: FieldPath): void {
    names.forEach((n, j) => {
      if (!known.has(n)) {
        this.errors.push(notFound(path.index(j), n));
      }
    });
  }

  /** V8-V14. */
  private validatePCSResourceSharing(): void {
    const path = this.templatePath.child('resourceSharing');
    this.validateResourceSharingSpecs(this.pcs.resourceSharing, path);
    const cliqueNames = new Set(this.pcs.cliques.map(c => c.name));
    const groupNames = new Set(this.pcs.scalingGroups.map(g => g.name));
    this.pcs.resourceSharing.forEach((ref, i) => {
      if (!ref.filter) {
        return;
      }
      const filterPath = path.index(i).child('filter');
      if (ref.filter.childCliqueNames.length === 0 && ref.filter.childScalingGroupNames.length === 0) {
        this.errors.push(required(filterPath, 'filter must specify at least one childCliqueNames or childScalingGroupNames entry'));
      }
      this.requireKnown(ref.filter.childCliqueNames, cliqueNames, filterPath.child('childCliqueNames'));
      this.requireKnown(ref.filter.childScalingGroupNames, groupNames, filterPath.child('childScalingGroupNames'));
    });
  }

  /** Per-clique checks, then V36-V41. */
  private validateCliques(): void {
    const path = this.templatePath.child('cliques');
    const inGroups = scalingGroupCliqueNames(this.pcs);
    this.pcs.cliques.forEach((clique, i) => this.validateClique(clique, path.index(i), inGroups));
    this.requireUnique(this.pcs.cliques.map(c => c.name), path.child('name')); // V36
    this.requireUnique(this.pcs.cliques.map(c => c.roleName), path.child('roleName')); // V37
    this.errors.push(...validateSchedulerNames(this.pcs, this.registry, path)); // V38, V39
    if (this.isExplicit) {
      this.errors.push(...validateCliqueDependencies(this.pcs.cliques, path)); // V40, V41
    }
  }

  private validateClique(clique: CliqueView, path: FieldPath, inGroups: ReadonlySet<string>): void {
    const nameBlank = isBlank(clique.name);
    if (nameBlank) {
      this.errors.push(required(path.child('name'), 'field cannot be empty')); // V16
    }
    this.errors.push(...validateLabels(clique.labels, path.child('labels'))); // V19
    this.errors.push(...validateAnnotations(clique.annotations, path.child('annotations'))); // V20
    this.validateResourceSharingSpecs(clique.resourceSharing, path.child('resourceSharing'));
    this.validateCliqueSpec(clique, path.child('spec'));
    if (!nameBlank) {
      this.validateCliqueName(clique, path, inGroups);
    }
  }

  /** V17, V18 (the length budget of cliques in a scaling group is checked with the group, V44). */
  private validateCliqueName(clique: CliqueView, path: FieldPath, inGroups: ReadonlySet<string>): void {
    if (nameIsDNSSubdomain(clique.name, false).length > 0) {
      this.errors.push(invalid(path.child('name'), 'invalid PodCliqueTemplateSpec name, must be a valid DNS subdomain'));
    }
    if (!inGroups.has(clique.name)) {
      const message = podNameLengthError(this.pcs.name, '', clique.name);
      if (message) {
        this.errors.push(invalid(path.child('name'), message), invalid(FieldPath.of('metadata', 'name'), message));
      }
    }
  }

  /** V21-V33 (V27 is a warning). */
  private validateCliqueSpec(clique: CliqueView, path: FieldPath): void {
    if (clique.replicas <= 0) {
      this.errors.push(invalid(path.child('replicas'), 'must be greater than 0'));
    }
    if (clique.minAvailable === undefined) {
      this.errors.push(required(path.child('minAvailable'), 'field is required'));
    } else {
      if (clique.minAvailable <= 0) {
        this.errors.push(invalid(path.child('minAvailable'), 'must be greater than 0'));
      }
      if (clique.minAvailable > clique.replicas) {
        this.errors.push(invalid(path.child('minAvailable'), 'minAvailable must not be greater than replicas'));
      }
    }
    if (this.isExplicit && clique.startsAfter.length > 0) {
      this.validateStartsAfter(clique, path.child('startsAfter'));
    }
    if (clique.scaleConfig) {
      this.validateCliqueScaleConfig(clique.scaleConfig, clique, path.child('autoScalingConfig'));
    }
    this.validatePodSpec(clique.podSpec, path.child('podSpec'));
  }

  /** V25, V26, V26b. */
  private validateStartsAfter(clique: CliqueView, path: FieldPath): void {
    for (const dep of clique.startsAfter) {
      if (isBlank(dep)) {
        this.errors.push(required(path, 'clique dependency must not be empty'));
      }
      if (dep === clique.name) {
        this.errors.push(invalid(path, 'clique dependency cannot refer to itself'));
      }
    }
    this.requireUnique(clique.startsAfter, path);
  }

  /** V28-V31. */
  private validateCliqueScaleConfig(scale: ScaleConfigView, clique: CliqueView, path: FieldPath): void {
    if (scale.minReplicas === undefined) {
      this.errors.push(required(path.child('minReplicas'), 'field is required'));
    } else {
      if (scale.minReplicas < (clique.minAvailable ?? 0)) {
        this.errors.push(invalid(path.child('minReplicas'), 'must be greater than or equal to podCliqueSpec.minAvailable'));
      }
      if (scale.maxReplicas < scale.minReplicas) {
        this.errors.push(invalid(path.child('maxReplicas'), 'must be greater than or equal to podCliqueSpec.minReplicas'));
      }
    }
    if (scale.maxReplicas < clique.replicas) {
      this.errors.push(invalid(path.child('maxReplicas'), 'must be greater than or equal to replicas'));
    }
  }

  /** V27 (warning), V32, V33 (CREATE only), V34, V35. Grove's paths insert `spec` after `podSpec` (Q5). */
  private validatePodSpec(podSpec: PodSpecView, podSpecPath: FieldPath): void {
    if (!isBlank(podSpec.restartPolicy)) {
      this.warnings.push(RESTART_POLICY_WARNING);
    }
    const path = podSpecPath.child('spec');
    if (this.operation === 'CREATE') {
      if (podSpec.hasTopologySpreadConstraints) {
        this.errors.push(invalid(path.child('topologySpreadConstraints'), 'must not be set'));
      }
      if (!isBlank(podSpec.nodeName)) {
        this.errors.push(invalid(path.child('nodeName'), 'must not be set'));
      }
    }
    podSpec.containers.forEach((c, i) => this.validateContainerEnv(c, path.child('containers').index(i).child('env')));
    podSpec.initContainers.forEach((c, i) => this.validateContainerEnv(c, path.child('initContainers').index(i).child('env')));
  }

  private validateContainerEnv(container: ContainerView, path: FieldPath): void {
    container.envNames.forEach((name, j) => {
      const problems = isEnvVarName(name);
      if (problems.length > 0) {
        this.errors.push(invalid(path.index(j).child('name'), problems.join('; ')));
      }
    });
    this.requireUnique(container.envNames, path);
  }

  /** V42-V53. */
  private validateScalingGroups(): void {
    const path = this.templatePath.child('podCliqueScalingGroups');
    const cliqueNames = this.pcs.cliques.map(c => c.name);
    this.pcs.scalingGroups.forEach((group, g) => this.validateScalingGroup(group, path.index(g), cliqueNames));
    const groupCliqueNames = this.pcs.scalingGroups.flatMap(g => g.cliqueNames);
    this.requireUnique(this.pcs.scalingGroups.map(g => g.name), path.child('name')); // V51
    this.requireUnique(groupCliqueNames, path.child('cliqueNames')); // V52
    const members = new Set(groupCliqueNames);
    for (const clique of this.pcs.cliques) {
      if (members.has(clique.name) && clique.scaleConfig) {
        this.errors.push(invalid(path, 'AutoScalingConfig is not allowed to be defined for PodClique that is part of scaling group')); // V53
      }
    }
  }

  private validateScalingGroup(group: ScalingGroupView, path: FieldPath, cliqueNames: readonly string[]): void {
    if (nameIsDNSSubdomain(group.name, false).length > 0) {
      this.errors.push(invalid(path.child('name'), 'invalid PodCliqueScalingGroupConfig name, must be a valid DNS subdomain')); // V42
    }
    this.validateScalingGroupCliqueNames(group, path, cliqueNames);
    if (group.replicas !== undefined && group.replicas <= 0) {
      this.errors.push(invalid(path.child('replicas'), 'must be greater than 0')); // V45
    }
    if (group.minAvailable !== undefined && group.minAvailable <= 0) {
      this.errors.push(invalid(path.child('minAvailable'), 'must be greater than 0')); // V46
    }
    if (group.replicas !== undefined && group.minAvailable !== undefined && group.minAvailable > group.replicas) {
      this.errors.push(invalid(path.child('minAvailable'), 'minAvailable must not be greater than replicas')); // V47
    }
    const minReplicas = group.scaleConfig?.minReplicas;
    if (minReplicas !== undefined && group.minAvailable !== undefined && minReplicas < group.minAvailable) {
      this.errors.push(invalid(path.child('scaleConfig', 'minReplicas'), 'scaleConfig.minReplicas must be greater than or equal to minAvailable')); // V48
    }
    this.validateScalingGroupResourceSharing(group, path.child('resourceSharing'));
  }

  /** V43, V44. */
  private validateScalingGroupCliqueNames(group: ScalingGroupView, path: FieldPath, cliqueNames: readonly string[]): void {
    const cliqueNamesPath = path.child('cliqueNames');
    if (unique(group.cliqueNames).some(n => !cliqueNames.includes(n))) {
      this.errors.push(invalid(cliqueNamesPath, 'unidentified PodClique names found'));
    }
    group.cliqueNames.forEach((cliqueName, m) => {
      const message = podNameLengthError(this.pcs.name, group.name, cliqueName);
      if (message) {
        this.errors.push(
          invalid(cliqueNamesPath.index(m).child('name'), message),
          invalid(path.child('name'), message),
          invalid(FieldPath.of('metadata', 'name'), message),
        );
      }
    });
  }

  /** V8-V11, V49, V50. */
  private validateScalingGroupResourceSharing(group: ScalingGroupView, path: FieldPath): void {
    this.validateResourceSharingSpecs(group.resourceSharing, path);
    const members = new Set(group.cliqueNames);
    group.resourceSharing.forEach((ref, i) => {
      if (!ref.filter) {
        return;
      }
      const filterPath = path.index(i).child('filter');
      if (ref.filter.childCliqueNames.length === 0) {
        this.errors.push(required(filterPath, 'filter must specify at least one childCliqueNames entry'));
      }
      this.requireKnown(ref.filter.childCliqueNames, members, filterPath.child('childCliqueNames'));
    });
  }

  /** V54, V55 (an unparsable value never gets here: the webhook fails to decode it). */
  private validateTerminationDelay(): void {
    const path = this.templatePath.child('terminationDelay');
    if (this.pcs.terminationDelay === undefined) {
      this.errors.push(required(path, 'terminationDelay is required'));
      return;
    }
    const parsed = parseGoDuration(this.pcs.terminationDelay);
    if (parsed.ok && parsed.nanos <= 0n) {
      this.errors.push(invalid(path, 'terminationDelay must be greater than 0'));
    }
  }

  /** `sliceMustHaveUniqueElements`: one `Duplicate` listing the repeated values. */
  private requireUnique(values: readonly string[], path: FieldPath): void {
    const duplicates = findDuplicates(values);
    if (duplicates.length > 0) {
      this.errors.push(duplicate(path, duplicates));
    }
  }
}

/** `validatePodNameConstraints`: the message when the name parts exceed the 45-character budget. */
function podNameLengthError(pcsName: string, groupName: string, cliqueName: string): string | undefined {
  const length = byteLength(pcsName) + byteLength(groupName) + byteLength(cliqueName);
  if (length <= MAX_COMBINED_RESOURCE_NAME_LENGTH) {
    return undefined;
  }
  const parts = groupName === ''
    ? `PodCliqueSet '${pcsName}' or PodClique '${cliqueName}'`
    : `PodCliqueSet '${pcsName}', PodCliqueScalingGroup '${groupName}', or PodClique '${cliqueName}'`;
  return `combined resource name length ${length} exceeds ${MAX_COMBINED_RESOURCE_NAME_LENGTH}-character limit required for pod naming. Consider shortening: ${parts}`;
}

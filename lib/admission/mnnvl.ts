/**
 * The `grove.io/mnnvl-group` annotation (VALIDATION.md §6): value and feature-flag checks on CREATE (M1-M3),
 * immutability on UPDATE (M4-M6, matched by clique / scaling-group name, independent of the feature flag).
 */
import { ErrorList, forbidden, invalid } from './errors';
import { FieldPath } from './field-path';
import { goQuote, hasKey } from './json';
import { isDNS1123Label } from './k8s-validation';
import { PodCliqueSetView } from './model';

const MNNVL_GROUP_ANNOTATION = 'grove.io/mnnvl-group';
const OPT_OUT = 'none';

type Annotations = Readonly<Record<string, string>>;

/** An annotation map the rules look at, its path, and how to find its counterpart in the stored object. */
interface AnnotationSite {
  readonly annotations: Annotations;
  readonly path: FieldPath;
  readonly match: (old: PodCliqueSetView) => Annotations | undefined;
}

/** The PodCliqueSet's, each clique's and each scaling group's annotations. */
function annotationSites(pcs: PodCliqueSetView): AnnotationSite[] {
  const template = FieldPath.of('spec', 'template');
  return [
    { annotations: pcs.annotations, path: FieldPath.of('metadata', 'annotations'), match: (old: PodCliqueSetView) => old.annotations },
    ...pcs.cliques.map((c, i) => ({
      annotations: c.annotations,
      path: template.child('cliques').index(i).child('annotations'),
      match: (old: PodCliqueSetView) => old.cliques.find(o => o.name === c.name)?.annotations,
    })),
    ...pcs.scalingGroups.map((g, i) => ({
      annotations: g.annotations,
      path: template.child('podCliqueScalingGroups').index(i).child('annotations'),
      match: (old: PodCliqueSetView) => old.scalingGroups.find(o => o.name === g.name)?.annotations,
    })),
  ];
}

/** `ValidateMNNVLGroupName`: `none` or a DNS-1123 label. */
function groupNameProblem(value: string): string | undefined {
  if (value === '') {
    return 'mnnvl-group value must not be empty';
  }
  if (value === OPT_OUT) {
    return undefined;
  }
  const errs = isDNS1123Label(value);
  return errs.length > 0 ? `mnnvl-group value ${goQuote(value)} is not a valid DNS-1123 label: ${errs.join('; ')}` : undefined;
}

/** M1-M3. */
export function validateMnnvlOnCreate(pcs: PodCliqueSetView, autoMNNVLEnabled: boolean): ErrorList {
  const errs: ErrorList = [];
  for (const { annotations, path } of annotationSites(pcs)) {
    if (!hasKey(annotations, MNNVL_GROUP_ANNOTATION)) {
      continue;
    }
    const value = annotations[MNNVL_GROUP_ANNOTATION];
    const annotationPath = path.child(MNNVL_GROUP_ANNOTATION);
    const problem = groupNameProblem(value);
    if (problem) {
      errs.push(invalid(annotationPath, problem));
    }
    if (!autoMNNVLEnabled && value !== OPT_OUT) {
      errs.push(invalid(annotationPath,
        `MNNVL is not enabled in the operator configuration. Either enable MNNVL globally or remove the ${MNNVL_GROUP_ANNOTATION} annotation`));
    }
  }
  return errs;
}

/** M4-M6; cliques and groups without a counterpart of the same name in `old` are skipped. */
export function validateMnnvlOnUpdate(pcs: PodCliqueSetView, old: PodCliqueSetView): ErrorList {
  const errs: ErrorList = [];
  for (const { annotations, path, match } of annotationSites(pcs)) {
    const previous = match(old);
    if (previous === undefined) {
      continue;
    }
    const key = MNNVL_GROUP_ANNOTATION;
    const annotationPath = path.child(key);
    const had = hasKey(previous, key);
    const has = hasKey(annotations, key);
    if (!had && has) {
      errs.push(forbidden(annotationPath, `annotation ${key} cannot be added after creation`));
    } else if (had && !has) {
      errs.push(forbidden(annotationPath, `annotation ${key} cannot be removed after creation`));
    } else if (had && has && previous[key] !== annotations[key]) {
      errs.push(invalid(annotationPath, `annotation ${key} is immutable and cannot be changed from ${goQuote(previous[key])} to ${goQuote(annotations[key])}`));
    }
  }
  return errs;
}

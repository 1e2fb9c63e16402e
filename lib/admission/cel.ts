/**
 * The CRD's CEL rules (`x-kubernetes-validations`, VALIDATION.md §1.3, C1-C6), evaluated as the API server does on
 * a type-correct PodCliqueSet. C4-C6 are transition rules with `optionalOldSelf`: they only apply on CREATE.
 */
import { ErrorList, forbidden, invalid, required } from './errors';
import { FieldPath } from './field-path';
import { arrayField, hasField, objectField } from './json';
import { AdmissionOperation } from './types';

const PACK_DOMAIN_DEPRECATED = 'packDomain is deprecated and cannot be used on new workloads; use pack.required';

/** Every `topologyConstraint` object of the template with its path, in schema order. */
function topologyConstraints(template: unknown, templatePath: FieldPath): [unknown, FieldPath][] {
  const found: [unknown, FieldPath][] = [];
  const add = (owner: unknown, path: FieldPath) => {
    const tc = objectField(owner, 'topologyConstraint');
    if (tc) {
      found.push([tc, path.child('topologyConstraint')]);
    }
  };
  add(template, templatePath);
  arrayField(template, 'cliques').forEach((c, i) => add(c, templatePath.child('cliques').index(i)));
  arrayField(template, 'podCliqueScalingGroups').forEach((g, i) => add(g, templatePath.child('podCliqueScalingGroups').index(i)));
  return found;
}

/** C1-C3 on one `topologyConstraint`. */
function validateConstraintRules(tc: unknown, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const pack = objectField(tc, 'pack');
  if (!pack && !hasField(tc, 'packDomain')) {
    errs.push(required(path.child('pack'), 'topologyConstraint must specify pack or deprecated packDomain')); // C1
  }
  if (hasField(tc, 'packDomain') && pack && hasField(pack, 'required')) {
    errs.push(invalid(path.child('pack', 'required'), 'must not set both pack.required and deprecated packDomain')); // C2
  }
  if (pack && !hasField(pack, 'required') && !hasField(pack, 'preferred')) {
    errs.push(required(path.child('pack'), 'pack must specify at least one of required or preferred')); // C3
  }
  return errs;
}

/** The CEL rules of the PodCliqueSet CRD. */
export function validateCelRules(pcs: unknown, operation: AdmissionOperation): ErrorList {
  const templatePath = FieldPath.of('spec', 'template');
  const template = objectField(objectField(pcs, 'spec'), 'template');
  const errs: ErrorList = [];
  if (operation === 'CREATE') {
    const usesPackDomain = (owner: unknown) => hasField(objectField(owner, 'topologyConstraint'), 'packDomain');
    if (usesPackDomain(template)) {
      errs.push(forbidden(templatePath.child('topologyConstraint', 'packDomain'), PACK_DOMAIN_DEPRECATED)); // C4
    }
    if (arrayField(template, 'cliques').some(usesPackDomain)) {
      errs.push(forbidden(templatePath.child('cliques'), PACK_DOMAIN_DEPRECATED)); // C5
    }
    if (arrayField(template, 'podCliqueScalingGroups').some(usesPackDomain)) {
      errs.push(forbidden(templatePath.child('podCliqueScalingGroups'), PACK_DOMAIN_DEPRECATED)); // C6
    }
  }
  for (const [tc, path] of topologyConstraints(template, templatePath)) {
    errs.push(...validateConstraintRules(tc, path));
  }
  return errs;
}

/**
 * Rollout plans: what Grove does, step by step, when a PodCliqueSet's pod templates change (GREP-393 Coherent,
 * RollingRecreate, OnDelete), with serving capacity per step and predicted stalls.
 */
export * from './types';
export { coherentStepPlan } from './coherent';
export type { CoherentStepPlan, RawStep, RawSubStep } from './coherent';
export { rollingRecreateSteps } from './rolling-recreate';
export { serving, servingUnit, annotateSteps, unitsOf } from './capacity';
export type { AnnotateOptions, UnitPods, VersionPods } from './capacity';
export { fitsFreeCapacity } from './cluster-fit';
export type { ClusterCapacity, FitVerdict, PodGroup } from './cluster-fit';
export { rolloutModel, defaultedAt } from './model';
export type { RolloutModel } from './model';
export { planRollout } from './plan';
export type { RolloutOptions } from './plan';
export { formatRolloutText, formatRolloutMermaid } from './format';

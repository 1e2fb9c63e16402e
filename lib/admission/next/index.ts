/**
 * Admission rules of the next Grove API level (GREP-393), used by `admit(request, { groveApi: 'next' })`'s pipeline:
 * `applyNextDefaults` from defaulting.ts `applyApiLevelDefaults`, `validateNextPodCliqueSet` from
 * pod-clique-set-admission.ts `apiLevelWebhookRules`.
 */
export * from './rules';

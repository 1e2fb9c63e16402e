export * from './types';
export { validateStructural, walkSchema, WalkOptions } from './structural';
export { validateObjectMeta, ObjectMetaOptions } from './object-meta';
export { listTypeIssues } from './list-type';
export { celIssues, compileCelRule } from './cel';
export { pruneAndDefault } from './prune';
export { GroveApiLevel, GROVE_API_LEVELS, groveCrdVersion, groveCrds } from './api-level';
export * from './crd-types';
export * from './crd';

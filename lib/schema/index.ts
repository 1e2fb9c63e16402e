export * from './types';
export { validateStructural } from './structural';
export { validateObjectMeta, ObjectMetaOptions } from './object-meta';
export * from './crd';

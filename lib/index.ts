export * from './errors';
export * from './grove';
export * from './llm';
export * from './admission';
export * as catalog from './catalog';
export * as rollout from './rollout';
export * as imports from './imports';
export * as cluster from './cluster';
export * from './validation-plugin';

export * from './errors';
export * from './grove';
export * from './llm';
export * from './admission';
export * as catalog from './catalog';
export * as imports from './imports';
export * from './validation-plugin';

export * from './errors';
export * from './grove';
export * from './admission';
export * as imports from './imports';

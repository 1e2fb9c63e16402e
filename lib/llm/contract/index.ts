export * from './contract';
export * from './checks';
export * from './manifest';
export * from './requirements';

export * from './node-skus';
export * from './models';
export * from './gangs';

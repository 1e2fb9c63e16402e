/**
 * The reusable Pulumi components of cdk8s-grove (`cdk8s-grove/infra`). Re-exports only.
 *
 * Kept apart from the package root (`lib/index.ts`), which never imports Pulumi, and from the program
 * (`infra/index.ts`), which runs on import. What is a function of the program's own stack configuration (e.g.
 * `stackProvides`, published as the stack output `provides`) stays with the program: its config type is zod's, and
 * zod's declarations do not type-check under a user's tsconfig without `esModuleInterop`.
 */
export * from './aks-cluster';
export * from './aks-access';
export * from './aks-maintenance';
export * from './kubelogin';
export * from './gpu-node-pool';
export * from './gpu-operator';
export * from './network-operator';
export * from './kai-queue';
export * from './kai-scheduler';
export * from './grove-operator';
export * from './grove-workloads';
export * from './app-services';
export * from './update-guard';
export * from './stack-secrets';
export * from './capacity';
export * from './errors';
export * from './versions';
export type { AppContext, AppFactory, AppRegistry } from './apps';

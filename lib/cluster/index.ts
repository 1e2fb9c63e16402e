/**
 * One model of the cluster and one placement engine: the cluster's pools, nodes, taints, labels, allocatable and
 * installed extras (`model.ts`, `file.ts`), the pods of every PodGang as the scheduler sees them (`workload.ts`),
 * the scheduler's filters (`predicates.ts`), all-or-nothing gang placement (`place.ts`, `simulate.ts`), the
 * references a cluster lacks (`references.ts`) and pictures of a placement (`render-svg.ts`, `render-mermaid.ts`).
 */
export * from './model';
// The zod schema itself stays internal: its types would put zod's declarations into every user's type-check.
export { clusterFileJsonSchema, clusterModelFromFile, parseTaint } from './file';
export * from './workload';
export * from './predicates';
export * from './place';
export * from './simulate';
export * from './references';

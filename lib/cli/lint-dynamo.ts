/**
 * The Dynamo rule family of `cdk8s-grove lint`: the runtime contract of `lib/llm/contract` checked on any YAML
 * (construct output, hand-written manifests, the Dynamo operator's own output). Rules: dynamo-discovery-labels,
 * dynamo-discovery-backend, dynamo-kv-connector, dynamo-kv-block-size, dynamo-gpu-autoscaling, dynamo-references,
 * dynamo-pod. What exists is compared with what the pods reference by lib/cluster's references.
 */
import { ClusterModel, createdBy } from '../cluster';
import { componentPods, contractIssues, serviceViews } from '../llm/contract';
import { SourceObject, objectLabel } from './input';
import { Finding } from './output';

/**
 * What exists for the pods: the objects of the input (Secrets with their keys, claims with their access modes,
 * CRDs), the `Kind/name` objects declared with `--present` (in every namespace), and the cluster file's.
 */
export function existingObjects(objects: readonly SourceObject[], present: readonly string[], cluster?: ClusterModel): ClusterModel {
  const created = createdBy(objects.map(o => o.object));
  const declared = (kind: string) => present.filter(p => p.startsWith(`${kind}/`)).map(p => p.slice(kind.length + 1));
  return {
    pools: cluster?.pools ?? [],
    secrets: [...created.secrets, ...declared('Secret'), ...(cluster?.secrets ?? [])],
    claims: [...created.claims, ...declared('PersistentVolumeClaim'), ...(cluster?.claims ?? [])],
    crds: [...created.crds, ...declared('CustomResourceDefinition'), ...(cluster?.crds ?? [])],
    queues: [...created.queues, ...(cluster?.queues ?? [])],
  };
}

/**
 * Findings of the Dynamo rules.
 *
 * @param objects every object of the input
 * @param present objects declared to exist in the cluster (`Kind/name`, from `--present`)
 * @param cluster the cluster model of `--cluster FILE`, when given
 */
export function dynamoFindings(objects: readonly SourceObject[], present: readonly string[], cluster?: ClusterModel): Finding[] {
  const sources = objects.map(o => ({ src: o, object: o.object as Record<string, any> }));
  const issues = contractIssues(componentPods(sources), serviceViews(sources), { cluster: existingObjects(objects, present, cluster) });
  return issues.map(i => ({
    severity: i.severity,
    file: i.src.file,
    line: i.src.lineOf(i.field),
    objectLine: i.src.line,
    object: objectLabel(i.src.object),
    field: i.field,
    message: i.message,
    fix: i.fix,
    rule: i.rule,
  }));
}

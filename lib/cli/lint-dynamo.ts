/**
 * The Dynamo rule family of `cdk8s-grove lint`: the runtime contract of `lib/llm/contract` checked on any YAML
 * (construct output, hand-written manifests, the Dynamo operator's own output). Rules: dynamo-discovery-labels,
 * dynamo-discovery-backend, dynamo-kv-connector, dynamo-kv-block-size, dynamo-gpu-autoscaling, dynamo-references,
 * dynamo-pod.
 */
import { ContractContext, componentPods, contractIssues, namespaceOf, serviceViews } from '../llm/contract';
import { SourceObject, objectLabel } from './input';
import { Finding } from './output';

const rec = (v: unknown): Record<string, any> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, any> : {});

/** What the input holds besides the pods: CRDs, Secrets with their keys, claims with their access modes. */
function contextOf(objects: readonly SourceObject[], present: readonly string[]): ContractContext {
  const crds = new Set<string>();
  const secrets = new Map<string, Set<string>>();
  const claims = new Map<string, string[]>();
  for (const { object } of objects) {
    const name = String(rec(object.metadata).name ?? '');
    if (object.kind === 'CustomResourceDefinition') crds.add(name);
    if (object.kind === 'Secret') {
      secrets.set(`${namespaceOf(object)}/${name}`, new Set([...Object.keys(rec(object.data)), ...Object.keys(rec(object.stringData))]));
    }
    if (object.kind === 'PersistentVolumeClaim') {
      const modes = rec(object.spec).accessModes;
      claims.set(`${namespaceOf(object)}/${name}`, Array.isArray(modes) ? modes.map(String) : []);
    }
  }
  return { crds, secrets, claims, present: new Set(present) };
}

/**
 * Findings of the Dynamo rules.
 *
 * @param objects every object of the input
 * @param present objects declared to exist in the cluster (`Kind/name`, from `--present`)
 */
export function dynamoFindings(objects: readonly SourceObject[], present: readonly string[]): Finding[] {
  const sources = objects.map(o => ({ src: o, object: o.object as Record<string, any> }));
  const issues = contractIssues(componentPods(sources), serviceViews(sources), contextOf(objects, present));
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

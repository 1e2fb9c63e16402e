/**
 * Scheduler rules: every clique must resolve to the same enabled backend (V38, V39), and the backend's own
 * `ValidatePodCliqueSet` (VALIDATION.md §8: B0-B11), reported by the webhook as `Invalid @ spec`.
 */
import { ClusterObjects } from './cluster';
import {
  KAI_SCHEDULER, LPX_SCHEDULER, SchedulerRegistry, VOLCANO_SCHEDULER, resolveSchedulerName,
} from './config';
import { ErrorList, invalid } from './errors';
import { FieldPath } from './field-path';
import { goList, goQuote, unique } from './json';
import { isDNS1123Subdomain } from './k8s-validation';
import { PodCliqueSetView, hasAnyTopologyConstraint } from './model';

/** V38 and V39, on a non-empty clique list (with none, Grove's webhook panics first: quirk Q1). */
export function validateSchedulerNames(pcs: PodCliqueSetView, registry: SchedulerRegistry, cliquesPath: FieldPath): ErrorList {
  const path = cliquesPath.child('spec', 'podSpec', 'schedulerName');
  const names = unique(pcs.cliques.map(c => resolveSchedulerName(registry, c.podSpec.schedulerName)));
  const errs: ErrorList = [];
  if (names.length > 1) {
    errs.push(invalid(path, 'the schedulerName for all pods have to be the same'));
  }
  if (names.length > 0 && !registry.enabled.has(names[0])) {
    errs.push(invalid(path, 'schedulerName must be an enabled scheduler backend; this scheduler is not enabled in OperatorConfiguration'));
  }
  return errs;
}

/**
 * The backend check, run on the backend of `cliques[0]` (all cliques share it once V38 passes). Returns the
 * backend's error message, or `undefined`.
 */
export function validateWithBackend(pcs: PodCliqueSetView, registry: SchedulerRegistry, cluster: ClusterObjects): string | undefined {
  const schedulerName = pcs.cliques[0]?.podSpec.schedulerName ?? '';
  const backend = resolveSchedulerName(registry, schedulerName);
  if (!registry.enabled.has(backend)) {
    return schedulerName === '' ? 'default scheduler backend is not configured' : `schedulerName ${goQuote(schedulerName)} is not enabled in OperatorConfiguration`;
  }
  switch (backend) {
    case KAI_SCHEDULER:
      return validateKaiQueue(pcs);
    case VOLCANO_SCHEDULER:
      return validateVolcanoTopology(pcs) ?? validateVolcanoQueue(pcs, cluster);
    case LPX_SCHEDULER:
      return hasAnyTopologyConstraint(pcs)
        ? 'lpx-scheduler does not support Grove topology constraints; placement topology must be expressed through the LPX workload contract'
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- KAI (B1-B3)

const KAI_QUEUE_KEY = 'kai.scheduler/queue';

/** The KAI queue of one object: label first, then annotation. */
function kaiQueue(labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): string {
  return labels[KAI_QUEUE_KEY] || annotations[KAI_QUEUE_KEY] || '';
}

function validateKaiQueue(pcs: PodCliqueSetView): string | undefined {
  const owner = `${pcs.namespace}/${pcs.name}`;
  const pcsQueue = kaiQueue(pcs.labels, pcs.annotations);
  if (pcsQueue !== '') {
    const conflicting = pcs.cliques.find(c => kaiQueue(c.labels, c.annotations) !== '' && kaiQueue(c.labels, c.annotations) !== pcsQueue);
    return conflicting
      ? `KAI queue on PodCliqueSet ${owner} is ${goQuote(pcsQueue)} but PodClique template ${goQuote(conflicting.name)} resolves to ${goQuote(kaiQueue(conflicting.labels, conflicting.annotations))}`
      : undefined;
  }
  const queues = unique(pcs.cliques.map(c => kaiQueue(c.labels, c.annotations)).filter(q => q !== '')).sort();
  if (queues.length === 0) {
    return `no KAI queue is configured on PodCliqueSet ${owner} or its PodClique templates`;
  }
  return queues.length > 1 ? `conflicting KAI queues on PodCliqueSet ${owner} PodClique templates: ${goList(queues)}` : undefined;
}

// ---------------------------------------------------------------- Volcano (B4-B10)

const VOLCANO_QUEUE_KEY = 'scheduling.grove.io/volcano-queue';
const VOLCANO_DEFAULT_QUEUE = 'default';

function validateVolcanoTopology(pcs: PodCliqueSetView): string | undefined {
  const prefix = 'volcano scheduler backend does not support topologyConstraint on';
  if (pcs.topologyConstraint) {
    return `${prefix} PodCliqueSet`;
  }
  const clique = pcs.cliques.find(c => c.topologyConstraint);
  if (clique) {
    return `${prefix} PodClique ${goQuote(clique.name)}`;
  }
  const group = pcs.scalingGroups.find(g => g.topologyConstraint);
  return group ? `${prefix} PodCliqueScalingGroup ${goQuote(group.name)}` : undefined;
}

function volcanoQueue(annotations: Readonly<Record<string, string>>): string {
  return (annotations[VOLCANO_QUEUE_KEY] ?? '').trim();
}

/** The annotation's syntax errors, prefixed with its path, or `undefined`. */
function volcanoQueueSyntaxError(queue: string, path: FieldPath): string | undefined {
  const errs = queue === '' ? [] : isDNS1123Subdomain(queue);
  return errs.length > 0 ? `${path}: ${errs.join('; ')}` : undefined;
}

/**
 * grove operator/internal/scheduler/volcano/queue.go `validateQueueAnnotations`: every clique's problem is collected
 * (`utilerrors.NewAggregate`), not only the first; the existence check runs only when there is none.
 */
function validateVolcanoQueue(pcs: PodCliqueSetView, cluster: ClusterObjects): string | undefined {
  const pcsQueue = volcanoQueue(pcs.annotations);
  const pcsError = volcanoQueueSyntaxError(pcsQueue, FieldPath.of('metadata', 'annotations').key(VOLCANO_QUEUE_KEY));
  if (pcsError) {
    return pcsError;
  }
  const errs: string[] = [];
  let resolved = '';
  for (const [i, clique] of pcs.cliques.entries()) {
    const path = FieldPath.of('spec', 'template', 'cliques').index(i).child('annotations').key(VOLCANO_QUEUE_KEY);
    const cliqueQueue = volcanoQueue(clique.annotations);
    const syntaxError = volcanoQueueSyntaxError(cliqueQueue, path);
    if (syntaxError) {
      errs.push(syntaxError);
    }
    const queue = resolveCliqueVolcanoQueue(pcsQueue, cliqueQueue, path);
    if (queue.error) {
      errs.push(queue.error);
      continue;
    }
    if (resolved === '') {
      resolved = queue.name;
    } else if (queue.name !== resolved) {
      errs.push(`${path}: all PodCliques in a PodCliqueSet using volcano scheduler must resolve to the same queue`);
    }
  }
  if (errs.length > 0) {
    return aggregate(errs);
  }
  const name = resolved || (pcsQueue || VOLCANO_DEFAULT_QUEUE);
  const state = cluster.volcanoQueueState(name);
  if (state === undefined) {
    return `volcano queue ${goQuote(name)} does not exist`;
  }
  return state === 'Open' ? undefined : `volcano queue ${goQuote(name)} is not Open`;
}

/** `utilerrors.NewAggregate(errs).Error()` (k8s.io/apimachinery pkg/util/errors): one message, or `[a, b]`, repeats once. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** queue.go `resolvePodCliqueQueue`: PCS and clique annotations must agree when both are set. */
function resolveCliqueVolcanoQueue(pcsQueue: string, cliqueQueue: string, path: FieldPath): { name: string; error?: string } {
  if (pcsQueue !== '' && cliqueQueue !== '' && pcsQueue !== cliqueQueue) {
    return {
      name: '',
      error: `${path}: conflicting volcano queue annotations: PodCliqueSet has ${goQuote(pcsQueue)}, PodClique has ${goQuote(cliqueQueue)}`,
    };
  }
  return { name: cliqueQueue || pcsQueue || VOLCANO_DEFAULT_QUEUE };
}

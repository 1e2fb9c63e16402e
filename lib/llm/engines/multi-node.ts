/**
 * How the pods of one multi-node engine instance find each other inside a Grove PodCliqueScalingGroup.
 *
 * Grove injects these variables into every container of a scaling-group pod (grove/API.md §7.2):
 * `GROVE_PCSG_NAME` (`<pcs>-<i>-<pcsg>`), `GROVE_PCSG_INDEX` (the gang replica), `GROVE_HEADLESS_SERVICE`
 * (`<pcs>-<i>.<namespace>.svc.cluster.local`) and `GROVE_PCLQ_POD_INDEX` (the pod's index in its clique).
 * Pod hostnames are `<PodClique FQN>-<pod index>` under the headless service, and a scaling-group clique's
 * FQN is `<pcs>-<i>-<pcsg>-<replica>-<clique>`. The Dynamo operator's `GroveMultinodeDeployer` builds the
 * addresses below from exactly these variables (GROVE_TRANSLATION.md §5).
 */
import { ValidationProblem } from '../../errors';
import { MultiNodeStartOrder } from './types';

/** Names of the Grove-injected environment variables used for rendezvous (grove/API.md §7.2). */
export const GroveEnv = {
  /** Scaling-group FQN without replica index. */
  PCSG_NAME: 'GROVE_PCSG_NAME',
  /** Scaling-group replica index (which engine instance). */
  PCSG_INDEX: 'GROVE_PCSG_INDEX',
  /** FQDN of the PodCliqueSet replica's headless service. */
  HEADLESS_SERVICE: 'GROVE_HEADLESS_SERVICE',
  /** Index of the pod within its clique. */
  PCLQ_POD_INDEX: 'GROVE_PCLQ_POD_INDEX',
} as const;

/**
 * Shell expression for a worker pod's node rank: the worker clique's pod index plus one, so the leader is
 * rank 0 and workers are 1..nodes-1 (GROVE_TRANSLATION.md §5; GOLDEN.md G2 worker-wkr args). It needs a
 * shell (`/bin/sh -c`), because the kubelet does not evaluate arithmetic.
 */
export const GROVE_WORKER_NODE_RANK = `$((${GroveEnv.PCLQ_POD_INDEX} + 1))`;

/**
 * DNS name of pod `index` of clique `clique` in the same scaling-group replica, as a Kubernetes `$(VAR)`
 * template: `$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-<clique>-<index>.$(GROVE_HEADLESS_SERVICE)`.
 *
 * @param clique clique name inside the scaling group (e.g. `prefill-wkr`)
 * @param index pod index within that clique
 */
export function groveSiblingHost(clique: string, index: number): string {
  return `$(${GroveEnv.PCSG_NAME})-$(${GroveEnv.PCSG_INDEX})-${clique}-${index}.$(${GroveEnv.HEADLESS_SERVICE})`;
}

/**
 * DNS name of the leader pod (pod 0 of the leader clique) of this engine instance, e.g.
 * `$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)-prefill-ldr-0.$(GROVE_HEADLESS_SERVICE)` (GOLDEN.md G2, G3).
 *
 * @param leaderClique leader clique name (e.g. `prefill-ldr`)
 */
export function groveLeaderHost(leaderClique: string): string {
  return groveSiblingHost(leaderClique, 0);
}

/**
 * All hosts of one engine instance, leader first, then worker pods 0..nodes-2 (the TRT-LLM mpirun host
 * list; GROVE_TRANSLATION.md §5).
 *
 * @param cliques leader and worker clique names
 * @param nodes pods per engine instance
 */
export function groveInstanceHosts(cliques: { readonly leaderClique: string; readonly workerClique: string }, nodes: number): string[] {
  const hosts = [groveLeaderHost(cliques.leaderClique)];
  for (let i = 0; i < nodes - 1; i++) {
    hosts.push(groveSiblingHost(cliques.workerClique, i));
  }
  return hosts;
}

/**
 * A unique-per-engine-instance identifier built from Grove variables, `$(GROVE_PCSG_NAME)-$(GROVE_PCSG_INDEX)`.
 */
export const GROVE_INSTANCE_ID = `$(${GroveEnv.PCSG_NAME})-$(${GroveEnv.PCSG_INDEX})`;

/**
 * The `startsAfter` lists a start order implies, keyed by clique name.
 *
 * `LEADER_AFTER_WORKERS` gives `{ <leader>: [<worker>], <worker>: [] }`, which is what the Dynamo operator
 * emits for TRT-LLM multi-node (GROVE_TRANSLATION.md §5, `applyCliqueStartupDependencies`). `ANY_ORDER`
 * gives empty lists.
 *
 * @param order the start order
 * @param cliques leader and worker clique names
 */
export function startsAfterFor(
  order: MultiNodeStartOrder,
  cliques: { readonly leaderClique: string; readonly workerClique: string },
): Readonly<Record<string, readonly string[]>> {
  if (order === MultiNodeStartOrder.LEADER_AFTER_WORKERS) {
    return { [cliques.leaderClique]: [cliques.workerClique], [cliques.workerClique]: [] };
  }
  return { [cliques.leaderClique]: [], [cliques.workerClique]: [] };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Problems with a clique name used in a pod DNS name (must be a lowercase DNS label).
 *
 * @param locator where the name comes from, for the error
 * @param field the option name
 * @param name the clique name
 */
export function cliqueNameProblems(locator: string, field: string, name: string): ValidationProblem[] {
  if (DNS_LABEL.test(name) && name.length <= 63) {
    return [];
  }
  return [{
    constructPath: locator,
    field,
    message: 'must be a lowercase DNS label (a-z, 0-9, "-", at most 63 characters)',
    value: name,
    fix: 'use the clique name exactly as it appears in the PodCliqueScalingGroup',
  }];
}


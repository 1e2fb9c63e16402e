/**
 * What Grove's controllers do today for `RollingRecreate` within one PodCliqueSet replica (ai-dynamo/grove at the
 * pinned commit fcc3b3bb):
 *
 * - operator/internal/controller/podcliqueset/components/podcliquesetreplica/rollingupdate.go: one PodCliqueSet
 *   replica at a time (`CurrentlyUpdating[0]`), unscheduled replicas first, then replicas with `MinAvailableBreached`,
 *   then ascending index; a replica is done when every standalone PodClique and every scaling group has converged.
 * - operator/internal/controller/podclique/components/pod/rollingupdate.go: a standalone PodClique replaces one ready
 *   old pod at a time (oldest first), and only picks the next one while `readyReplicas >= minAvailable`; old pods
 *   that are not ready are deleted at once.
 * - operator/internal/controller/podcliquescalinggroup/components/podclique/rollingupdate.go: a scaling group deletes
 *   and recreates one whole replica (all member PodCliques) at a time, lowest index first, and only picks the next
 *   one while `availableReplicas >= minAvailable`.
 *
 * The PodCliques and scaling groups of a replica run these loops independently and at the same time. The plan shows
 * them in rounds, as if every replacement took equally long: in each round every component that still has old units
 * replaces up to `maxUnavailable` of them (1 at the pinned commit; at the `next` level the per-component
 * `rollingUpdate.maxUnavailable`, GREP-393 "RollingUpdateConfiguration"). Components roll at different rates, so
 * old and new versions of different roles mix: the stranded capacity the Coherent strategy avoids. Pure.
 */
import { RawStep } from './coherent';
import { RolloutComponent } from './types';

/** The rounds of a RollingRecreate update of one replica. */
export function rollingRecreateSteps(components: readonly RolloutComponent[]): RawStep[] {
  const scope = components.filter(c => c.inScope && c.replicas > 0);
  const left = new Map(scope.map(c => [c.name, c.replicas]));
  const steps: RawStep[] = [];
  // a budget of 0 never takes anything down: the caller reports it as a stall, and the round loop skips it
  const moving = scope.filter(c => c.maxUnavailable > 0);
  while (moving.some(c => (left.get(c.name) ?? 0) > 0)) {
    const take: Record<string, number> = {};
    for (const c of moving) {
      const n = Math.min(left.get(c.name) ?? 0, c.maxUnavailable);
      if (n > 0) {
        take[c.name] = n;
        left.set(c.name, (left.get(c.name) ?? 0) - n);
      }
    }
    steps.push({ kind: 'Round', target: take, subSteps: [{ take }] });
  }
  return steps;
}

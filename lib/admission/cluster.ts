/**
 * Lookups of pre-existing cluster objects (`AdmissionRequest.clusterObjects`), standing in for the webhook's API
 * client: ClusterTopologyBindings by name, Volcano queues by name.
 */
import { arrayField, field, objectField, stringField } from './json';

/** Existing cluster objects. */
export class ClusterObjects {
  constructor(private readonly objects: readonly unknown[]) {}

  /** The domains of the named ClusterTopologyBinding's levels, in order, or `undefined` when it does not exist. */
  public topologyDomains(name: string): string[] | undefined {
    const ctb = this.find(o => field(o, 'kind') === 'ClusterTopologyBinding' && inGroup(o, 'grove.io') && nameOf(o) === name);
    return ctb === undefined ? undefined : arrayField(objectField(ctb, 'spec'), 'levels').map(l => stringField(l, 'domain'));
  }

  /** The `status.state` of the named Volcano queue, or `undefined` when it does not exist. */
  public volcanoQueueState(name: string): string | undefined {
    const queue = this.find(o => field(o, 'kind') === 'Queue' && inGroup(o, 'scheduling.volcano.sh') && nameOf(o) === name);
    return queue === undefined ? undefined : stringField(objectField(queue, 'status'), 'state');
  }

  private find(predicate: (o: unknown) => boolean): unknown {
    return this.objects.find(predicate);
  }
}

function nameOf(obj: unknown): string {
  return stringField(objectField(obj, 'metadata'), 'name');
}

/** True when the object's apiVersion is in `group` (a missing apiVersion is accepted). */
function inGroup(obj: unknown, group: string): boolean {
  const apiVersion = stringField(obj, 'apiVersion');
  return apiVersion === '' || apiVersion.startsWith(`${group}/`);
}

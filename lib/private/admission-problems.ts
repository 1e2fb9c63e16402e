import type { AdmissionResponse } from '../admission';
import { ValidationProblem } from '../errors';

/**
 * Turns what `admit()` refused into validation problems, each placed on the construct that renders the
 * offending field (`pathOf(field)`), with a hint how to fix it.
 */
export function admissionProblems(response: AdmissionResponse, pathOf: (field: string) => string): ValidationProblem[] {
  return response.errors.map(e => ({
    constructPath: pathOf(e.field),
    field: e.field,
    message: `Grove's admission webhook would refuse this (${e.type}): ${e.detail}`,
    fix: fixFor(e.field, e.detail),
  }));
}

const HINTS: [RegExp, string][] = [
  [/topology.*(disabled|not enabled)|disabled.*topology/i,
    'enable topology-aware scheduling in the Grove operator and say so with GroveOperatorConfig.set(app, { topologyAwareScheduling: true }), or remove the topology constraint'],
  [/mnnvl/i, 'enable auto-MNNVL in the Grove operator (GroveOperatorConfig.set(app, { autoMNNVLEnabled: true })) or remove the mnnvlGroup'],
  [/scheduler/i, 'use a scheduler profile enabled in the Grove operator (PodCliqueSet `scheduler` prop), or enable it with GroveOperatorConfig.set(app, { schedulerProfiles: [...] })'],
  [/cycle|circular/i, 'remove one dependency of the cycle from startsAfter'],
  [/startsAfter/i, 'make startsAfter name only other cliques of the same PodCliqueSet'],
  [/length|too long|characters/i, 'shorten the PodCliqueSet, scaling group or clique name (`name` / `metadata.name`)'],
  [/minAvailable|minReplicas|maxReplicas|replicas/i, 'keep 1 <= minAvailable <= replicas and minAvailable <= autoScaling.minReplicas <= autoScaling.maxReplicas'],
];

function fixFor(field: string, detail: string): string {
  const text = `${field} ${detail}`;
  const hint = HINTS.find(([re]) => re.test(text));
  return hint ? hint[1] : `change the prop that renders ${field}`;
}

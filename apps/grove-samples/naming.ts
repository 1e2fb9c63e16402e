import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PodCliqueSet } from '../../lib';
import { echoContainer, FAKE_NODE } from './demo';

const tolerations = [FAKE_NODE];

/**
 * Grove's pod and resource naming example: a standalone frontend plus prefill and decode leader/worker groups.
 * Pods are named `mn-disagg-0-frontend-<k>`, `mn-disagg-0-prefill-<j>-pleader-<k>`, ...
 *
 * Difference from the upstream sample: upstream omits `roleName` on `frontend`, which the pinned CRD requires;
 * cdk8s-grove always writes it (defaulting to the clique name).
 */
export class MultinodeDisaggregatedWithFrontend extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'mn-disagg', namespace: 'default' } });
    pcs.addClique('frontend', { replicas: 2, tolerations, containers: [echoContainer('frontend', 'Frontend')] });
    const prefill = pcs.addScalingGroup('prefill', { replicas: 2 });
    prefill.addClique('pleader', { replicas: 1, tolerations, containers: [echoContainer('pleader', 'Prefill Leader')] });
    prefill.addClique('pworker', { replicas: 3, tolerations, containers: [echoContainer('pworker', 'Prefill Worker')] });
    const decode = pcs.addScalingGroup('decode', { replicas: 1 });
    decode.addClique('dleader', { replicas: 1, tolerations, containers: [echoContainer('dleader', 'Decode Leader')] });
    decode.addClique('dworker', { replicas: 2, tolerations, containers: [echoContainer('dworker', 'Decode Worker')] });
  }
}

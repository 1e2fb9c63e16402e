import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PodCliqueSet } from '../../lib';
import { echoContainer, FAKE_NODE } from './demo';

const tolerations = [FAKE_NODE];

/** Single-node aggregated serving: one clique, each pod a complete model instance. */
export class SingleNodeAggregated extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'single-node-aggregated', namespace: 'default' } });
    pcs.addClique('model-worker', { replicas: 2, tolerations, containers: [echoContainer('model-worker', 'Model Worker (Aggregated) on node:')] });
  }
}

/** Single-node disaggregated serving: prefill and decode as separate cliques that scale on their own. */
export class SingleNodeDisaggregated extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'single-node-disaggregated', namespace: 'default' } });
    pcs.addClique('prefill', { replicas: 3, tolerations, containers: [echoContainer('prefill', 'Prefill Worker on node:')] });
    pcs.addClique('decode', { replicas: 2, tolerations, containers: [echoContainer('decode', 'Decode Worker on node:')] });
  }
}

/** Multi-node aggregated serving: each model instance is a leader and three workers that scale together. */
export class MultiNodeAggregated extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'multinode-aggregated', namespace: 'default' } });
    const instance = pcs.addScalingGroup('model-instance', { replicas: 2 });
    instance.addClique('leader', { replicas: 1, tolerations, containers: [echoContainer('model-leader', 'Model Leader (Aggregated) on node:')] });
    instance.addClique('worker', { replicas: 3, tolerations, containers: [echoContainer('model-worker', 'Model Worker (Aggregated) on node:')] });
  }
}

/** Multi-node disaggregated serving: prefill and decode each a leader/worker scaling group. */
export class MultiNodeDisaggregated extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'multinode-disaggregated', namespace: 'default' } });
    const prefill = pcs.addScalingGroup('prefill', { replicas: 2 });
    prefill.addClique('pleader', { replicas: 1, tolerations, containers: [echoContainer('prefill-leader', 'Prefill Leader on node:')] });
    prefill.addClique('pworker', { replicas: 4, tolerations, containers: [echoContainer('prefill-worker', 'Prefill Worker on node:')] });
    const decode = pcs.addScalingGroup('decode', { replicas: 1 });
    decode.addClique('dleader', { replicas: 1, tolerations, containers: [echoContainer('decode-leader', 'Decode Leader on node:')] });
    decode.addClique('dworker', { replicas: 2, tolerations, containers: [echoContainer('decode-worker', 'Decode Worker on node:')] });
  }
}

/**
 * A complete inference pipeline: single-node frontend and vision encoder, multi-node prefill and decode.
 * Shows that a PodCliqueSet holds any number of single-node and multi-node components.
 */
export class CompleteInferencePipeline extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'comp-inf-ppln', namespace: 'default' } });
    pcs.addClique('frontend', { replicas: 2, tolerations, containers: [echoContainer('frontend', 'Frontend Service on node:')] });
    pcs.addClique('vision-encoder', { replicas: 1, tolerations, containers: [echoContainer('vision-encoder', 'Vision Encoder on node:')] });
    const prefill = pcs.addScalingGroup('prefill', { replicas: 1 });
    prefill.addClique('pleader', { replicas: 1, tolerations, containers: [echoContainer('prefill-leader', 'Prefill Leader on node:')] });
    prefill.addClique('pworker', { replicas: 4, tolerations, containers: [echoContainer('prefill-worker', 'Prefill Worker on node:')] });
    const decode = pcs.addScalingGroup('decode-cluster', { replicas: 1 });
    decode.addClique('dleader', { replicas: 1, tolerations, containers: [echoContainer('decode-leader', 'Decode Leader on node:')] });
    decode.addClique('dworker', { replicas: 2, tolerations, containers: [echoContainer('decode-worker', 'Decode Worker on node:')] });
  }
}

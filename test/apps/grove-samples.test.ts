/**
 * Each upstream Grove sample (samples/sample__*.yaml) is reproduced by a chart in apps/grove-samples, and the
 * synthesized PodCliqueSet equals the upstream one once both went through Grove's defaulting webhook.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as samples from '../../apps/grove-samples';
import { defaultPodCliqueSet } from '../../lib';
import { describeWithReference, readReferenceYaml } from '../support/reference';
import { expectSchemaValid } from '../support/schema';

type ChartClass = new (scope: Construct, id: string) => Chart;

/** Upstream samples that omit the CRD-required `roleName` on these cliques; cdk8s-grove writes the clique name. */
const MISSING_ROLE_NAME: { [file: string]: string[] } = {
  'sample__user-guide_02_pod-and-resource-naming-conventions_multinode-disaggregated-with-frontend.yaml': ['frontend'],
  'sample__user-guide_03_environment-variables-for-pod-discovery_standalone-env-vars.yaml': ['frontend'],
};

const CASES: [string, ChartClass][] = [
  ['sample__simple_simple1.yaml', samples.Simple1],
  ['sample__simple_simple2-explicit-startup-order.yaml', samples.Simple2],
  ['sample__simple_simple3-explicit-startup-order.yaml', samples.Simple3],
  ['sample__user-guide_01_core-concepts_single-node-aggregated.yaml', samples.SingleNodeAggregated],
  ['sample__user-guide_01_core-concepts_single-node-disaggregated.yaml', samples.SingleNodeDisaggregated],
  ['sample__user-guide_01_core-concepts_multi-node-aggregated.yaml', samples.MultiNodeAggregated],
  ['sample__user-guide_01_core-concepts_multi-node-disaggregated.yaml', samples.MultiNodeDisaggregated],
  ['sample__user-guide_01_core-concepts_complete-inference-pipeline.yaml', samples.CompleteInferencePipeline],
  ['sample__user-guide_02_pod-and-resource-naming-conventions_multinode-disaggregated-with-frontend.yaml', samples.MultinodeDisaggregatedWithFrontend],
  ['sample__user-guide_03_environment-variables-for-pod-discovery_standalone-env-vars.yaml', samples.StandaloneEnvVars],
  ['sample__user-guide_03_environment-variables-for-pod-discovery_pcsg-env-vars.yaml', samples.PcsgEnvVars],
];

function synthPcs(chartClass: ChartClass): any {
  const chart = new chartClass(new App(), 'test');
  const objects = chart.toJson();
  expect(objects).toHaveLength(1);
  expectSchemaValid(objects);
  return objects[0];
}

function withRoleNames(sample: any, cliques: string[]): any {
  const copy = JSON.parse(JSON.stringify(sample));
  for (const c of copy.spec.template.cliques) {
    if (cliques.includes(c.name)) {
      expect(c.spec.roleName).toBeUndefined();
      c.spec.roleName = c.name;
    }
  }
  return copy;
}

describeWithReference('upstream Grove samples are reproduced by construct programs', () => {
  test('every sample__*.yaml upstream has a reproduction', () => {
    const fs = require('fs') as typeof import('fs');
    const { referencePath } = require('../support/reference');
    const files = fs.readdirSync(referencePath('grove', 'samples')).filter((f: string) => f.startsWith('sample__'));
    expect(files.sort()).toEqual(CASES.map(([f]) => f).sort());
  });

  test.each(CASES)('%s', (file, chartClass) => {
    const [upstream] = readReferenceYaml('grove', 'samples', file);
    const ours = synthPcs(chartClass);
    const expected = withRoleNames(upstream, MISSING_ROLE_NAME[file] ?? []);
    // cdk8s-grove always writes the strategy; at the pinned commit an unset one is RollingRecreate
    // (operator/internal/controller/common/component/utils/podcliqueset.go, IsAutoUpdateStrategy)
    expect(ours.spec.updateStrategy).toEqual({ type: 'RollingRecreate' });
    expected.spec.updateStrategy ??= { type: 'RollingRecreate' };
    expect(defaultPodCliqueSet(ours)).toEqual(defaultPodCliqueSet(expected));
  });
});

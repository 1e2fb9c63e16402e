import { Construct } from 'constructs';
import { CompleteInferencePipeline, MultiNodeAggregated, MultiNodeDisaggregated, SingleNodeAggregated, SingleNodeDisaggregated } from './core-concepts';
import { PcsgEnvVars, StandaloneEnvVars } from './env-vars';
import { MultinodeDisaggregatedWithFrontend } from './naming';
import { Simple1, Simple2, Simple3 } from './simple';

export * from './core-concepts';
export * from './env-vars';
export * from './naming';
export * from './simple';

/** Adds one chart per upstream Grove sample to `app`; chart ids become the file names in dist/. */
export function addGroveSamples(app: Construct): void {
  new Simple1(app, 'grove-simple1');
  new Simple2(app, 'grove-simple2');
  new Simple3(app, 'grove-simple3');
  new SingleNodeAggregated(app, 'grove-single-node-aggregated');
  new SingleNodeDisaggregated(app, 'grove-single-node-disaggregated');
  new MultiNodeAggregated(app, 'grove-multi-node-aggregated');
  new MultiNodeDisaggregated(app, 'grove-multi-node-disaggregated');
  new CompleteInferencePipeline(app, 'grove-complete-inference-pipeline');
  new MultinodeDisaggregatedWithFrontend(app, 'grove-naming-multinode-disaggregated');
  new StandaloneEnvVars(app, 'grove-env-vars-standalone');
  new PcsgEnvVars(app, 'grove-env-vars-pcsg');
}

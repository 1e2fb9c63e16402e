import { App } from 'cdk8s';
import { addGroveSamples } from './grove-samples';
import { addLlmApps } from './llm';

/** The example apps `npm run synth` (= `cdk8s synth`) writes to dist/, one file per chart. */
const app = new App();
addLlmApps(app);
addGroveSamples(app);
app.synth();

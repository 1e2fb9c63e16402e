/**
 * One LLM service (disaggregated, vLLM) rendered in its own process and written to stdout, the way a GitOps tool
 * renders one application: what `npm run bench` times as "one service, cold".
 */
import { App, Chart } from 'cdk8s';
import { addService } from './fleet';

const app = new App();
addService(new Chart(app, 'svc'), 1);
process.stdout.write(app.synthYaml());

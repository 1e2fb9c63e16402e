/**
 * The LLM constructs' capacity check: a worker pod whose requests no node of the SKU can hold is refused at synth,
 * measured against the cluster model's allocatable (lib/cluster/model.ts).
 */
import { App, Chart } from 'cdk8s';
import { DisaggregatedLlm, GroveValidationError } from '../../lib';

function build(resources: Record<string, unknown> | undefined): void {
  const chart = new Chart(new App(), 'c');
  new DisaggregatedLlm(chart, 'llm', {
    model: 'Qwen/Qwen3-0.6B', infiniband: false,
    prefill: { tensorParallel: 8, ...(resources === undefined ? {} : { resources }) }, decode: {},
  });
}

test('the defaults fit a node; 96 CPUs on a 96-vCPU node do not, and the message names the allocatable', () => {
  expect(() => build(undefined)).not.toThrow();
  let error: unknown;
  try {
    build({ cpu: { request: '96' } });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GroveValidationError);
  expect((error as GroveValidationError).problems).toEqual([expect.objectContaining({
    field: 'prefill.resources',
    message: expect.stringMatching(/^a pod requests 96 CPUs, 1425 GiB and 8 GPUs, but one Standard_ND96isr_H100_v5 node has 93\.94 CPUs, 1893 GiB and 8 GPUs allocatable .*\(Insufficient cpu\)/),
    fix: expect.stringContaining('request at most 93.94 CPUs'),
  })]);
});

import { Testing } from 'cdk8s';
import { AggregatedLlm, ClusterTopologyBinding, DisaggregatedLlm, GroveValidationError } from '../lib';
import { catchValidation } from './grove/helpers';

/** What a JavaScript caller, `tsx` or props read from JSON can pass, which TypeScript would refuse. */
const untyped = (props: unknown): any => props;

describe('required props missing from JavaScript or JSON', () => {
  test('AggregatedLlm without worker: a GroveValidationError naming worker, not a TypeError', () => {
    const build = () => new AggregatedLlm(Testing.chart(), 'llm', untyped({ model: 'Qwen/Qwen3-0.6B' }));
    expect(build).toThrow(GroveValidationError);
    const e = catchValidation(build);
    expect(e.problems).toEqual([expect.objectContaining({ constructPath: 'test/llm', field: 'worker' })]);
    expect(e.message).toMatch(/^\[test\/llm\] worker: AggregatedLlm needs `worker`, which is missing; pass the worker role/);
  });

  test('DisaggregatedLlm from JSON without model, prefill and decode: all three reported at once', () => {
    const props = JSON.parse('{ "scheduler": null, "prefill": null }');
    const e = catchValidation(() => new DisaggregatedLlm(Testing.chart(), 'llm', untyped(props)));
    expect(e.problems.map(p => p.field)).toEqual(['model', 'prefill', 'decode']);
    expect(e.problems[1]).toMatchObject({ value: null });
    expect(e.problems[0]).not.toHaveProperty('value');
  });

  test('no props argument at all', () => {
    const e = catchValidation(() => new AggregatedLlm(Testing.chart(), 'llm', untyped(undefined)));
    expect(e.problems.map(p => p.field)).toEqual(['model', 'worker']);
  });

  test('ClusterTopologyBinding without levels', () => {
    const e = catchValidation(() => new ClusterTopologyBinding(Testing.chart(), 'topo', untyped({ name: 'aks' })));
    expect(e.problems).toEqual([expect.objectContaining({ constructPath: 'test/topo', field: 'levels' })]);
    expect(e.problems[0].fix).toContain('ClusterTopologyBinding.AKS_ZONE_HOST');
  });

  test('the construct is not added to the tree when its props are refused', () => {
    const chart = Testing.chart();
    expect(() => new AggregatedLlm(chart, 'llm', untyped({}))).toThrow(GroveValidationError);
    expect(chart.node.tryFindChild('llm')).toBeUndefined();
  });

  test('complete props still build', () => {
    expect(() => new AggregatedLlm(Testing.chart(), 'llm', { model: 'Qwen/Qwen3-0.6B', worker: {} })).not.toThrow();
  });
});

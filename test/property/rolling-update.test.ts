/**
 * Constructs at the next Grove API (fast-check): any valid mix of standalone cliques and scaling groups, strategy and
 * budgets synthesizes a PodCliqueSet that writes its strategy, carries a budget on exactly the standalone cliques and
 * scaling groups (none under OnDelete), is admitted again at the next level, and is valid against the preview CRDs.
 */
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { admit, DEFAULT_OPERATOR_CONFIG, GroveOperatorConfig, PodCliqueSet, UpdateStrategyType } from '../../lib';
import { describeWithPreviewCrds, expectSchemaValid } from '../support/schema';
import { params, TIMEOUT } from './support';

const unit = fc.record({ replicas: fc.integer({ min: 1, max: 6 }), min: fc.integer({ min: 1, max: 6 }), extra: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) });

describeWithPreviewCrds('PodCliqueSet at the next Grove API', () => {
  test('writes the strategy and the budgets, and is admitted and schema-valid', () => {
    fc.assert(fc.property(
      fc.array(unit, { minLength: 1, maxLength: 3 }), fc.array(unit, { maxLength: 2 }),
      fc.constantFrom(undefined, UpdateStrategyType.COHERENT, UpdateStrategyType.ROLLING_RECREATE, UpdateStrategyType.ON_DELETE),
      (cliques, groups, strategy) => {
        const app = new App();
        GroveOperatorConfig.set(app, { groveApi: 'next' });
        const chart = new Chart(app, 'p');
        const pcs = new PodCliqueSet(chart, 'set', { updateStrategy: strategy });
        const budget = (u: typeof cliques[number], min: number) => (u.extra === undefined || strategy === UpdateStrategyType.ON_DELETE ? undefined
          : { maxUnavailable: strategy === UpdateStrategyType.ROLLING_RECREATE ? 1 + u.extra : min + u.extra });
        cliques.forEach((u, i) => {
          const min = Math.min(u.min, u.replicas);
          pcs.addClique(`c${i}`, { replicas: u.replicas, minAvailable: min, containers: [{ image: 'registry.example/app:1' }], rollingUpdate: budget(u, min) });
        });
        groups.forEach((u, i) => {
          const min = Math.min(u.min, u.replicas);
          const g = pcs.addScalingGroup(`g${i}`, { replicas: u.replicas, minAvailable: min, rollingUpdate: budget(u, min) });
          g.addClique(`m${i}`, { containers: [{ image: 'registry.example/app:1' }] });
        });
        const obj = chart.toJson().find(o => o.kind === 'PodCliqueSet');
        expect(obj.spec.updateStrategy).toEqual({ type: strategy ?? 'Coherent' });
        const onDelete = strategy === UpdateStrategyType.ON_DELETE;
        for (const c of obj.spec.template.cliques) expect(c.rollingUpdate !== undefined).toBe(c.name.startsWith('c') && !onDelete);
        for (const g of obj.spec.template.podCliqueScalingGroups ?? []) expect(g.rollingUpdate !== undefined).toBe(!onDelete);
        expect(admit({ operation: 'CREATE', object: obj, operatorConfig: DEFAULT_OPERATOR_CONFIG }, { groveApi: 'next' }).errors).toEqual([]);
        expectSchemaValid([obj], 'next');
      }), params(40));
  }, TIMEOUT);
});

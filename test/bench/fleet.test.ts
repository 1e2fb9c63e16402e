import { buildFleet, SHAPES } from '../../bench/fleet';

describe('the benchmark fleet', () => {
  // The benchmark is no test, so nothing else notices when a new synth-time check refuses one of its services.
  test('every shape it cycles through synthesizes, one PodCliqueSet per service', () => {
    const services = SHAPES.length * 2;
    const objects = buildFleet(services, 2).charts.flatMap(c => c.toJson());
    const sets = objects.filter(o => o.kind === 'PodCliqueSet').map(o => o.metadata.name);
    expect(sets).toEqual(Array.from({ length: services }, (_, i) => `svc-${String(i).padStart(4, '0')}`));
  });

  test('services go to charts in order, service i in chart floor(i * charts / services)', () => {
    const app = buildFleet(SHAPES.length, 2);
    const setsPerChart = app.charts.map(c => c.toJson().filter((o: any) => o.kind === 'PodCliqueSet').map((o: any) => o.metadata.name));
    expect(setsPerChart).toEqual([['svc-0000', 'svc-0001', 'svc-0002'], ['svc-0003', 'svc-0004']]);
  });
});

import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Metric, PodCliqueSet } from '../../lib';
import { nginx } from './demo';

const cpu80 = [Metric.cpuUtilization(80)];

/**
 * Grove's `simple1` sample: a clique with its own autoscaler (`pca`), two cliques that scale together as the
 * group `sga` (`pcb`, `pcc`), and a plain clique (`pcd`).
 */
export class Simple1 extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Simple1', { metadata: { name: 'simple1', labels: { app: 'simple1' } } });
    pcs.addClique('pca', { roleName: 'rolea', replicas: 3, containers: [nginx('pca')], autoScaling: { maxReplicas: 5, metrics: cpu80 } });
    const sga = pcs.addScalingGroup('sga', { autoScaling: { maxReplicas: 6, metrics: cpu80 } });
    sga.addClique('pcb', { roleName: 'roleb', replicas: 2, containers: [nginx('pcb')] });
    sga.addClique('pcc', { roleName: 'rolec', replicas: 2, containers: [nginx('pcc')] });
    pcs.addClique('pcd', { roleName: 'roled', replicas: 2, containers: [nginx('pcd')] });
  }
}

/** Grove's `simple2` sample: explicit startup order pca -> (pcb, pcc) -> pcd. */
export class Simple2 extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Simple2', { metadata: { name: 'simple2', labels: { app: 'simple2' } }, terminationDelay: Duration.minutes(1) });
    const pca = pcs.addClique('pca', { roleName: 'rolea', replicas: 3, containers: [nginx('pca')], autoScaling: { maxReplicas: 5, metrics: cpu80 } });
    const pcb = pcs.addClique('pcb', { roleName: 'roleb', replicas: 2, containers: [nginx('pcb')], startsAfter: [pca] });
    const pcc = pcs.addClique('pcc', { roleName: 'rolec', replicas: 2, containers: [nginx('pcc')], startsAfter: [pca] });
    pcs.addClique('pcd', { roleName: 'roled', replicas: 2, containers: [nginx('pcd')], startsAfter: [pcb, pcc] });
  }
}

/**
 * Grove's `simple3` sample: explicit startup order across a scaling group. `pcb` and `pcc` (in `sga`) start after
 * `pca`; `pcd` (in `sga`) and `pce` (standalone) start after `pcb` and `pcc`. Two of the three `sga` replicas
 * are in the base gang.
 */
export class Simple3 extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Simple3', { metadata: { name: 'simple3', labels: { app: 'simple3' } }, terminationDelay: Duration.minutes(1) });
    const pca = pcs.addClique('pca', { roleName: 'rolea', replicas: 3, containers: [nginx('pca')], autoScaling: { maxReplicas: 5, metrics: cpu80 } });
    const sga = pcs.addScalingGroup('sga', { replicas: 3, minAvailable: 2, autoScaling: { maxReplicas: 6, metrics: cpu80 } });
    const pcb = sga.addClique('pcb', { roleName: 'roleb', replicas: 2, containers: [nginx('pcb')], startsAfter: [pca] });
    const pcc = sga.addClique('pcc', { roleName: 'rolec', replicas: 2, containers: [nginx('pcc')], startsAfter: [pca] });
    sga.addClique('pcd', { roleName: 'roled', replicas: 2, containers: [nginx('pcd')], startsAfter: [pcb, pcc] });
    pcs.addClique('pce', { roleName: 'rolee', replicas: 2, containers: [nginx('pce')], startsAfter: [pcb, pcc] });
  }
}

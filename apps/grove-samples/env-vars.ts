import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ContainerProps, EnvValue, PodCliqueSet } from '../../lib';

const small = { cpu: { request: '10m' }, memory: { request: '32Mi' } };

function printGroveEnv(title: string, vars: string[]): string {
  return [`echo "=== ${title} ==="`, ...vars.map(v => `echo "${v}=$${v}"`)].join('\n');
}

function busybox(name: string, script: string[]): ContainerProps {
  return { name, image: 'busybox:latest', command: ['/bin/sh'], args: ['-c', `${script.join('\n')}\n`], resources: small };
}

const PCS_VARS = ['GROVE_PCS_NAME', 'GROVE_PCS_INDEX', 'GROVE_PCLQ_NAME'];
const PCSG_VARS = [...PCS_VARS, 'GROVE_PCSG_NAME', 'GROVE_PCSG_INDEX', 'GROVE_PCLQ_POD_INDEX', 'GROVE_PCSG_TEMPLATE_NUM_PODS'];

/**
 * The environment variables Grove injects into a standalone clique (GROVE_PCS_NAME, GROVE_PCS_INDEX,
 * GROVE_PCLQ_NAME, GROVE_HEADLESS_SERVICE, GROVE_PCLQ_POD_INDEX), and the pod's stable host name.
 *
 * Difference from the upstream sample: upstream omits `roleName` on `frontend`, which the pinned CRD requires;
 * cdk8s-grove always writes it (defaulting to the clique name).
 */
export class StandaloneEnvVars extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'env-demo-standalone', namespace: 'default' } });
    pcs.addClique('frontend', {
      replicas: 2,
      containers: [{
        ...busybox('app', [
          printGroveEnv('Grove Environment Variables', [...PCS_VARS, 'GROVE_HEADLESS_SERVICE', 'GROVE_PCLQ_POD_INDEX']),
          'echo ""',
          'echo "=== Pod Name vs Hostname ==="',
          'echo "Pod Name (random suffix): $POD_NAME"',
          'echo "Hostname (deterministic): $GROVE_PCLQ_NAME-$GROVE_PCLQ_POD_INDEX"',
          'echo ""',
          'echo "My FQDN: $GROVE_PCLQ_NAME-$GROVE_PCLQ_POD_INDEX.$GROVE_HEADLESS_SERVICE"',
          'echo ""',
          'echo "Sleeping..."',
          'sleep infinity',
        ]),
        env: { POD_NAME: EnvValue.fromFieldPath('metadata.name') },
      }],
    });
  }
}

/**
 * The extra variables Grove injects into scaling-group pods (GROVE_PCSG_NAME, GROVE_PCSG_INDEX,
 * GROVE_PCSG_TEMPLATE_NUM_PODS) and how a worker builds its leader's address from them:
 * `$GROVE_PCSG_NAME-$GROVE_PCSG_INDEX-leader-0.$GROVE_HEADLESS_SERVICE`.
 */
export class PcsgEnvVars extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pcs = new PodCliqueSet(this, 'Service', { metadata: { name: 'env-demo-pcsg', namespace: 'default' } });
    const instance = pcs.addScalingGroup('model-instance', { replicas: 2 });
    instance.addClique('leader', {
      replicas: 1,
      containers: [busybox('leader', [
        printGroveEnv('Leader Pod', PCSG_VARS),
        'echo ""',
        'echo "My FQDN: $GROVE_PCLQ_NAME-$GROVE_PCLQ_POD_INDEX.$GROVE_HEADLESS_SERVICE"',
        'echo ""',
        'echo "Listening for worker connections..."',
        'sleep infinity',
      ])],
    });
    instance.addClique('worker', {
      replicas: 3,
      containers: [busybox('worker', [
        printGroveEnv('Worker Pod', PCSG_VARS),
        'echo ""',
        'echo "=== Constructing Leader Address ==="',
        '# The leader PodClique name is: PCSG name + PCSG index + "-leader"',
        'LEADER_PCLQ_NAME="$GROVE_PCSG_NAME-$GROVE_PCSG_INDEX-leader"',
        '# Leader is always pod index 0 since there\'s only 1 leader replica',
        'LEADER_POD_INDEX=0',
        '# Construct the leader\'s FQDN',
        'LEADER_FQDN="$LEADER_PCLQ_NAME-$LEADER_POD_INDEX.$GROVE_HEADLESS_SERVICE"',
        'echo "Connecting to leader at: $LEADER_FQDN"',
        'echo ""',
        'echo "Sleeping..."',
        'sleep infinity',
      ])],
    });
  }
}

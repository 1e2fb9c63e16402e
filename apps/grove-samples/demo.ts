import { ContainerProps, Toleration } from '../../lib';

/**
 * The upstream user-guide samples run on a local kind cluster whose fake nodes carry a `fake-node` taint.
 * Remove this toleration on a real cluster.
 */
export const FAKE_NODE: Toleration = { key: 'fake-node', operator: 'Equal', value: 'true', effect: 'NoSchedule' };

/** The placeholder container of the user-guide samples: prints a line and its host name, then sleeps. */
export function echoContainer(name: string, message: string): ContainerProps {
  return {
    name,
    image: 'nginx:latest',
    command: ['/bin/sh'],
    args: ['-c', `echo '${message}' && hostname && sleep infinity`],
    resources: { cpu: { request: '10m' }, memory: { request: '32Mi' } },
  };
}

/** The placeholder container of the simple samples: nginx with a small CPU request. */
export function nginx(name: string): ContainerProps {
  return { name, image: 'nginx:latest', resources: { cpu: { request: '10m' } } };
}

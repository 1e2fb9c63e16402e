import { WAIT_FOR_LEADER_CONTAINER, waitForLeaderCommand } from './contract';
import * as engines from './engines';
import { ContainerProps, ContainerResources, EnvValue, Probe, ProbeOptions } from '../grove/container';
import { Volume } from '../grove/volume';

/** What a launch spec needs beyond the container itself. */
export interface RenderedLaunch {
  readonly container: ContainerProps;
  /** The wait-for-leader init container of a multi-node follower, when the engine needs one. */
  readonly initContainers: ContainerProps[];
  readonly volumes: Volume[];
}

/** Extra settings laid over an engine's launch spec. */
export interface LaunchOverlay {
  readonly name: string;
  readonly image?: string;
  readonly resources: ContainerResources;
  readonly env: { readonly [name: string]: EnvValue | string };
  readonly volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  readonly sharedMemorySize?: string;
  readonly securityContext?: ContainerProps['securityContext'];
  /** Security context of the wait-for-leader init container (restricted even in RDMA pods: it only dials TCP). */
  readonly initSecurityContext?: ContainerProps['securityContext'];
}

/** Turns an engine launch spec into container props and the volumes it needs (`/dev/shm`, secret mounts). */
export function renderLaunch(spec: engines.LaunchSpec, overlay: LaunchOverlay): RenderedLaunch {
  const volumes: Volume[] = [];
  const mounts = [...overlay.volumeMounts];
  if (spec.sharedMemory) {
    const size = overlay.sharedMemorySize ?? spec.sharedMemorySizeLimit ?? engines.DEFAULT_SHARED_MEMORY_SIZE;
    volumes.push(Volume.emptyDir('shared-memory', { medium: 'Memory', sizeLimit: size }));
    mounts.push({ name: 'shared-memory', mountPath: '/dev/shm' });
  }
  for (const m of spec.secretMounts ?? []) {
    volumes.push(Volume.fromSpec({ name: m.volumeName, secret: { secretName: m.secretName, defaultMode: m.defaultMode } }));
    mounts.push({ name: m.volumeName, mountPath: m.mountPath, readOnly: m.readOnly });
  }
  const env: { [name: string]: EnvValue | string } = {};
  for (const e of spec.env) {
    env[e.name] = e.valueFromField !== undefined ? EnvValue.fromFieldPath(e.valueFromField) : (e.value ?? '');
  }
  Object.assign(env, overlay.env);
  const image = overlay.image ?? spec.image;
  const initContainers: ContainerProps[] = spec.waitForLeader === undefined ? [] : [{
    name: WAIT_FOR_LEADER_CONTAINER,
    image,
    command: waitForLeaderCommand(spec.waitForLeader.host, spec.waitForLeader.port),
    resources: { cpu: { request: '100m' }, memory: { request: '128Mi' } },
    securityContext: overlay.initSecurityContext,
  }];
  return {
    volumes,
    initContainers,
    container: {
      name: overlay.name,
      image,
      command: [...spec.command],
      args: [...spec.args],
      workingDir: spec.workingDir,
      env,
      ports: spec.ports.map(p => ({ name: p.name, containerPort: p.containerPort })),
      resources: overlay.resources,
      readiness: toProbe(spec.readinessProbe),
      liveness: toProbe(spec.livenessProbe),
      startup: toProbe(spec.startupProbe),
      volumeMounts: mounts,
      securityContext: overlay.securityContext,
    },
  };
}

function toProbe(p: engines.Probe | undefined): Probe | undefined {
  if (p === undefined) {
    return undefined;
  }
  const timing: ProbeOptions = {
    initialDelaySeconds: p.initialDelaySeconds, periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold, successThreshold: p.successThreshold,
  };
  if (p.httpGet) return Probe.httpGet(p.httpGet.path, p.httpGet.port, timing);
  if (p.tcpSocket) return Probe.tcpSocket(p.tcpSocket.port, timing);
  if (p.exec) return Probe.exec([...p.exec.command], timing);
  return undefined;
}

/**
 * Operator configuration: the stock Helm defaults and the scheduler-backend registry Grove builds from
 * `scheduler.profiles` (OPERATIONS.md §1.2, API.md §10.1).
 */
import { ErrorList, typeInvalid } from './errors';
import { isObject } from './json';
import { OperatorConfig } from './types';

const DEFAULT_SCHEDULER = 'default-scheduler';
export const KAI_SCHEDULER = 'kai-scheduler';
export const VOLCANO_SCHEDULER = 'volcano';
export const LPX_SCHEDULER = 'lpx-scheduler';

/** Backends implementing Grove's topology-aware scheduling interface. */
const TOPOLOGY_AWARE_BACKENDS: ReadonlySet<string> = new Set([KAI_SCHEDULER]);

/**
 * A stock Helm install of Grove: `default-scheduler` and `kai-scheduler` enabled, default profile
 * `default-scheduler`, topology-aware scheduling and auto-MNNVL off.
 */
export const DEFAULT_OPERATOR_CONFIG: OperatorConfig = Object.freeze({
  schedulerProfiles: Object.freeze([DEFAULT_SCHEDULER, KAI_SCHEDULER]),
  defaultProfileName: DEFAULT_SCHEDULER,
  topologyAwareScheduling: false,
  autoMNNVLEnabled: false,
});

/** The enabled scheduler backends and the default one. */
export interface SchedulerRegistry {
  readonly enabled: ReadonlySet<string>;
  /** Backend for cliques without `schedulerName`. */
  readonly defaultName: string;
}

/**
 * Problems of a given operator configuration: absent means the stock configuration; present, it must be an object
 * whose fields have their documented types (a mistyped field is an error, not silently the stock value).
 */
export function operatorConfigErrors(config: unknown): ErrorList {
  if (config === undefined || config === null) {
    return [];
  }
  if (!isObject(config)) {
    return [typeInvalid('operatorConfig', `operatorConfig must be an object, got ${Array.isArray(config) ? 'a list' : typeof config}`)];
  }
  const errs: ErrorList = [];
  const profiles = config.schedulerProfiles;
  if (profiles !== undefined && !(Array.isArray(profiles) && profiles.every(p => typeof p === 'string'))) {
    errs.push(typeInvalid('operatorConfig.schedulerProfiles', 'schedulerProfiles must be a list of scheduler names (strings)'));
  }
  if (config.defaultProfileName !== undefined && typeof config.defaultProfileName !== 'string') {
    errs.push(typeInvalid('operatorConfig.defaultProfileName', 'defaultProfileName must be a string'));
  }
  for (const key of ['topologyAwareScheduling', 'autoMNNVLEnabled'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'boolean') {
      errs.push(typeInvalid(`operatorConfig.${key}`, `${key} must be true or false`));
    }
  }
  return errs;
}

/** The operator configuration with every field checked; a missing field takes the stock value. */
export function normalizeOperatorConfig(config: unknown): OperatorConfig {
  const c = isObject(config) ? config : {};
  const profiles = Array.isArray(c.schedulerProfiles)
    ? c.schedulerProfiles.filter((p): p is string => typeof p === 'string')
    : DEFAULT_OPERATOR_CONFIG.schedulerProfiles;
  return {
    schedulerProfiles: profiles,
    defaultProfileName: typeof c.defaultProfileName === 'string' ? c.defaultProfileName : DEFAULT_OPERATOR_CONFIG.defaultProfileName,
    topologyAwareScheduling: typeof c.topologyAwareScheduling === 'boolean' ? c.topologyAwareScheduling : DEFAULT_OPERATOR_CONFIG.topologyAwareScheduling,
    autoMNNVLEnabled: typeof c.autoMNNVLEnabled === 'boolean' ? c.autoMNNVLEnabled : DEFAULT_OPERATOR_CONFIG.autoMNNVLEnabled,
  };
}

/** The backend registry: `default-scheduler` is always enabled; an empty default profile means `default-scheduler`. */
export function schedulerRegistry(config: OperatorConfig): SchedulerRegistry {
  return {
    enabled: new Set([DEFAULT_SCHEDULER, ...config.schedulerProfiles]),
    defaultName: config.defaultProfileName === '' ? DEFAULT_SCHEDULER : config.defaultProfileName,
  };
}

/** A pod's scheduler name as Grove resolves it: empty means the default backend. */
export function resolveSchedulerName(registry: SchedulerRegistry, schedulerName: string): string {
  return schedulerName === '' ? registry.defaultName : schedulerName;
}

/** True when `name` is an enabled backend that implements topology-aware scheduling. */
export function isTopologyAware(name: string): boolean {
  return TOPOLOGY_AWARE_BACKENDS.has(name);
}

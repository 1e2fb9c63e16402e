/**
 * When AKS may reimage or upgrade nodes: the planned-maintenance windows of a cluster (AKS maintenance
 * configurations `aksManagedNodeOSUpgradeSchedule` and `aksManagedAutoUpgradeSchedule`).
 *
 * Without a window, the node OS channel `NodeImage` reimages every node, GPU nodes included, whenever a new
 * weekly image is out: each reimage drains the node (a multi-node gang loses a member and is restarted as a
 * whole) and the GPU Operator rebuilds the driver on it. With a window, AKS starts such operations only inside it.
 */
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { ArgProblem, integerProblems } from './private/args';

/** Days of the week, as AKS spells them. */
export type WeekDay = 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday';
const WEEK_DAYS: readonly WeekDay[] = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Which week of the month a monthly window falls in. */
export type WeekIndex = 'First' | 'Second' | 'Third' | 'Fourth' | 'Last';
const WEEK_INDEXES: readonly WeekIndex[] = ['First', 'Second', 'Third', 'Fourth', 'Last'];

/** A recurring window in which AKS may reimage or upgrade nodes. */
export interface MaintenanceWindow {
  /**
   * The day the window starts.
   * @default 'Sunday'
   */
  readonly dayOfWeek?: WeekDay;
  /**
   * Monthly windows: the week of the month. Ignored when `intervalWeeks` is set.
   * @default 'First'
   */
  readonly weekIndex?: WeekIndex;
  /**
   * Weekly windows every this many weeks (1-4) instead of a monthly one.
   * @default - monthly (see `weekIndex`)
   */
  readonly intervalWeeks?: number;
  /**
   * Start time, `HH:mm`, in `utcOffset`.
   * @default '00:00'
   */
  readonly startTime?: string;
  /**
   * Offset of `startTime` from UTC, `+HH:mm` or `-HH:mm`.
   * @default '+00:00'
   */
  readonly utcOffset?: string;
  /**
   * Length of the window in hours (AKS needs at least 4).
   * @default 8
   */
  readonly durationHours?: number;
}

/**
 * The window used when none is given: the first Sunday of every month, 00:00-08:00 UTC. Monthly rather than
 * weekly, because every node-image update restarts the multi-node gangs on the GPU nodes it reimages; security
 * patches then wait up to a month (set a weekly window, or `nodeOsUpgradeChannel: SecurityPatch`, to take them sooner).
 */
export const DEFAULT_MAINTENANCE_WINDOW: Required<Omit<MaintenanceWindow, 'intervalWeeks'>> = {
  dayOfWeek: 'Sunday',
  weekIndex: 'First',
  startTime: '00:00',
  utcOffset: '+00:00',
  durationHours: 8,
};

/** Every problem with a maintenance window (argument paths under `prefix`). */
export function validateMaintenanceWindow(w: MaintenanceWindow | undefined, prefix: string): ArgProblem[] {
  if (w === undefined) {
    return [];
  }
  const problems: ArgProblem[] = [];
  if (w.dayOfWeek !== undefined && !WEEK_DAYS.includes(w.dayOfWeek)) {
    problems.push({ propertyPath: `${prefix}.dayOfWeek`, reason: `must be one of ${WEEK_DAYS.join(', ')}, got ${JSON.stringify(w.dayOfWeek)}` });
  }
  if (w.weekIndex !== undefined && !WEEK_INDEXES.includes(w.weekIndex)) {
    problems.push({ propertyPath: `${prefix}.weekIndex`, reason: `must be one of ${WEEK_INDEXES.join(', ')}, got ${JSON.stringify(w.weekIndex)}` });
  }
  problems.push(...integerProblems(`${prefix}.intervalWeeks`, w.intervalWeeks, 1, 4));
  problems.push(...integerProblems(`${prefix}.durationHours`, w.durationHours, 4, 24));
  if (w.startTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(w.startTime)) {
    problems.push({ propertyPath: `${prefix}.startTime`, reason: `must be HH:mm (00:00 to 23:59), got ${JSON.stringify(w.startTime)}` });
  }
  if (w.utcOffset !== undefined && !/^[+-](0\d|1[0-4]):[0-5]\d$/.test(w.utcOffset)) {
    problems.push({ propertyPath: `${prefix}.utcOffset`, reason: `must be +HH:mm or -HH:mm, got ${JSON.stringify(w.utcOffset)}` });
  }
  return problems;
}

/** The `maintenanceWindow` of an AKS maintenance configuration. */
export function renderMaintenanceWindow(w: MaintenanceWindow = {}): containerservice.MaintenanceConfigurationArgs['maintenanceWindow'] {
  const d = { ...DEFAULT_MAINTENANCE_WINDOW, ...w };
  return {
    schedule: w.intervalWeeks === undefined
      ? { relativeMonthly: { dayOfWeek: d.dayOfWeek, weekIndex: d.weekIndex, intervalMonths: 1 } }
      : { weekly: { dayOfWeek: d.dayOfWeek, intervalWeeks: w.intervalWeeks } },
    startTime: d.startTime,
    utcOffset: d.utcOffset,
    durationHours: d.durationHours,
  };
}

/** The maintenance configurations AKS reads, by what they govern. */
export const MAINTENANCE_CONFIG_NAMES = {
  /** Node OS updates (channels `NodeImage`, `SecurityPatch`). */
  nodeOs: 'aksManagedNodeOSUpgradeSchedule',
  /** Kubernetes version auto-upgrades (channels other than `none`). */
  kubernetes: 'aksManagedAutoUpgradeSchedule',
} as const;

/**
 * One maintenance configuration per auto-upgrade channel that is on, all with the same window. Returns the
 * configurations created.
 */
export function maintenanceConfigurations(name: string, args: {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly nodeOsUpgradeChannel: string;
  readonly upgradeChannel: string;
  readonly window?: MaintenanceWindow;
}, opts: pulumi.CustomResourceOptions): containerservice.MaintenanceConfiguration[] {
  const wanted: string[] = [];
  if (args.nodeOsUpgradeChannel === 'NodeImage' || args.nodeOsUpgradeChannel === 'SecurityPatch') {
    wanted.push(MAINTENANCE_CONFIG_NAMES.nodeOs);
  }
  if (args.upgradeChannel !== 'none') {
    wanted.push(MAINTENANCE_CONFIG_NAMES.kubernetes);
  }
  return wanted.map(configName => new containerservice.MaintenanceConfiguration(`${name}-${configName}`, {
    resourceGroupName: args.resourceGroupName,
    resourceName: args.clusterName,
    configName,
    maintenanceWindow: renderMaintenanceWindow(args.window),
  }, opts));
}

/**
 * The Grove operator configuration that admission checks run against: the stock Helm install, changed by a small
 * config file (`--config`) and then by flags (`--scheduler`, `--default-scheduler`, `--tas`, `--auto-mnnvl`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { DEFAULT_OPERATOR_CONFIG, OperatorConfig } from '../admission';
import { OptionSpec, ParsedArgs, UsageError } from './args';
import { InputIo } from './input';

/** Scheduler backends Grove knows (`scheduler.profiles[].name`). */
export const SCHEDULER_NAMES = ['default-scheduler', 'kai-scheduler', 'volcano', 'lpx-scheduler'] as const;

/** The options that set the operator configuration. */
export const OPERATOR_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    kind: 'value',
    valueName: 'FILE',
    description: 'operator configuration file (YAML: schedulerProfiles, defaultProfileName, topologyAwareScheduling, autoMNNVLEnabled)',
  },
  {
    name: 'scheduler',
    kind: 'list',
    valueName: 'NAME',
    choices: SCHEDULER_NAMES,
    description: 'enabled scheduler backend; replaces the list (default: default-scheduler, kai-scheduler)',
  },
  { name: 'default-scheduler', kind: 'value', valueName: 'NAME', choices: SCHEDULER_NAMES, description: 'backend for cliques without podSpec.schedulerName (default: default-scheduler)' },
  { name: 'tas', kind: 'flag', description: 'topology-aware scheduling is enabled in the operator' },
  { name: 'auto-mnnvl', kind: 'flag', description: 'auto-MNNVL (grove.io/mnnvl-group) is enabled in the operator' },
];

/**
 * The operator configuration from `--config` and the flags (flags win).
 *
 * @throws UsageError when the file cannot be read or holds an invalid configuration (the message names the key)
 */
export function operatorConfigFromArgs(args: ParsedArgs, io: InputIo): OperatorConfig {
  const file = args.values.get('config');
  let config: OperatorConfig = { ...DEFAULT_OPERATOR_CONFIG };
  if (file !== undefined) {
    config = { ...config, ...readConfigFile(file, io) };
  }
  const schedulers = args.lists.get('scheduler');
  if (schedulers !== undefined) {
    config = { ...config, schedulerProfiles: [...new Set(schedulers)] };
  }
  const defaultScheduler = args.values.get('default-scheduler');
  if (defaultScheduler !== undefined) {
    config = { ...config, defaultProfileName: defaultScheduler };
  }
  if (args.flags.has('tas')) {
    config = { ...config, topologyAwareScheduling: true };
  }
  if (args.flags.has('auto-mnnvl')) {
    config = { ...config, autoMNNVLEnabled: true };
  }
  const enabled = new Set(['default-scheduler', ...config.schedulerProfiles]);
  if (config.defaultProfileName !== '' && !enabled.has(config.defaultProfileName)) {
    throw new UsageError(`the default scheduler "${config.defaultProfileName}" is not an enabled scheduler (${[...enabled].join(', ')}); `
      + 'add it with --scheduler or schedulerProfiles');
  }
  return config;
}

/** One line describing a configuration, for text output. */
export function describeOperatorConfig(config: OperatorConfig): string {
  const enabled = [...new Set(['default-scheduler', ...config.schedulerProfiles])].join(', ');
  return `operator: schedulers ${enabled} (default ${config.defaultProfileName || 'default-scheduler'}), `
    + `topology-aware scheduling ${config.topologyAwareScheduling ? 'on' : 'off'}, auto-MNNVL ${config.autoMNNVLEnabled ? 'on' : 'off'}`;
}

/**
 * The schema of the file `--config FILE` reads (the Grove operator configuration lint and plan check against).
 * `schemas/lint-config.schema.json` is generated from it.
 */
export function operatorConfigFileSchema() {
  // zod is only needed here; loading it lazily keeps the other commands' start-up fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof import('zod');
  return z.object({
    schedulerProfiles: z.array(z.enum(SCHEDULER_NAMES)).optional()
      .describe('Scheduler backends enabled in the operator (scheduler.profiles[].name); the default scheduler is always enabled.'),
    defaultProfileName: z.string().optional()
      .describe('The backend of cliques without podSpec.schedulerName; empty for the default scheduler.'),
    topologyAwareScheduling: z.boolean().optional()
      .describe('Topology-aware scheduling is enabled in the operator.'),
    autoMNNVLEnabled: z.boolean().optional()
      .describe('Auto-MNNVL (grove.io/mnnvl-group) is enabled in the operator.'),
  }).strict().describe('Grove operator configuration for cdk8s-grove lint and plan (--config FILE).');
}

function readConfigFile(file: string, io: InputIo): Partial<OperatorConfig> {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read the operator configuration file ${file}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const result = operatorConfigFileSchema().safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const where = issue.path.map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      const keys = issue.code === 'unrecognized_keys' ? ` (known keys: schedulerProfiles, defaultProfileName, topologyAwareScheduling, autoMNNVLEnabled)` : '';
      return `${where === '' ? '<root>' : where}: ${issue.message}${keys}`;
    });
    throw new UsageError(`${file}: invalid operator configuration:\n  ${problems.join('\n  ')}`);
  }
  const parsed = result.data;
  return {
    ...(parsed.schedulerProfiles === undefined ? {} : { schedulerProfiles: parsed.schedulerProfiles }),
    ...(parsed.defaultProfileName === undefined ? {} : { defaultProfileName: parsed.defaultProfileName }),
    ...(parsed.topologyAwareScheduling === undefined ? {} : { topologyAwareScheduling: parsed.topologyAwareScheduling }),
    ...(parsed.autoMNNVLEnabled === undefined ? {} : { autoMNNVLEnabled: parsed.autoMNNVLEnabled }),
  };
}

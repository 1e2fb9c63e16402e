import { IConstruct } from 'constructs';
import { DEFAULT_OPERATOR_CONFIG, OperatorConfig } from '../admission';
import type { GroveApiLevel } from '../schema/api-level';

const CONTEXT_KEY = 'cdk8s-grove:operatorConfig';
const API_KEY = 'cdk8s-grove:groveApi';

/** What `GroveOperatorConfig.set` takes: the operator configuration and the Grove API level. */
export interface GroveOperatorSettings extends Partial<OperatorConfig> {
  /**
   * The Grove API the cluster runs: `pinned` (the pinned commit's CRDs and webhooks) or `next` (GREP-393 Coherent
   * updates and `rollingUpdate`, the CRDs of PR #649). Decides which fields are rendered and how admission checks them.
   * @default 'pinned'
   */
  readonly groveApi?: GroveApiLevel;
}

/**
 * The Grove operator configuration that synth-time admission checks against.
 *
 * By default cdk8s-grove assumes a stock Helm install of Grove (schedulers `default-scheduler` and
 * `kai-scheduler` enabled, default profile `default-scheduler`, topology-aware scheduling and auto-MNNVL off).
 * Call `GroveOperatorConfig.set(app, {...})` before adding charts when your cluster's operator is configured
 * differently, e.g. with topology-aware scheduling on.
 */
export class GroveOperatorConfig {
  /**
   * Sets the operator configuration for every Grove construct under `scope` (usually the `App`).
   * Fields you leave out keep the stock-install value. Must be called before constructs are added under `scope`.
   */
  public static set(scope: IConstruct, config: GroveOperatorSettings): void {
    const { groveApi, ...operator } = config;
    scope.node.setContext(CONTEXT_KEY, { ...DEFAULT_OPERATOR_CONFIG, ...operator });
    if (groveApi !== undefined) {
      scope.node.setContext(API_KEY, groveApi);
    }
  }

  /** The Grove API level in force at `scope` (`pinned` unless set). */
  public static groveApi(scope: IConstruct): GroveApiLevel {
    return scope.node.tryGetContext(API_KEY) === 'next' ? 'next' : 'pinned';
  }

  /** The operator configuration in force at `scope`. */
  public static of(scope: IConstruct): OperatorConfig {
    const found = scope.node.tryGetContext(CONTEXT_KEY) as OperatorConfig | undefined;
    return found ?? DEFAULT_OPERATOR_CONFIG;
  }

  private constructor() {}
}

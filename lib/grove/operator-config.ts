import { IConstruct } from 'constructs';
import { DEFAULT_OPERATOR_CONFIG, OperatorConfig } from '../admission';

const CONTEXT_KEY = 'cdk8s-grove:operatorConfig';

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
  public static set(scope: IConstruct, config: Partial<OperatorConfig>): void {
    scope.node.setContext(CONTEXT_KEY, { ...DEFAULT_OPERATOR_CONFIG, ...config });
  }

  /** The operator configuration in force at `scope`. */
  public static of(scope: IConstruct): OperatorConfig {
    const found = scope.node.tryGetContext(CONTEXT_KEY) as OperatorConfig | undefined;
    return found ?? DEFAULT_OPERATOR_CONFIG;
  }

  private constructor() {}
}

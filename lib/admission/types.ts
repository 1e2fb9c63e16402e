/**
 * Public types of the admission port: request, response, operator configuration.
 */

/** The admission operations Grove's webhooks handle (DELETE is always allowed and not modelled). */
export type AdmissionOperation = 'CREATE' | 'UPDATE';

/**
 * The parts of Grove's `OperatorConfiguration` that change admission results.
 */
export interface OperatorConfig {
  /**
   * Enabled scheduler backends (`scheduler.profiles[].name`): any of `default-scheduler`, `kai-scheduler`, `volcano`,
   * `lpx-scheduler`. `default-scheduler` is always enabled, listed or not.
   */
  readonly schedulerProfiles: readonly string[];
  /** Backend used by cliques without `podSpec.schedulerName` (`scheduler.defaultProfileName`; empty means `default-scheduler`). */
  readonly defaultProfileName: string;
  /** `topologyAwareScheduling.enabled`. */
  readonly topologyAwareScheduling: boolean;
  /** `network.autoMNNVLEnabled`. */
  readonly autoMNNVLEnabled: boolean;
}

/** One admission request, as the API server would send it to Grove's webhooks. */
export interface AdmissionRequest {
  /** CREATE, UPDATE (needs `oldObject`) or DELETE. */
  readonly operation: AdmissionOperation;
  /** The submitted object (before any defaulting). */
  readonly object: unknown;
  /**
   * For UPDATE: the stored object.
   * @default - none (required for UPDATE)
   */
  readonly oldObject?: unknown;
  /** How the Grove operator is configured (enabled schedulers, topology-aware scheduling, auto-MNNVL). */
  readonly operatorConfig: OperatorConfig;
  /**
   * Objects that exist in the cluster at admission time: `ClusterTopologyBinding`s (looked up by `topologyName`) and
   * Volcano `Queue`s (`scheduling.volcano.sh`).
   * @default - none exist
   */
  readonly clusterObjects?: readonly unknown[];
}

/**
 * Kubernetes `field.ErrorType` names (the Go constant without its `ErrorType` prefix).
 */
export type FieldErrorType =
  | 'NotFound'
  | 'Required'
  | 'Duplicate'
  | 'Invalid'
  | 'NotSupported'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'InternalError'
  | 'TypeInvalid';

/** One refusal: Kubernetes error type, field path, human-readable detail. */
export interface AdmissionError {
  readonly type: FieldErrorType;
  /** Kubernetes field path, e.g. `spec.template.cliques[0].name`. */
  readonly field: string;
  readonly detail: string;
}

/** What the API server + Grove's webhooks answer. */
export interface AdmissionResponse {
  readonly allowed: boolean;
  /** Every error, in the order the API server / webhook reports them (empty when allowed). */
  readonly errors: AdmissionError[];
  /** Warnings returned to the client (also on allowed requests). */
  readonly warnings: string[];
  /** PodCliqueSet only: the object after CRD structural defaults and Grove's defaulting webhook (a new object). */
  readonly patched?: object;
}

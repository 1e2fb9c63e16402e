/**
 * Result types of the structural-schema validator.
 */

/**
 * Kind of a schema issue. The names follow Kubernetes' `field.ErrorType` where one exists (`Required`, `Invalid`,
 * `TypeInvalid`, `NotSupported`, `Duplicate`, `TooLong`, `TooMany`, `Forbidden`). `UnknownField` stands for a field
 * the API server would prune, and `InternalError` for input the validator could not process at all.
 */
export type SchemaIssueType =
  | 'Required'
  | 'Invalid'
  | 'TypeInvalid'
  | 'NotSupported'
  | 'Duplicate'
  | 'TooLong'
  | 'TooMany'
  | 'Forbidden'
  | 'UnknownField'
  | 'InternalError';

/**
 * One schema violation.
 */
export interface SchemaIssue {
  /**
   * Kubernetes field path of the offending value, e.g. `spec.template.cliques[0].spec.replicas`. Map keys are
   * written in brackets (`metadata.labels[app]`). The empty string stands for the validated value itself.
   */
  readonly field: string;
  /** What kind of violation it is. */
  readonly type: SchemaIssueType;
  /** What is wrong, in lowercase. */
  readonly detail: string;
}

/**
 * Offline port of Grove's admission (API server schema + CEL, defaulting and validating webhooks) for PodCliqueSet
 * and ClusterTopologyBinding.
 */
export { admit } from './admit';
export type { AdmitOptions } from './admit';
export type { GroveApiLevel } from '../schema/api-level';
export { DEFAULT_OPERATOR_CONFIG } from './config';
export { defaultPodCliqueSet } from './defaulting';
export { formatAdmissionError, formatAdmissionErrors } from './errors';
export type {
  AdmissionError, AdmissionOperation, AdmissionRequest, AdmissionResponse, FieldErrorType, OperatorConfig,
} from './types';

/**
 * Admission at the next Grove API level (GREP-393): the pinned pipeline on the object without its next-only fields,
 * then the next API's defaulting and validation on top. The only hook is `admit(request, { groveApi: 'next' })`.
 */
import { AdmissionRequest, AdmissionResponse } from '../types';
import { restoreNextFields, validateNextPodCliqueSet, withoutNextFields } from './rules';

export * from './rules';

/** Admits a PodCliqueSet request at the next API level, using `pinned` for everything the APIs share. */
export function admitNext(request: AdmissionRequest, pinned: (request: AdmissionRequest) => AdmissionResponse): AdmissionResponse {
  const stripped: AdmissionRequest = {
    ...request,
    object: withoutNextFields(request.object),
    ...(request.oldObject === undefined ? {} : { oldObject: withoutNextFields(request.oldObject) }),
  };
  const response = pinned(stripped);
  const patched = restoreNextFields(response.patched ?? request.object, request.object);
  const oldPatched = request.oldObject === undefined ? undefined : restoreNextFields(request.oldObject, request.oldObject);
  const errors = [...response.errors, ...validateNextPodCliqueSet(patched, oldPatched)];
  return { allowed: errors.length === 0, errors, warnings: response.warnings, patched: patched as object };
}

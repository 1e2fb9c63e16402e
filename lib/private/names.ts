/**
 * Name rules shared by the Grove constructs.
 */

/** Grove's budget for `len(pcs) + len(clique)` (standalone) or `len(pcs) + len(pcsg) + len(clique)` (in a scaling group). */
export const MAX_COMBINED_NAME_LENGTH = 45;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Problems with a name used in generated Kubernetes names (Services, pod hostnames, label values): it must be a
 * DNS-1123 label that starts with a letter. Returns an empty list when the name is fine.
 */
export function dnsLabelProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) {
    return ['must not be empty'];
  }
  if (name.length > 63) {
    problems.push(`must be at most 63 characters (is ${name.length})`);
  }
  if (!DNS_LABEL.test(name)) {
    problems.push('must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit');
  } else if (!/^[a-z]/.test(name)) {
    problems.push('must start with a letter (it becomes part of Service and pod host names)');
  }
  return problems;
}

/**
 * Turns a construct id into a DNS label: lowercase, runs of other characters become '-', camelCase is split.
 * `Prefill` -> `prefill`, `DecodeWorker` -> `decode-worker`, `vision_encoder` -> `vision-encoder`.
 */
export function toDnsLabel(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

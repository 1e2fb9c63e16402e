/**
 * Checks that keep secrets and unpinned images out of manifests, shared by the constructs (at synth) and the
 * `cdk8s-grove lint` command.
 */

/** How an image reference is pinned. */
export type ImagePinning = 'digest' | 'tag' | 'latest' | 'untagged';

/** Classifies an image reference: `repo@sha256:…` (digest), `repo:1.2` (tag), `repo:latest`, `repo` (untagged). */
export function imagePinning(image: string): ImagePinning {
  if (image.includes('@')) {
    return 'digest';
  }
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) {
    return image.slice(colon + 1) === 'latest' ? 'latest' : 'tag';
  }
  return 'untagged';
}

const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/^hf_[A-Za-z0-9]{20,}$/, 'a Hugging Face token (hf_...)'],
  [/^gh[pousr]_[A-Za-z0-9]{30,}$/, 'a GitHub token (ghp_...)'],
  [/^github_pat_[A-Za-z0-9_]{30,}$/, 'a GitHub token (github_pat_...)'],
  [/^nvapi-[A-Za-z0-9_-]{20,}$/, 'an NVIDIA API key (nvapi-...)'],
  [/^sk-[A-Za-z0-9_-]{20,}$/, 'an API key (sk-...)'],
  [/^glpat-[A-Za-z0-9_-]{20,}$/, 'a GitLab token (glpat-...)'],
  [/^xox[abprs]-[A-Za-z0-9-]{10,}$/, 'a Slack token (xox...)'],
  [/^(AKIA|ASIA)[0-9A-Z]{16}$/, 'an AWS access key id'],
  [/^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/, 'a JSON Web Token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

/** Env var names that hold secrets. */
const SECRET_NAME = /TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

/**
 * What a literal env value looks like if it looks like a secret: a well-known token format (whatever the variable
 * name), or — under a name containing TOKEN, KEY, SECRET, PASSWORD or CREDENTIAL — a long hex string (32+) or a long
 * base64-like string (24+ characters mixing digits, upper and lower case).
 *
 * @returns a description such as `a Hugging Face token (hf_...)`, or undefined
 */
export function secretLike(name: string, value: string): string | undefined {
  const v = value.trim();
  const known = TOKEN_PATTERNS.find(([re]) => re.test(v));
  if (known !== undefined) {
    return known[1];
  }
  if (!SECRET_NAME.test(name) || v.includes('$(')) {
    return undefined;
  }
  if (/^[0-9a-fA-F]{32,}$/.test(v)) {
    return 'a long hex string';
  }
  if (/^[A-Za-z0-9+/=_-]{24,}$/.test(v) && !v.startsWith('/') && /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v)) {
    return 'a long base64 string';
  }
  return undefined;
}

/** The first characters of a secret, enough to find it, never the whole value. */
export function redact(value: string): string {
  const v = value.trim();
  return `${v.slice(0, Math.min(4, Math.floor(v.length / 4)))}...`;
}

/**
 * The stack's secrets. `runtime.allConfig()`, which `loadStackConfig` reads, drops the secret flag of every key;
 * this module restores it for what the program passes to resources.
 */
import * as pulumi from '@pulumi/pulumi';
import { PROJECT } from './config';

/** The secrets of a stack, as Pulumi secret outputs, and which config keys were set as secrets. */
export interface StackSecrets {
  /** The Hugging Face token (`huggingFaceToken`), when set. Always a secret output. */
  readonly huggingFaceToken?: pulumi.Output<string>;
  /**
   * Top-level keys of this project whose value is a secret (`pulumi config set --secret [--path]`). What the
   * program derives from them (Helm values, kubeconfig) is passed on as secret outputs.
   */
  readonly secretKeys: readonly string[];
}

/** The engine's list of secret config keys (not part of the typed runtime API, hence this narrow accessor). */
function isConfigSecret(fullKey: string): boolean {
  const runtimeConfig = require('@pulumi/pulumi/runtime/config') as { isConfigSecret?: (k: string) => boolean };
  return runtimeConfig.isConfigSecret?.(fullKey) ?? false;
}

/**
 * Reads the stack's secrets: `huggingFaceToken` with `Config.getSecret` (a secret output even if it was set in
 * plaintext), and the list of keys set as secrets. `runtime.allConfig()`, which `loadStackConfig` reads, drops the
 * secret flag; this restores it for what the program passes to resources.
 */
export function loadStackSecrets(): StackSecrets {
  const config = new pulumi.Config(PROJECT);
  const prefix = `${PROJECT}:`;
  const secretKeys = Object.keys(pulumi.runtime.allConfig())
    .filter(k => k.startsWith(prefix) && isConfigSecret(k))
    .map(k => k.slice(prefix.length))
    .sort();
  const token = config.getSecret('huggingFaceToken');
  return { ...(token === undefined ? {} : { huggingFaceToken: token }), secretKeys };
}


/** The kubeconfig of an AKS cluster with Entra ID: how its `kubelogin` exec plugin logs in. */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** How the kubeconfig's `kubelogin` exec plugin obtains Entra ID tokens. */
export type KubeloginMode = 'azurecli' | 'workloadidentity' | 'msi' | 'spn' | 'devicecode';

/**
 * Rewrites the `kubelogin` exec plugin of an AKS user kubeconfig to log in with `mode`.
 *
 * AKS returns an exec kubeconfig whose `kubelogin get-token` uses the interactive device-code flow; a Pulumi
 * run cannot answer it. This keeps the server ID and switches the login mode (the same change
 * `kubelogin convert-kubeconfig -l <mode>` makes). Kubeconfigs without a kubelogin exec user are returned unchanged.
 */
export function setKubeloginMode(kubeconfig: string, mode: KubeloginMode): string {
  const doc = parseYaml(kubeconfig) as { users?: { user?: { exec?: { command?: string; args?: string[] } } }[] } | null;
  let changed = false;
  for (const u of doc?.users ?? []) {
    const exec = u.user?.exec;
    if (!exec || !exec.command || !/(^|\/)kubelogin(\.exe)?$/.test(exec.command) || !exec.args) {
      continue;
    }
    const args = exec.args;
    const serverId = valueOf(args, '--server-id');
    const rebuilt = ['get-token', '--login', mode];
    if (serverId !== undefined) {
      rebuilt.push('--server-id', serverId);
    }
    if (mode === 'devicecode' || mode === 'spn') {
      for (const flag of ['--environment', '--client-id', '--tenant-id']) {
        const v = valueOf(args, flag);
        if (v !== undefined) {
          rebuilt.push(flag, v);
        }
      }
    }
    exec.args = rebuilt;
    changed = true;
  }
  return changed ? stringifyYaml(doc) : kubeconfig;
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
}


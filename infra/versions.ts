/**
 * The one place where the versions of everything the infrastructure installs are pinned.
 *
 * The set below is chosen to work together; change it as a set, and update the record in
 * `COMPATIBILITY` when you do. Every chart version is passed explicitly to Helm: nothing floats.
 */

/** Where a Helm chart comes from and which version of it is installed. */
export interface ChartPin {
  /** Chart name, or a full `oci://` reference (then `repo` is not used). */
  readonly chart: string;
  /**
   * Helm repository URL for classic (non-OCI) charts.
   * @default - the chart is an OCI reference
   */
  readonly repo?: string;
  /** Exact chart version (these charts use the release tag, `v`-prefixed). */
  readonly version: string;
}

/**
 * NVIDIA GPU Operator. v26.3.3 is the release the Azure AKS RDMA/InfiniBand test setup runs against on
 * ND-series pools whose driver is left to the operator (`gpuProfile.driver: None`).
 */
export const GPU_OPERATOR: ChartPin = {
  chart: 'gpu-operator',
  repo: 'https://helm.ngc.nvidia.com/nvidia',
  version: 'v26.3.3',
};

/** NVIDIA Network Operator (InfiniBand/RDMA on ND-series pools), the version paired with GPU_OPERATOR in the same Azure test setup. */
export const NETWORK_OPERATOR: ChartPin = {
  chart: 'network-operator',
  repo: 'https://helm.ngc.nvidia.com/nvidia',
  version: 'v26.4.0',
};

/**
 * KAI scheduler, from its current home (`ghcr.io/kai-scheduler`). v0.17.0 is the newest non-retracted
 * release (v0.20.0 and v0.20.1 were retracted upstream).
 */
export const KAI_SCHEDULER: ChartPin = {
  chart: 'oci://ghcr.io/kai-scheduler/kai-scheduler/kai-scheduler',
  version: 'v0.17.0',
};

/**
 * Grove operator (chart `grove-charts`). v0.1.0-alpha.11 is the newest non-rc release; its CRDs are the ones
 * `imports/` was generated from.
 */
export const GROVE: ChartPin = {
  chart: 'oci://ghcr.io/ai-dynamo/grove/grove-charts',
  version: 'v0.1.0-alpha.11',
};

/**
 * AKS node image OS for GPU pools. Pinned rather than `Ubuntu`, because `Ubuntu` moves from 22.04 to 24.04 with
 * Kubernetes 1.35 and the GPU driver and DOCA/OFED containers are built per OS version. Supported by AKS for
 * Kubernetes 1.25 to 1.36.
 */
export const GPU_NODE_OS_SKU = 'Ubuntu2204';

/** Why these versions go together. Shown in the README and checked by the tests. */
export const COMPATIBILITY = {
  /** Grove's topology-aware scheduling needs at least this KAI version. */
  minKaiForGroveTopology: 'v0.15.2',
  /** KAI versions from which externally created PodGroups (Grove's own KAI backend, after alpha.11) are supported. */
  minKaiForGrovePodGroups: 'v0.15.0',
  /** The CRD set in `imports/` (ClusterTopologyBinding needs Grove >= alpha.9). */
  minGroveForClusterTopologyBinding: 'v0.1.0-alpha.9',
  notes: [
    'GPU Operator v26.3.3 with Network Operator v26.4.0 is the pair used by the Azure AKS RDMA test setup.',
    'KAI v0.17.0 >= v0.15.2, so Grove topology-aware scheduling and Grove-created PodGroups both work.',
    'Grove v0.1.0-alpha.11 ships ClusterTopologyBinding (renamed from ClusterTopology in alpha.9) and the KAI profile by default.',
    'GPU pools use Ubuntu2204 and gpuProfile.driver None: the GPU Operator owns driver and toolkit.',
  ],
} as const;

/** Every pinned chart, by role. */
export const CHARTS = {
  gpuOperator: GPU_OPERATOR,
  networkOperator: NETWORK_OPERATOR,
  kaiScheduler: KAI_SCHEDULER,
  grove: GROVE,
} as const;

/**
 * Compares two `v`-prefixed semantic versions (pre-release tags compare lexically after the numeric core).
 * Returns a negative number, zero or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const s = v.replace(/^v/, '');
    const dash = s.indexOf('-');
    const core = dash < 0 ? s : s.slice(0, dash);
    return { nums: core.split('.').map(n => Number(n)), pre: dash < 0 ? undefined : s.slice(dash + 1) };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.nums.length, pb.nums.length); i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  if (pa.pre === pb.pre) {
    return 0;
  }
  if (pa.pre === undefined) {
    return 1;
  }
  if (pb.pre === undefined) {
    return -1;
  }
  return pa.pre.localeCompare(pb.pre, 'en', { numeric: true });
}

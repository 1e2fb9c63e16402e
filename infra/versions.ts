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

/**
 * Kubernetes version of new clusters, pinned so `GPU_NODE_OS_SKU` stays supported (Ubuntu2204 runs on AKS
 * Kubernetes 1.25 to 1.36) and a new cluster does not silently get whatever AKS defaults to that day.
 */
export const KUBERNETES_VERSION = '1.33';

/**
 * NVIDIA Dynamo, whose runtime images the example apps run (`nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0`). The
 * stack installs only the CRD its Kubernetes discovery backend writes to (`DynamoWorkerMetadata`), rendered from
 * ai-dynamo/dynamo `deploy/helm/charts/platform/components/operator/crds/nvidia.com_dynamoworkermetadatas.yaml`;
 * the Dynamo operator is not needed, because the apps are PodCliqueSets, not DynamoGraphDeployments.
 */
export const DYNAMO = {
  version: '1.3.0',
  /** The chart the CRD ships in at that version (for reference; the CRD is rendered, not the chart). */
  chart: 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts/dynamo-platform-1.3.0.tgz',
} as const;

/**
 * The versions that work together, one row per component: what is installed, and the least version the others
 * need of it (with where that requirement comes from).
 */
export const COMPATIBILITY_MATRIX: readonly { component: string; installed: string; requires: string; source: string }[] = [
  { component: 'Grove', installed: GROVE.version, requires: 'Dynamo 1.x: Grove >= v0.1.0-alpha.6; ClusterTopologyBinding: >= v0.1.0-alpha.9', source: 'ai-dynamo/dynamo docs installation-guide.md (compatibility matrix); Grove CHANGELOG' },
  { component: 'KAI scheduler', installed: KAI_SCHEDULER.version, requires: 'Dynamo 1.x: KAI >= v0.13.0; Grove topology-aware scheduling: KAI >= v0.15.2', source: 'ai-dynamo/dynamo docs installation-guide.md; ai-dynamo/grove docs/installation.md' },
  { component: 'GPU Operator', installed: GPU_OPERATOR.version, requires: 'paired with Network Operator v26.4.0 on ND-series pools with gpuProfile.driver None', source: 'Azure/aks-rdma-infiniband tests/setup-infra/deploy-aks.sh' },
  { component: 'Network Operator', installed: NETWORK_OPERATOR.version, requires: 'NicClusterPolicy DOCA driver doca3.2.0-25.10-1.2.8.0-2 on Ubuntu 22.04', source: 'Azure/aks-rdma-infiniband configs/nicclusterpolicy/base/nic.yaml' },
  { component: 'Dynamo', installed: DYNAMO.version, requires: 'the dynamo-platform 1.3.0 chart bundles KAI v0.13.4 and Grove v0.1.0-alpha.8; both are older than what this stack installs and within Dynamo\'s minimums', source: 'ai-dynamo/dynamo deploy/helm/charts/platform/Chart.yaml' },
  { component: 'AKS', installed: `Kubernetes ${KUBERNETES_VERSION}, ${GPU_NODE_OS_SKU}`, requires: 'Ubuntu2204 node images exist for Kubernetes 1.25 to 1.36', source: 'azure-aks-docs articles/aks/cluster-configuration.md (OS SKU table)' },
];

/** Why these versions go together. Shown in the README and checked by the tests. */
export const COMPATIBILITY = {
  /** Grove's topology-aware scheduling needs at least this KAI version. */
  minKaiForGroveTopology: 'v0.15.2',
  /** KAI versions from which externally created PodGroups (Grove's own KAI backend, after alpha.11) are supported. */
  minKaiForGrovePodGroups: 'v0.15.0',
  /** The CRD set in `imports/` (ClusterTopologyBinding needs Grove >= alpha.9). */
  minGroveForClusterTopologyBinding: 'v0.1.0-alpha.9',
  /** Dynamo 1.x needs at least these (Dynamo installation guide, compatibility matrix). */
  minGroveForDynamo: 'v0.1.0-alpha.6',
  minKaiForDynamo: 'v0.13.0',
  /** The newest Kubernetes minor AKS builds Ubuntu2204 node images for. */
  maxKubernetesForUbuntu2204: '1.36',
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

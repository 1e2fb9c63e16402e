import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ClusterTopologyBinding } from '../imports/grove-topology-grove.io';
import { ArgProblem, isDnsLabel, isLabelKey, throwIfArgProblems } from './private/args';
import { chartValues, JsonObject, mergeValues, namespace } from './private/helm';
import { GROVE } from './versions';

const TYPE = 'cdk8s-grove:infra:GroveOperator';

/** One level of a topology: a Grove domain name and the node label that identifies it. */
export interface TopologyLevel {
  /** Domain name workloads pack into (`zone`, `block`, `rack`, `host`, …): lowercase, `^[a-z][a-z0-9-]*$`. */
  readonly domain: string;
  /** Node label key whose value identifies the domain a node is in. */
  readonly key: string;
}

/** Name of the ClusterTopologyBinding created when topology-aware scheduling is on. */
export const DEFAULT_TOPOLOGY_NAME = 'aks-gpu';

/**
 * Topology of AKS GPU pools, broadest first. InfiniBand connects the VMs of one scale set, i.e. one agent pool,
 * so the pool is the `block` (the domain a tensor- or KV-exchanging group must share); `host` is the node.
 * Zones are left out: outside zonal pools AKS sets the zone label to the fault domain, which would split a pool.
 */
export const AKS_GPU_TOPOLOGY_LEVELS: readonly TopologyLevel[] = [
  { domain: 'block', key: 'kubernetes.azure.com/agentpool' },
  { domain: 'host', key: 'kubernetes.io/hostname' },
];

/** The ClusterTopologyBinding the operator gets when topology-aware scheduling is on. */
export interface GroveTopologyArgs {
  /**
   * Name of the ClusterTopologyBinding; PodCliqueSets name it in `topologyConstraint.topologyName`.
   * @default 'aks-gpu'
   */
  readonly name?: string;
  /**
   * Levels, broadest first.
   * @default - AKS_GPU_TOPOLOGY_LEVELS (agent pool, then host)
   */
  readonly levels?: TopologyLevel[];
}

/** Arguments of `GroveOperator`. */
export interface GroveOperatorArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespace of the operator.
   * @default 'grove-system'
   */
  readonly namespace?: string;
  /**
   * Turn on topology-aware scheduling (otherwise Grove rejects any `topologyConstraint`) and create a
   * ClusterTopologyBinding. Needs KAI v0.15.2 or later.
   * @default false
   */
  readonly topologyAwareScheduling?: boolean;
  /**
   * The ClusterTopologyBinding, when topology-aware scheduling is on.
   * @default - 'aks-gpu' with AKS_GPU_TOPOLOGY_LEVELS
   */
  readonly topology?: GroveTopologyArgs;
  /**
   * More chart values, merged over the ones this component sets.
   * @default - none
   */
  readonly values?: JsonObject;
  /**
   * Pass the chart values as a secret output (set it when they come from a secret config key).
   * @default false
   */
  readonly secretValues?: boolean;
}

/** The chart values `GroveOperator` installs with. */
export function groveOperatorValues(args: Omit<GroveOperatorArgs, 'provider'>): JsonObject {
  return mergeValues({
    // The operator creates and rotates its webhook certificate itself; the chart's empty Secret would
    // overwrite it on every apply when the chart is rendered rather than installed by Helm.
    webhookServerSecret: { enabled: false },
    config: {
      topologyAwareScheduling: { enabled: args.topologyAwareScheduling ?? false },
      // The readiness gate of everything Grove judges. The chart ships the probes off (values.yaml
      // `config.server.healthProbes.enable: false`), so the Deployment is Ready as soon as the container starts.
      // With them on, `/readyz` fails until the webhook certificates are generated and the webhook server has
      // started (ai-dynamo/grove operator/internal/controller/manager.go, SetupHealthAndReadinessEndpoints), and
      // the chart's Deployment, awaited by `helm.v4.Chart`, is Ready only when Grove's webhooks serve.
      server: { healthProbes: { enable: true } },
    },
  }, args.values);
}

/** The ClusterTopologyBinding object (rendered with the generated Grove class). */
export function renderClusterTopologyBinding(topology: GroveTopologyArgs = {}): JsonObject {
  return ClusterTopologyBinding.manifest({
    metadata: { name: topology.name ?? DEFAULT_TOPOLOGY_NAME },
    spec: { levels: (topology.levels ?? AKS_GPU_TOPOLOGY_LEVELS).map(l => ({ domain: l.domain, key: l.key })) },
  });
}

/** Every problem with `GroveOperatorArgs`. */
export function validateGroveOperatorArgs(args: Omit<GroveOperatorArgs, 'provider'>): ArgProblem[] {
  const problems: ArgProblem[] = [];
  if (!isDnsLabel(args.namespace ?? 'grove-system')) {
    problems.push({ propertyPath: 'namespace', reason: `must be a DNS-1123 label, got ${JSON.stringify(args.namespace)}` });
  }
  if (args.topology !== undefined && !(args.topologyAwareScheduling ?? false)) {
    problems.push({ propertyPath: 'topology', reason: 'is only used with topologyAwareScheduling; set topologyAwareScheduling: true or drop topology' });
  }
  const name = args.topology?.name ?? DEFAULT_TOPOLOGY_NAME;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253) {
    problems.push({ propertyPath: 'topology.name', reason: `must be a DNS subdomain name, got ${JSON.stringify(name)}` });
  }
  const levels = args.topology?.levels ?? AKS_GPU_TOPOLOGY_LEVELS;
  if (levels.length === 0) {
    problems.push({ propertyPath: 'topology.levels', reason: 'needs at least one level' });
  }
  levels.forEach((l, i) => {
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(l.domain)) {
      problems.push({ propertyPath: `topology.levels[${i}].domain`, reason: `must match ^[a-z][a-z0-9-]*$ (at most 63 characters), got ${JSON.stringify(l.domain)}` });
    }
    if (!isLabelKey(l.key)) {
      problems.push({ propertyPath: `topology.levels[${i}].key`, reason: `must be a node label key, got ${JSON.stringify(l.key)}` });
    }
    if (levels.findIndex(o => o.domain === l.domain) !== i || levels.findIndex(o => o.key === l.key) !== i) {
      problems.push({ propertyPath: `topology.levels[${i}]`, reason: 'repeats a domain or a key; each must appear once' });
    }
    if (l.key === 'kubernetes.io/hostname' && i !== levels.length - 1) {
      problems.push({ propertyPath: `topology.levels[${i}].key`, reason: 'kubernetes.io/hostname can only be the last (narrowest) level' });
    }
  });
  return problems;
}

/**
 * The Grove operator, rendered from its chart at the version pinned in `versions.ts` with `helm.v4.Chart`
 * (the chart has no Helm hooks, and Pulumi then manages its CRDs, so CRD upgrades are applied). With
 * topology-aware scheduling on, it also creates the ClusterTopologyBinding workloads refer to.
 */
export class GroveOperator extends pulumi.ComponentResource {
  /** The namespace of the operator. */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The chart (its objects, CRDs included, are Pulumi resources). */
  public readonly chart: k8s.helm.v4.Chart;
  /** The ClusterTopologyBinding, when topology-aware scheduling is on. */
  public readonly topology: k8s.apiextensions.CustomResource | undefined;
  /** Name of the ClusterTopologyBinding, when topology-aware scheduling is on. */
  public readonly topologyName: string | undefined;
  /**
   * What a Grove object (PodCliqueSet, ClusterTopologyBinding) must depend on: the chart, whose operator
   * Deployment is awaited and Ready only once Grove's webhooks serve (see `groveOperatorValues`).
   */
  public readonly readinessGate: pulumi.Resource;

  constructor(name: string, args: GroveOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    throwIfArgProblems('GroveOperator', name, validateGroveOperatorArgs(args));
    const childOpts = { parent: this, provider: args.provider };

    this.namespace = namespace(`${name}-ns`, args.namespace ?? 'grove-system', false, childOpts);
    this.chart = new k8s.helm.v4.Chart(`${name}-chart`, {
      name: 'grove',
      chart: GROVE.chart,
      version: GROVE.version,
      namespace: this.namespace.metadata.name,
      values: chartValues(groveOperatorValues(args), args.secretValues),
    }, childOpts);
    this.readinessGate = this.chart;

    if (args.topologyAwareScheduling ?? false) {
      const ctb = renderClusterTopologyBinding(args.topology);
      this.topologyName = (ctb.metadata as { name: string }).name;
      // After the gate: the CRD must exist and Grove's validating webhook for it, which fails closed, must serve.
      this.topology = new k8s.apiextensions.CustomResource(`${name}-topology`,
        ctb as k8s.apiextensions.CustomResourceArgs, { ...childOpts, dependsOn: [this.readinessGate] });
    }

    this.registerOutputs({});
  }
}

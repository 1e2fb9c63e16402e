import * as grove from '../../imports/grove-grove.io';

type CliqueMetric = grove.PodCliqueSetSpecTemplateCliquesSpecAutoScalingConfigMetrics;
const Amount = grove.PodCliqueSetSpecTemplateCliquesSpecAutoScalingConfigMetricsPodsTargetAverageValue;

/**
 * One `autoscaling/v2` metric the HorizontalPodAutoscaler Grove creates scales on.
 */
export class Metric {
  /** Average CPU utilization across the pods, in percent of their CPU request. */
  public static cpuUtilization(averageUtilization: number): Metric {
    return Metric.resourceUtilization('cpu', averageUtilization);
  }

  /** Average utilization of a resource (`cpu`, `memory`) across the pods, in percent of the request. */
  public static resourceUtilization(resource: string, averageUtilization: number): Metric {
    return new Metric({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } });
  }

  /**
   * A per-pod custom metric (served by a metrics adapter such as Prometheus Adapter or KEDA), averaged across the
   * pods, e.g. `Metric.podsAverage('dynamo_frontend_inflight_requests', '10')`.
   */
  public static podsAverage(metricName: string, averageValue: string): Metric {
    return new Metric({ type: 'Pods', pods: { metric: { name: metricName }, target: { type: 'AverageValue', averageValue } } });
  }

  /** An external metric (e.g. a queue length from outside the cluster), averaged across the pods. */
  public static externalAverage(metricName: string, averageValue: string, matchLabels?: { [key: string]: string }): Metric {
    return new Metric({
      type: 'External',
      external: { metric: { name: metricName, selector: matchLabels ? { matchLabels } : undefined }, target: { type: 'AverageValue', averageValue } },
    });
  }

  /** Any `autoscaling/v2` MetricSpec, as plain JSON. */
  public static fromSpec(spec: { readonly [key: string]: unknown }): Metric {
    return new Metric(spec);
  }

  private constructor(private readonly spec: { readonly [key: string]: any }) {}

  /**
   * Renders to Grove's CRD type: the target quantities (`value`, `averageValue`) become typed quantities so
   * the generated serializer keeps them.
   * @internal
   */
  public _toGrove(): CliqueMetric {
    const out: { [key: string]: any } = { ...this.spec };
    for (const source of ['resource', 'pods', 'object', 'external', 'containerResource']) {
      const target = out[source]?.target;
      if (target) {
        const typed = { ...target };
        for (const q of ['value', 'averageValue']) {
          if (typed[q] !== undefined) typed[q] = Amount.fromString(String(typed[q]));
        }
        out[source] = { ...out[source], target: typed };
      }
    }
    return out as CliqueMetric;
  }
}

/** Bounds and metrics of the HorizontalPodAutoscaler Grove creates for a clique or scaling group. */
export interface AutoScaling {
  /**
   * The most replicas the autoscaler may set.
   */
  readonly maxReplicas: number;
  /**
   * The fewest replicas the autoscaler may set; must be at least `minAvailable`.
   * @default - Grove uses the replicas of the clique or scaling group
   */
  readonly minReplicas?: number;
  /**
   * What to scale on.
   * @default - the HorizontalPodAutoscaler's own default (80% average CPU utilization)
   */
  readonly metrics?: Metric[];
}

/** @internal */
export function renderAutoScaling(a: AutoScaling | undefined): grove.PodCliqueSetSpecTemplateCliquesSpecAutoScalingConfig | undefined {
  if (a === undefined) {
    return undefined;
  }
  return { maxReplicas: a.maxReplicas, minReplicas: a.minReplicas, metrics: a.metrics?.map(m => m._toGrove()) };
}

import { Metric } from '../grove/autoscaling';

/**
 * Autoscaling metrics that follow the load of GPU workers, from the Prometheus metrics the Dynamo runtime exports
 * (names from the runtime's `prometheus_names` and the worker KV-stats publisher in github.com/ai-dynamo/dynamo). The
 * HorizontalPodAutoscaler reads them through a metrics adapter (Prometheus Adapter, or KEDA's external metrics)
 * that serves them under these names; the Dynamo platform's PodMonitors scrape the pods labelled
 * `nvidia.com/metrics-enabled: "true"`.
 */
export class DynamoMetric {
  /** Per worker pod: fraction of the GPU KV cache in use (`dynamo_component_kvstats_gpu_cache_usage_percent`, 0–1). */
  public static readonly KV_CACHE_USAGE = 'dynamo_component_kvstats_gpu_cache_usage_percent';
  /** Per worker pod: requests being processed (`dynamo_component_inflight_requests`). */
  public static readonly INFLIGHT_REQUESTS = 'dynamo_component_inflight_requests';
  /** At the frontend: requests waiting for a worker (`dynamo_frontend_queued_requests`). */
  public static readonly QUEUED_REQUESTS = 'dynamo_frontend_queued_requests';

  /**
   * Scale so the average worker keeps at most `fraction` of its KV cache in use (a Pods metric), e.g. 0.7.
   * Decode workers fill their KV cache with the sequences they hold, so this tracks decode load directly.
   */
  public static kvCacheUsage(fraction: number): Metric {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new RangeError(`kvCacheUsage takes a fraction in (0, 1], got ${fraction}`);
    }
    return Metric.podsAverage(DynamoMetric.KV_CACHE_USAGE, `${Math.round(fraction * 1000)}m`);
  }

  /** Scale so the average worker processes at most `perPod` requests at once (a Pods metric). */
  public static inflightRequests(perPod: number): Metric {
    return Metric.podsAverage(DynamoMetric.INFLIGHT_REQUESTS, String(perPod));
  }

  /**
   * Scale so the frontend's queue holds at most `perPod` waiting requests per worker pod (an External metric, since
   * the frontend exports it), selected by the service's Dynamo namespace when given.
   */
  public static queuedRequests(perPod: number, dynamoNamespace?: string): Metric {
    return Metric.externalAverage(DynamoMetric.QUEUED_REQUESTS, String(perPod), dynamoNamespace ? { dynamo_namespace: dynamoNamespace } : undefined);
  }
}

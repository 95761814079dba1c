import type { DeploySpec } from './deploy-spec.js';
import { IN_FLIGHT_METRIC } from './manifest-constants.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';
import { scalingBehavior } from './scaling-behavior.js';

/** The PromQL both autoscalers use: the app's pods' in-flight gauge, averaged over a minute per pod. */
export function inFlightQuery(spec: DeploySpec): string {
  return `sum(avg_over_time(${IN_FLIGHT_METRIC}{namespace="${spec.namespace}",pod=~"${spec.name}-[a-z0-9]+-[a-z0-9]+"}[1m]))`;
}

/**
 * The KEDA ScaledObject (`--autoscaler keda`): a prometheus trigger on the summed in-flight gauge
 * with `metricType: AverageValue` and the target as threshold (a plain number: KEDA parses a float), so the HPA KEDA creates divides by
 * the replica count as the `Pods` metric does; optional CPU trigger; the same `behavior`.
 */
export function buildScaledObject(spec: DeploySpec): ManifestObject[] {
  if (spec.autoscaler !== 'keda') return [];
  const triggers: Record<string, unknown>[] = [
    {
      type: 'prometheus',
      name: 'in-flight',
      metricType: 'AverageValue',
      metadata: { serverAddress: spec.prometheusUrl, query: inFlightQuery(spec), threshold: String(spec.inFlightTarget) },
    },
  ];
  if (spec.cpuUtilization !== undefined) {
    triggers.push({ type: 'cpu', metricType: 'Utilization', metadata: { value: String(spec.cpuUtilization) } });
  }
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: objectMeta(spec),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
        minReplicaCount: spec.replicas.min,
        maxReplicaCount: spec.replicas.max,
        pollingInterval: 15,
        advanced: { horizontalPodAutoscalerConfig: { behavior: scalingBehavior(spec) } },
        triggers,
      },
    },
  ];
}

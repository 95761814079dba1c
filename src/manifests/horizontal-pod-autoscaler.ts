import type { DeploySpec } from './deploy-spec.js';
import { IN_FLIGHT_METRIC } from './manifest-constants.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';
import { quantity, scalingBehavior } from './scaling-behavior.js';

/**
 * The HorizontalPodAutoscaler (`autoscaling/v2`) on the per-pod in-flight gauge (type `Pods`,
 * `AverageValue` = the configured target; served through prometheus-adapter, see
 * `prometheusAdapterRules`) and optionally CPU utilisation. The HPA computes
 * `desired = ceil(current × average in-flight / target)`; in-flight per pod falls as pods are added.
 */
export function buildHorizontalPodAutoscaler(spec: DeploySpec): ManifestObject[] {
  if (spec.autoscaler !== 'hpa') return [];
  const metrics: Record<string, unknown>[] = [
    {
      type: 'Pods',
      pods: { metric: { name: IN_FLIGHT_METRIC }, target: { type: 'AverageValue', averageValue: quantity(spec.inFlightTarget) } },
    },
  ];
  if (spec.cpuUtilization !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.cpuUtilization } } });
  }
  return [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: objectMeta(spec),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
        minReplicas: spec.replicas.min,
        maxReplicas: spec.replicas.max,
        metrics,
        behavior: scalingBehavior(spec),
      },
    },
  ];
}

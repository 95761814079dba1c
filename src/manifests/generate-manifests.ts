import type { DeploySpec } from './deploy-spec.js';
import { buildDeployment } from './deployment.js';
import { buildHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';
import type { ManifestObject } from './manifest-object.js';
import { buildPodDisruptionBudget } from './pod-disruption-budget.js';
import { buildRbac } from './rbac.js';
import { buildScaledObject } from './scaled-object.js';
import { buildServiceMonitor } from './service-monitor.js';
import { buildServices } from './services.js';

/**
 * Every object of the app, in apply order: ServiceAccount and RBAC, Services, Deployment,
 * PodDisruptionBudget, the autoscaler (HPA or KEDA ScaledObject), ServiceMonitor. Pure.
 *
 * @example
 * ```ts
 * const config = await loadAppConfig('samples/greeter');
 * const objects = generateManifests(resolveDeploySpec(config, { namespace: 'shop' }));
 * process.stdout.write(renderManifests(objects, 'yaml'));
 * ```
 */
export function generateManifests(spec: DeploySpec): ManifestObject[] {
  return [
    ...buildRbac(spec),
    ...buildServices(spec),
    buildDeployment(spec),
    ...buildPodDisruptionBudget(spec),
    ...buildHorizontalPodAutoscaler(spec),
    ...buildScaledObject(spec),
    ...buildServiceMonitor(spec),
  ];
}

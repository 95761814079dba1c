import type { DeploySpec } from './deploy-spec.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';

/** The PodDisruptionBudget (`policy/v1`): voluntary evictions take at most one pod at a time by default. */
export function buildPodDisruptionBudget(spec: DeploySpec): ManifestObject[] {
  if (!spec.podDisruptionBudget) return [];
  return [
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: objectMeta(spec),
      spec: { ...spec.podDisruptionBudget, selector: { matchLabels: { ...spec.selector } } },
    },
  ];
}

import type { DeploySpec } from './deploy-spec.js';
import { PORT_NAMES, RUNTIME_PATHS } from './manifest-constants.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';

/**
 * The prometheus-operator ServiceMonitor scraping the runtime port through the app's Service.
 * Generated instead of the `prometheus.io/*` pod annotations, never with them: a pod scraped by
 * both would count its in-flight gauge twice in the autoscaler's sum.
 */
export function buildServiceMonitor(spec: DeploySpec): ManifestObject[] {
  if (!spec.serviceMonitor) return [];
  const meta = objectMeta(spec);
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { ...meta, labels: { ...meta.labels, ...spec.serviceMonitor.labels } },
      spec: {
        selector: { matchLabels: { ...spec.selector } },
        namespaceSelector: { matchNames: [spec.namespace] },
        endpoints: [{ port: PORT_NAMES.runtime, path: RUNTIME_PATHS.metrics, interval: spec.serviceMonitor.interval }],
      },
    },
  ];
}

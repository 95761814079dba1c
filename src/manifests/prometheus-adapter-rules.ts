import { IN_FLIGHT_METRIC } from './manifest-constants.js';

/**
 * The prometheus-adapter rule that serves the in-flight gauge as a `custom.metrics.k8s.io` pods
 * metric, averaged over a minute per pod — the values of the prometheus-community
 * `prometheus-adapter` Helm chart (`rules.custom`). One rule serves every KubernetesRPC app in the
 * cluster; it needs the `namespace` and `pod` labels that both the annotation scrape job and
 * prometheus-operator add.
 */
export function prometheusAdapterRules(): Record<string, unknown> {
  return {
    rules: {
      custom: [
        {
          seriesQuery: `${IN_FLIGHT_METRIC}{namespace!="",pod!=""}`,
          resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
          name: { matches: `^${IN_FLIGHT_METRIC}$`, as: IN_FLIGHT_METRIC },
          metricsQuery: 'sum(avg_over_time(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)',
        },
      ],
    },
  };
}

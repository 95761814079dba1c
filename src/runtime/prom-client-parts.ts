import type * as PromClient from 'prom-client';
import { requireLazily } from './lazy-service.js';

/**
 * prom-client's `Registry` class, loaded on its own (`prom-client/lib/registry.js`, ~3 ms)
 * instead of through prom-client's index, which loads every metric type, the push gateway, the
 * cluster aggregator and the default metrics with `@opentelemetry/api` (~25–30 ms of start-up,
 * docs/performance.md). It is the very class the index exports (same file, same module cache
 * entry), so registries an app creates with `new Registry()` from 'prom-client' are accepted,
 * and the unit test fails if an upgrade moves the file.
 */
export function promRegistry(): typeof PromClient.Registry {
  return requireLazily('prom-client/lib/registry.js') as typeof PromClient.Registry;
}

/** prom-client's global registry (`register`), without loading prom-client's index. */
export function promGlobalRegistry(): PromClient.Registry {
  return (promRegistry() as unknown as { globalRegistry: PromClient.Registry }).globalRegistry;
}

/** prom-client's metric classes, each loaded from its own file (the very classes the index exports). */
export interface PromMetricClasses {
  readonly Counter: typeof PromClient.Counter;
  readonly Gauge: typeof PromClient.Gauge;
  readonly Histogram: typeof PromClient.Histogram;
}

/**
 * `Counter`, `Gauge` and `Histogram` from `prom-client/lib/{counter,gauge,histogram}.js`, loaded
 * on first use without prom-client's index. The index also loads the summary (and its t-digest),
 * the push gateway, the cluster aggregator and the default metrics: ~0.7 MB of heap that every
 * later full garbage collection marks and walks (docs/performance.md, "What sets unary p99 under
 * saturation").
 */
export function promMetricClasses(): PromMetricClasses {
  return {
    Counter: requireLazily('prom-client/lib/counter.js') as typeof PromClient.Counter,
    Gauge: requireLazily('prom-client/lib/gauge.js') as typeof PromClient.Gauge,
    Histogram: requireLazily('prom-client/lib/histogram.js') as typeof PromClient.Histogram,
  };
}

/**
 * One of prom-client's default metric modules (`prom-client/lib/metrics/<name>.js`): each exports
 * `(registry, config) => void`, which registers its metrics on `registry`.
 */
export type PromDefaultMetric = (registry: PromClient.Registry, config: { eventLoopMonitoringPrecision: number }) => void;

/** `prom-client/lib/metrics/<name>.js`, loaded on its own. */
export function promDefaultMetric(name: string): PromDefaultMetric {
  return requireLazily(`prom-client/lib/metrics/${name}.js`) as PromDefaultMetric;
}

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

/**
 * The whole of prom-client, loaded on first use: when the app defines its own metrics, and
 * shortly after the runtime is ready (default metrics), not on the start-up path.
 */
export function promClient(): typeof PromClient {
  return requireLazily('prom-client') as typeof PromClient;
}

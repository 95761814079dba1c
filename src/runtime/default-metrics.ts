import type { Registry } from 'prom-client';
import { promClient } from './prom-client-parts.js';

const collecting = new WeakSet<Registry>();

/**
 * Turns on prom-client's Node.js default metrics (`process_*`, `nodejs_*`) for `registry`, once.
 * Loads prom-client's index on the first call (the runtime calls it just after readiness, or on
 * the first scrape if that comes earlier).
 */
export function ensureDefaultMetrics(registry: Registry): void {
  if (collecting.has(registry) || registry.getSingleMetric('process_cpu_user_seconds_total') !== undefined) return;
  collecting.add(registry);
  promClient().collectDefaultMetrics({ register: registry });
}

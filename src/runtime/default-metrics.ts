import { collectDefaultMetrics, type Registry } from 'prom-client';

const collecting = new WeakSet<Registry>();

/**
 * Turns on prom-client's default Node.js metrics (`process_*`, `nodejs_*`) for `registry`, once:
 * `collectDefaultMetrics` throws when called twice for one registry. Throws, like it, when one of
 * its names is taken; the metrics it registered before that stay.
 */
export function ensureDefaultMetrics(registry: Registry): void {
  if (collecting.has(registry) || registry.getSingleMetric('process_cpu_user_seconds_total') !== undefined) return;
  collecting.add(registry);
  collectDefaultMetrics({ register: registry });
}

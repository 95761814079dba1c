import { collectDefaultMetrics, type Registry } from 'prom-client';

const collecting = new WeakSet<Registry>();

/** Turns on prom-client's Node.js default metrics for `registry`, once. */
export function ensureDefaultMetrics(registry: Registry): void {
  if (collecting.has(registry) || registry.getSingleMetric('process_cpu_user_seconds_total') !== undefined) return;
  collecting.add(registry);
  collectDefaultMetrics({ register: registry });
}

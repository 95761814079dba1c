import type { Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';

/**
 * The metric registered on `registry` under `name`, or `undefined` when the name is free; throws
 * a {@link ConfigurationError} when it is taken by a metric of another class. Lets a second
 * runtime (or a second `MetricsService` call) on one registry reuse what the first registered.
 */
export function registeredMetric<M>(registry: Registry, name: string, type: abstract new (...args: never[]) => M): M | undefined {
  const metric = registry.getSingleMetric(name) as unknown;
  if (metric === undefined) return undefined;
  if (metric instanceof type) return metric;
  throw new ConfigurationError('KRPC_CONFIG_INVALID', `Metric ${name} is already registered with another type`, {
    fix: 'give the metric another name',
  });
}

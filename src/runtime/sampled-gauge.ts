import { Gauge, type Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
import { registeredMetric } from './registered-metric.js';

interface Source {
  read: () => number;
}

/** The source behind each gauge created here, so a second runtime on one registry can take it over. */
const sourceOf = new WeakMap<Gauge, Source>();

/**
 * An unlabelled prom-client `Gauge` set from `read()` at every collect (each scrape). On a registry
 * that already has it, the existing gauge is returned and reads from `read` from now on.
 *
 * @example
 * ```ts
 * sampledGauge(registry, 'queue_depth', 'Jobs waiting.', () => queue.length);
 * ```
 */
export function sampledGauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  const existing = registeredMetric(registry, name, Gauge);
  if (existing) {
    const source = sourceOf.get(existing);
    if (!source) {
      throw new ConfigurationError('KRPC_CONFIG_INVALID', `Metric ${name} is already registered by someone else`, {
        fix: 'give the other metric another name',
      });
    }
    source.read = read;
    return existing;
  }
  const source: Source = { read };
  const gauge = new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(source.read());
    },
  });
  sourceOf.set(gauge, source);
  return gauge;
}

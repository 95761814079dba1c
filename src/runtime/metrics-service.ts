import type { Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
import { promMetricClasses } from './prom-client-parts.js';

type Config<C> = Omit<C, 'registers'>;

/**
 * Defines an app's own Prometheus metrics on the runtime's registry (prom-client's default one
 * unless configured), served on `/metrics` next to the framework's. Inject it by type. Asking
 * twice for one name returns the same metric, so it is safe in constructors and `onInit`.
 * prom-client's metric classes are loaded by the first metric defined, not at start-up.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Orders {
 *   private readonly placed: Counter<'region'>;
 *   constructor(metrics: MetricsService) {
 *     this.placed = metrics.counter({ name: 'shop_orders_placed_total', help: 'Orders placed.', labelNames: ['region'] });
 *   }
 *   place(region: string) { this.placed.inc({ region }); }
 * }
 * ```
 */
export class MetricsService {
  constructor(readonly registry: Registry) {}

  /** A counter (monotonic; name it `…_total`). */
  counter<T extends string = string>(config: Config<CounterConfiguration<T>>): Counter<T> {
    const { Counter } = promMetricClasses();
    return this.existing(config.name, Counter) ?? new Counter<T>({ ...config, registers: [this.registry] });
  }

  /** A gauge (a value that goes up and down). */
  gauge<T extends string = string>(config: Config<GaugeConfiguration<T>>): Gauge<T> {
    const { Gauge } = promMetricClasses();
    return this.existing(config.name, Gauge) ?? new Gauge<T>({ ...config, registers: [this.registry] });
  }

  /** A histogram (name it after its unit, e.g. `…_seconds`). */
  histogram<T extends string = string>(config: Config<HistogramConfiguration<T>>): Histogram<T> {
    const { Histogram } = promMetricClasses();
    return this.existing(config.name, Histogram) ?? new Histogram<T>({ ...config, registers: [this.registry] });
  }

  private existing<M>(name: string, type: abstract new (...args: never[]) => M): M | undefined {
    const metric = this.registry.getSingleMetric(name) as unknown;
    if (metric === undefined) return undefined;
    if (metric instanceof type) return metric;
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Metric ${name} is already registered with another type`, {
      fix: 'give the metric another name',
    });
  }
}

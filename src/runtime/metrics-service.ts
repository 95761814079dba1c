import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Registry,
} from 'prom-client';
import { registeredMetric } from './registered-metric.js';

type Config<C> = Omit<C, 'registers'>;

/**
 * Defines an app's own Prometheus metrics (prom-client's `Counter`, `Gauge`, `Histogram`) on the
 * runtime's registry (prom-client's default one unless configured), served on `/metrics` next to
 * the framework's. Inject it by type. Asking twice for one name returns the same metric, so it is
 * safe in constructors and `onInit`.
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
    return registeredMetric(this.registry, config.name, Counter<T>) ?? new Counter<T>({ ...config, registers: [this.registry] });
  }

  /** A gauge (a value that goes up and down). */
  gauge<T extends string = string>(config: Config<GaugeConfiguration<T>>): Gauge<T> {
    return registeredMetric(this.registry, config.name, Gauge<T>) ?? new Gauge<T>({ ...config, registers: [this.registry] });
  }

  /** A histogram (name it after its unit, e.g. `…_seconds`). */
  histogram<T extends string = string>(config: Config<HistogramConfiguration<T>>): Histogram<T> {
    return registeredMetric(this.registry, config.name, Histogram<T>) ?? new Histogram<T>({ ...config, registers: [this.registry] });
  }
}

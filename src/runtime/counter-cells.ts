import { Counter, type Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
import { registeredMetric } from './registered-metric.js';

/** One label child of a {@link CounterCells} counter as a plain number: the per-call path does `cell.value++`. */
export interface Cell {
  value: number;
}

interface Binding {
  readonly labels: Readonly<Record<string, string>>;
  readonly cell: Cell;
  /** How much of `cell.value` the counter has been given. */
  exported: number;
}

/** The bindings behind each counter created here, so a second runtime on one registry shares them. */
const bindingsOf = new WeakMap<Counter, Map<string, Binding>>();

/**
 * A prom-client `Counter` whose label children are bound once (per method, at boot) to plain
 * number cells, so a call does no label hashing. Every collect (each scrape) hands the counter each
 * cell's increase since the previous collect through `inc(labels, delta)`, so what prom-client
 * exports is exact. A second instance for a name already on the registry shares the first's
 * counter and cells.
 *
 * @example
 * ```ts
 * const started = new CounterCells(registry, 'jobs_started_total', 'Jobs started.', ['queue']);
 * const fast = started.bind({ queue: 'fast' }); // at boot
 * fast.value++;                                  // per job
 * ```
 */
export class CounterCells {
  /** The prom-client counter the cells are exported through. */
  readonly counter: Counter;
  private readonly bindings: Map<string, Binding>;

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
    const existing = registeredMetric(registry, name, Counter);
    const shared = existing && bindingsOf.get(existing);
    if (existing && !shared) {
      throw new ConfigurationError('KRPC_CONFIG_INVALID', `Metric ${name} is already registered by someone else`, {
        fix: 'give the other metric another name',
      });
    }
    const bindings = shared ?? new Map<string, Binding>();
    this.bindings = bindings;
    this.counter =
      existing ??
      new Counter({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        collect() {
          // delta 0 too: it re-creates the zero series after a registry reset
          for (const binding of bindings.values()) {
            const value = binding.cell.value;
            this.inc(binding.labels, value - binding.exported);
            binding.exported = value;
          }
        },
      });
    if (!shared) bindingsOf.set(this.counter, bindings);
  }

  /** The cell of one label set, shared by every caller that binds it; its series is exported from now on, at zero until counted. */
  bind(labels: Readonly<Record<string, string>>): Cell {
    const key = JSON.stringify(labels);
    let binding = this.bindings.get(key);
    if (!binding) {
      this.counter.inc(labels, 0);
      binding = { labels, cell: { value: 0 }, exported: 0 };
      this.bindings.set(key, binding);
    }
    return binding.cell;
  }
}

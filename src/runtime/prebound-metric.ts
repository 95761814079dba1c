import type { Metric, Registry } from 'prom-client';

/** One exposition sample, in the shape prom-client's registry formats. */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** A counter or gauge cell bound to one label set: the hot path is `cell.value++`. */
export interface Cell {
  value: number;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A metric whose label children are bound once (at boot, per method) and updated as plain
 * numbers, so a call does no hashing or string work; prom-client's registry reads it at scrape
 * time through `get()`. Registering twice under one name on one registry returns the first.
 */
export abstract class PreboundMetric<C> {
  readonly aggregator = 'sum';
  protected readonly cells = new Map<string, C>();

  protected constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: readonly string[],
  ) {}

  /** The cell for `labelValues` (in `labelNames` order), created at zero on first use. */
  child(...labelValues: string[]): C {
    const key = labelValues.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, i) => {
        labels[n] = labelValues[i] ?? '';
      });
      cell = this.createCell(labels);
      this.cells.set(key, cell);
    }
    return cell;
  }

  protected abstract createCell(labels: Record<string, string>): C;
  protected abstract samples(): Sample[];

  /** prom-client's metric contract. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }

  /** prom-client's `resetMetrics()` contract: every cell back to zero. */
  abstract reset(): void;
}

/** Returns the metric registered under `metric.name`, registering `metric` if there is none. */
export function registerOnce<M extends PreboundMetric<unknown>>(registry: Registry, metric: M): M {
  const existing = registry.getSingleMetric(metric.name) as unknown;
  if (existing instanceof PreboundMetric) {
    if (existing.type !== metric.type || existing.constructor !== metric.constructor) {
      throw new Error(`Metric ${metric.name} is already registered with another type`);
    }
    return existing as M;
  }
  registry.registerMetric(metric as unknown as Metric);
  return metric;
}

/** A counter or gauge with pre-bound cells. */
export class PreboundScalar extends PreboundMetric<Cell> {
  constructor(name: string, help: string, type: 'counter' | 'gauge', labelNames: readonly string[] = []) {
    super(name, help, type, labelNames);
  }

  protected createCell(labels: Record<string, string>): Cell {
    return { value: 0, labels };
  }

  protected samples(): Sample[] {
    return [...this.cells.values()].map((c) => ({ labels: c.labels, value: c.value }));
  }

  reset(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }
}

import { PreboundMetric, type Sample } from './prebound-metric.js';

/** An unlabelled gauge whose value is read from a function at scrape time. */
export class CallbackGauge extends PreboundMetric<never> {
  constructor(
    name: string,
    help: string,
    private read: () => number,
  ) {
    super(name, help, 'gauge', []);
  }

  /** Points the gauge at another source (a second runtime sharing the registry takes it over). */
  setSource(read: () => number): void {
    this.read = read;
  }

  protected createCell(): never {
    throw new Error(`${this.name} has no labels`);
  }

  protected samples(): Sample[] {
    return [{ labels: {}, value: this.read() }];
  }

  reset(): void {}
}

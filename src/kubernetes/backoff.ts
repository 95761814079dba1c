/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay (default 250 ms). */
  readonly initialMs?: number;
  /** Cap on the delay (default 30 000 ms). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly multiplier?: number;
}

/**
 * Capped exponential backoff with full jitter over the upper half of the window
 * (delay in [d/2, d]), so a fleet of clients does not reconnect in lock-step.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private current: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
    this.current = this.initialMs;
  }

  /** The next delay; each call grows the window up to the cap. */
  next(): number {
    const window = this.current;
    this.current = Math.min(this.maxMs, this.current * this.multiplier);
    return window / 2 + Math.random() * (window / 2);
  }

  /** Back to the initial delay, after a success. */
  reset(): void {
    this.current = this.initialMs;
  }
}

import { performance } from 'node:perf_hooks';

/**
 * A short-interval timer that measures how late the event loop reaches it: the delay every
 * request read in the same turn has already waited, which no queue in front of the handlers
 * (socket, HTTP/2) can hide. The timer is unref'd.
 */
export class EventLoopLag {
  private due = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The lateness of the last probe (ms). */
  lastLagMs = 0;

  /**
   * @param intervalMs how often the probe is due (default 10 ms)
   * @param onSample called with each probe's lateness
   */
  constructor(
    readonly intervalMs = 10,
    private readonly onSample?: (lagMs: number) => void,
  ) {}

  /** Starts probing (idempotent). */
  start(): void {
    if (this.timer) return;
    this.due = performance.now() + this.intervalMs;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops probing. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** How late the probe is right now (ms): 0 while the loop keeps up. */
  overdueMs(now = performance.now()): number {
    return this.timer ? Math.max(0, now - this.due) : 0;
  }

  private tick(): void {
    const now = performance.now();
    this.lastLagMs = Math.max(0, now - this.due);
    this.due = now + this.intervalMs;
    this.onSample?.(this.lastLagMs);
  }
}

import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/**
 * Samples Node's event-loop utilization (0..1: the share of time the loop was busy) over a
 * fixed window, the saturation signal `krpc_event_loop_utilization` exports. The timer is
 * unref'd: it never keeps the process alive.
 */
export class EventLoopMonitor {
  private previous: EventLoopUtilization = performance.eventLoopUtilization();
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param windowMs the window the value is averaged over (default 1000 ms). */
  constructor(readonly windowMs = 1000) {}

  /** Starts sampling (idempotent). */
  start(): void {
    if (this.timer) return;
    this.previous = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.sample(), this.windowMs);
    this.timer.unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The utilization over the last complete window (before the first one: since start). */
  get value(): number {
    if (this.timer && this.last === 0) return performance.eventLoopUtilization(this.previous).utilization;
    return this.last;
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    this.last = performance.eventLoopUtilization(now, this.previous).utilization;
    this.previous = now;
  }
}

import { performance } from 'node:perf_hooks';
import { EventLoopLag } from './event-loop-lag.js';

/** Options of {@link OverloadShedder}. */
export interface OverloadShedderOptions {
  /** The event-loop delay (ms) over which calls start being refused; 0 turns shedding off. */
  readonly maxLagMs: number;
  /** The largest share of calls refused (default 0.1). */
  readonly maxShedRatio?: number;
  /** How much the refused share moves per probe (default 0.02). */
  readonly step?: number;
  /** How long every probe must have been late before shedding starts (default 500 ms): a GC pause or a starved CPU alone is not overload. */
  readonly sustainMs?: number;
  /** Largest `grpc-retry-pushback-ms` sent (default 2000). */
  readonly maxPushbackMs?: number;
}

/**
 * Admission control on event-loop delay, for fast and slow handlers alike (an in-flight count
 * never rises when a handler answers in the same tick). While the loop is later than `maxLagMs`
 * for `sustainMs`, the refused share of calls grows step by step, and it shrinks once the loop keeps up again
 * (AIMD on a drop probability, as CoDel/PIE do on queueing delay). The share is capped: on one
 * event loop a refusal costs almost what an answer costs, so refusing more would cut goodput
 * without shortening the loop's turns. Each refusal carries a jittered `grpc-retry-pushback-ms`.
 */
export class OverloadShedder {
  readonly maxLagMs: number;
  private readonly maxShedRatio: number;
  private readonly step: number;
  private readonly maxPushbackMs: number;
  private readonly sustainMs: number;
  private readonly lag: EventLoopLag;
  private lateSince: number | undefined;
  /** The share of calls refused now (0..maxShedRatio). */
  shedRatio = 0;

  constructor(options: OverloadShedderOptions, intervalMs?: number) {
    this.maxLagMs = options.maxLagMs;
    this.maxShedRatio = options.maxShedRatio ?? 0.1;
    this.step = options.step ?? 0.02;
    this.maxPushbackMs = options.maxPushbackMs ?? 2000;
    this.sustainMs = options.sustainMs ?? 500;
    this.lag = new EventLoopLag(intervalMs, (lagMs) => this.adjust(lagMs));
    if (this.enabled) this.lag.start();
  }

  /** Whether shedding is on. */
  get enabled(): boolean {
    return this.maxLagMs > 0;
  }

  /** Whether a call arriving now may run. */
  admit(): boolean {
    return this.shedRatio === 0 || Math.random() >= this.shedRatio;
  }

  /** The loop's current delay in ms (what `krpc_event_loop_lag_seconds` exports). */
  get lagMs(): number {
    return Math.max(this.lag.lastLagMs, this.lag.overdueMs());
  }

  /** How long a refused caller should wait: twice the current delay, jittered, so callers do not return together. */
  pushbackMs(): number {
    const base = Math.max(this.maxLagMs, this.lagMs) * 2;
    return Math.round(Math.min(this.maxPushbackMs, base * (0.75 + Math.random() / 2)));
  }

  /** Stops the probe. */
  stop(): void {
    this.lag.stop();
  }

  private adjust(lagMs: number): void {
    const now = performance.now();
    const late = lagMs > this.maxLagMs;
    this.lateSince = late ? (this.lateSince ?? now - lagMs) : undefined;
    const sustained = this.lateSince !== undefined && now - this.lateSince >= this.sustainMs;
    const next = sustained ? this.shedRatio + this.step : late ? this.shedRatio : this.shedRatio - this.step / 2;
    this.shedRatio = Math.min(this.maxShedRatio, Math.max(0, next));
  }
}

import { performance } from 'node:perf_hooks';

/** A running call the default-timeout watchdog can fail: due at `timeoutDue` (a `performance.now()` time). */
export interface TimedCall {
  readonly timeoutDue: number;
  /** Fails the running call with DEADLINE_EXCEEDED. */
  expire(): void;
}

/** How late, at most, the watchdog fails a call past its due time; calls falling due this close together share one timer run. */
export const TIMEOUT_GRANULARITY_MS = 250;

const running = new Set<TimedCall>();
let timer: NodeJS.Timeout | undefined;
/** When the armed timer runs (`performance.now()` time); Infinity when none is armed. */
let firesAt = Number.POSITIVE_INFINITY;

/**
 * Starts watching a call that has only the client's built-in default timeout
 * (`DEFAULT_TIMEOUT_MS`): one shared timer for all of them instead of a grpc-js deadline
 * timer and a `grpc-timeout` header per call. The timer keeps the process alive while calls are
 * watched, like grpc-js's deadline timers, and not once none are.
 */
export function watchTimeout(call: TimedCall): void {
  running.add(call);
  if (call.timeoutDue + TIMEOUT_GRANULARITY_MS < firesAt) arm(call.timeoutDue);
  else if (running.size === 1) timer?.ref();
}

/** Stops watching a call (it has its status). */
export function unwatchTimeout(call: TimedCall): void {
  running.delete(call);
  if (running.size === 0) timer?.unref();
}

function arm(due: number): void {
  if (timer) clearTimeout(timer);
  const now = performance.now();
  firesAt = Math.max(due, now) + TIMEOUT_GRANULARITY_MS;
  timer = setTimeout(expireDue, firesAt - now);
  if (running.size === 0) timer.unref();
}

function expireDue(): void {
  timer = undefined;
  firesAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  const due: TimedCall[] = [];
  for (const call of running) {
    if (call.timeoutDue <= now) due.push(call);
    else if (call.timeoutDue < next) next = call.timeoutDue;
  }
  for (const call of due) running.delete(call);
  if (next !== Number.POSITIVE_INFINITY) arm(next);
  for (const call of due) call.expire();
}

/** The calls the watchdog watches (for tests). */
export function watchedCalls(): ReadonlySet<TimedCall> {
  return running;
}

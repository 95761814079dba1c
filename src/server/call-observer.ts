import { Status } from '../errors/index.js';
import type { MethodInfo } from './method-info.js';

/**
 * Observes every call of one method; built once per method at boot so that per-call work is
 * a few counter increments (metrics pre-bind their label children here).
 */
export interface MethodObserver {
  /** A call arrived, before any user code. Return `false` to shed it with RESOURCE_EXHAUSTED. */
  start(): boolean;
  /**
   * Whether a call with `remainingMs` left of its deadline (as grpc-js counts it: from when the
   * call was read) has in truth run out while it queued; such a call is answered
   * DEADLINE_EXCEEDED without running any user code (and counted here). Absent: never.
   */
  expiredInQueue?(remainingMs: number): boolean;
  /** For a call `start` refused: the `grpc-retry-pushback-ms` to send with RESOURCE_EXHAUSTED. */
  retryPushbackMs?(): number | undefined;
  /** A request message was received. */
  received(): void;
  /** A response message was sent. */
  sent(): void;
  /** The call ended with `code`; `startedAt` is the `performance.now()` at its start. */
  end(code: Status, startedAt: number): void;
}

/** Something that observes calls: the runtime's metrics and load shedder are ones. */
export interface CallObserver {
  forMethod(method: MethodInfo): MethodObserver;
}

const NOOP: MethodObserver = { start: () => true, received: () => {}, sent: () => {}, end: () => {} };

/** Combines several observers into one per method (or a no-op when there are none). */
export function combineObservers(observers: readonly CallObserver[], method: MethodInfo): MethodObserver {
  const list = observers.map((o) => o.forMethod(method));
  if (list.length === 0) return NOOP;
  if (list.length === 1) return list[0] as MethodObserver;
  const pushback = list.find((o) => o.retryPushbackMs);
  const expiry = list.find((o) => o.expiredInQueue);
  return {
    ...(pushback ? { retryPushbackMs: () => pushback.retryPushbackMs?.() } : {}),
    ...(expiry ? { expiredInQueue: (remainingMs: number) => expiry.expiredInQueue?.(remainingMs) === true } : {}),
    start: () => {
      for (let i = 0; i < list.length; i++) {
        if (!(list[i] as MethodObserver).start()) {
          for (let j = 0; j < i; j++) (list[j] as MethodObserver).end(Status.RESOURCE_EXHAUSTED, 0);
          return false;
        }
      }
      return true;
    },
    received: () => {
      for (const o of list) o.received();
    },
    sent: () => {
      for (const o of list) o.sent();
    },
    end: (code, startedAt) => {
      for (const o of list) o.end(code, startedAt);
    },
  };
}

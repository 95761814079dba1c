import type { Status } from '../errors/index.js';
import type { CallKind } from '../proto/index.js';

/** The rpc an outgoing call is for. */
export interface ClientMethodInfo {
  /** Fully-qualified service name. */
  readonly service: string;
  /** The rpc's name in the proto. */
  readonly rpcName: string;
  /** `/package.Service/Method` */
  readonly path: string;
  readonly kind: CallKind;
}

/** Observes every outgoing call of one method (built once per method; pre-bind labels here). */
export interface ClientMethodObserver {
  /** The call was started. */
  start(): void;
  /** A response message was received. */
  received(): void;
  /** A request message was sent. */
  sent(): void;
  /** The call ended with `code`; `startedAt` is the `performance.now()` at its start. */
  end(code: Status, startedAt: number): void;
}

/** Something that observes outgoing calls (the runtime's `grpc_client_*` metrics). */
export interface ClientCallObserver {
  forMethod(method: ClientMethodInfo): ClientMethodObserver;
}

const idle: ClientMethodObserver = { start() {}, received() {}, sent() {}, end() {} };

/** True for the observer of a method nobody observes (its calls need no start time). */
export function isIdleObserver(observer: ClientMethodObserver): boolean {
  return observer === idle;
}

/** One observer for a method that forwards to every observer in `observers`. */
export function combineClientObservers(observers: readonly ClientCallObserver[], method: ClientMethodInfo): ClientMethodObserver {
  const list = observers.map((o) => o.forMethod(method));
  if (list.length === 0) return idle;
  if (list.length === 1) return list[0] as ClientMethodObserver;
  return {
    start: () => {
      for (const o of list) o.start();
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

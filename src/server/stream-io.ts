import type { Readable } from 'node:stream';
import { RpcError, Status } from '../errors/index.js';
import type { MethodObserver } from './call-observer.js';
import type { ServerCall } from './server-call.js';

/** The writable side of a grpc-js server stream. */
export interface MessageSink {
  write(message: unknown): boolean;
  on(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

/** Resolves when `register`'s event fires or the call is aborted, whichever comes first. */
function waitFor(ctx: ServerCall, register: (done: () => void) => () => void): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    let unregister: (() => void) | undefined;
    let stopWatching: (() => void) | undefined;
    const done = () => {
      if (settled) return;
      settled = true;
      stopWatching?.();
      unregister?.();
      resolve();
    };
    unregister = register(done);
    stopWatching = ctx.whenAborted(done);
    if (settled) {
      stopWatching();
      unregister();
    }
  });
}

/** Whether `value` is a promise (or promise-like) to wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Writes what a streaming handler yields to the call, waiting for `drain` when the HTTP/2
 * window is full (back-pressure), and stopping when the call is aborted.
 *
 * An `AsyncIterable` (an `async *` generator) is read one `next()` at a time. A plain `Iterable`
 * (a `function*` generator, an array) is drained synchronously until `write()` reports
 * back-pressure, like a hand-written grpc-js write loop, with no promise per message; a promise
 * it yields is awaited first, as `for await` would.
 *
 * One `drain` listener and one abort watch serve the whole call, added at the start and removed
 * at the end, so a back-pressure pause allocates nothing.
 */
export function pumpReplies(source: unknown, sink: MessageSink, ctx: ServerCall, observer: MethodObserver): Promise<void> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown>;
  let sync: boolean;
  try {
    ({ iterator, sync } = iteratorOf(source, ctx));
  } catch (error) {
    return Promise.reject(error);
  }
  // `.then` callbacks rather than an `await` loop: one promise reaction per message, not a suspend and resume
  return new Promise<void>((resolve, reject) => {
    /** What goes on writing once the call drains (or is aborted); set only while paused. */
    let resume: (() => void) | undefined;
    const wake = (): void => {
      const next = resume;
      if (next === undefined) return;
      resume = undefined;
      next();
    };
    sink.on('drain', wake);
    const stopWatching = ctx.whenAborted(wake);
    const settle = (): void => {
      resume = undefined;
      sink.removeListener('drain', wake);
      stopWatching();
    };
    const finish = (): void => {
      settle();
      resolve();
    };
    /** Ends the pump with `error` once the handler's iterator is closed (its `finally` blocks run). */
    const fail = (error: unknown): void => {
      settle();
      let closing: unknown;
      try {
        closing = typeof iterator.return === 'function' ? iterator.return() : undefined;
      } catch {
        // the handler's cleanup failed after the call already ended; nothing left to tell the caller
      }
      const end = () => reject(error);
      Promise.resolve(closing).then(end, end);
    };
    /**
     * Writes one reply. `true`: go on at once; `false`: stop here (the pump failed, or `next`
     * runs once the call drains).
     */
    const deliver = (value: unknown, next: () => void): boolean => {
      let writable: boolean;
      try {
        if (ctx.aborted) {
          fail(ctx.reason);
          return false;
        }
        observer.sent();
        writable = sink.write(value);
      } catch (error) {
        fail(error);
        return false;
      }
      if (writable) return true;
      resume = next;
      return false;
    };
    const pull = (): void => {
      if (ctx.aborted) {
        fail(ctx.reason);
        return;
      }
      let next: unknown;
      try {
        next = iterator.next();
      } catch (error) {
        fail(error);
        return;
      }
      Promise.resolve(next as Promise<IteratorResult<unknown>>).then(onStep, fail);
    };
    const onStep = (step: IteratorResult<unknown>): void => {
      if (step.done) finish();
      else if (deliver(step.value, pull)) pull();
    };
    const drain = (): void => {
      for (;;) {
        if (ctx.aborted) {
          fail(ctx.reason);
          return;
        }
        let step: IteratorResult<unknown>;
        try {
          step = (iterator as Iterator<unknown>).next();
        } catch (error) {
          fail(error);
          return;
        }
        if (step.done) {
          finish();
          return;
        }
        if (isThenable(step.value)) {
          Promise.resolve(step.value).then((value) => {
            if (deliver(value, drain)) drain();
          }, fail);
          return;
        }
        if (!deliver(step.value, drain)) return;
      }
    };
    if (sync) drain();
    else pull();
  });
}

function iteratorOf(source: unknown, ctx: ServerCall): { iterator: AsyncIterator<unknown> | Iterator<unknown>; sync: boolean } {
  if (source !== null && typeof source === 'object') {
    const asyncIt = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return { iterator: asyncIt.call(source), sync: false };
    const it = (source as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof it === 'function') return { iterator: it.call(source), sync: true };
  }
  throw new TypeError(
    `${ctx.method.className}.${ctx.method.propertyKey} serves the streaming rpc ${ctx.method.path} and must return an AsyncIterable (write it as an async generator: async *${ctx.method.propertyKey}(...))`,
  );
}

/**
 * The request messages of a client or bidi stream as an async iterable that respects
 * back-pressure, ends when the client half-closes, and throws the abort reason when the call
 * is cancelled. Breaking out of it leaves the call open (the reply side is unaffected).
 */
export async function* readRequests(stream: Readable, ctx: ServerCall, observer: MethodObserver): AsyncGenerator<unknown> {
  for (;;) {
    if (ctx.aborted) throw ctx.reason ?? new RpcError(Status.CANCELLED, 'Call cancelled');
    const message: unknown = stream.read();
    if (message !== null) {
      observer.received();
      yield message;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) return;
    await waitFor(ctx, (done) => {
      stream.once('readable', done);
      stream.once('end', done);
      stream.once('close', done);
      return () => {
        stream.removeListener('readable', done);
        stream.removeListener('end', done);
        stream.removeListener('close', done);
      };
    });
  }
}

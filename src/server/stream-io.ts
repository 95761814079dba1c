import type { Readable } from 'node:stream';
import { RpcError, Status } from '../errors/index.js';
import type { MethodObserver } from './call-observer.js';
import type { RpcContext } from './rpc-context.js';

/** The writable side of a grpc-js server stream. */
export interface MessageSink {
  write(message: unknown): boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

/** Resolves when `register`'s event fires or the call is aborted, whichever comes first. */
function waitFor(ctx: RpcContext, register: (done: () => void) => () => void): Promise<void> {
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

/**
 * Writes what a streaming handler yields to the call, waiting for `drain` when the HTTP/2
 * window is full (back-pressure), and stopping when the call is aborted.
 */
export function pumpReplies(source: unknown, sink: MessageSink, ctx: RpcContext, observer: MethodObserver): Promise<void> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown>;
  try {
    iterator = toAsyncIterator(source, ctx);
  } catch (error) {
    return Promise.reject(error);
  }
  // Driven by `.then` callbacks rather than an `await` loop: one promise reaction per message
  // instead of an async function's suspend and resume (docs/performance.md, "Server streaming").
  return new Promise<void>((resolve, reject) => {
    /** Ends the pump with `error` once the handler's iterator is closed (its `finally` blocks run). */
    const fail = (error: unknown): void => {
      let closing: unknown;
      try {
        closing = typeof iterator.return === 'function' ? iterator.return() : undefined;
      } catch {
        // the handler's cleanup failed after the call already ended; nothing left to tell the caller
      }
      const end = () => reject(error);
      Promise.resolve(closing).then(end, end);
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
      let writable: boolean;
      try {
        if (step.done) {
          resolve();
          return;
        }
        if (ctx.aborted) {
          fail(ctx.reason);
          return;
        }
        observer.sent();
        writable = sink.write(step.value);
      } catch (error) {
        fail(error);
        return;
      }
      if (writable) {
        pull();
        return;
      }
      waitFor(ctx, (done) => {
        sink.once('drain', done);
        return () => sink.removeListener('drain', done);
      }).then(pull);
    };
    pull();
  });
}

function toAsyncIterator(source: unknown, ctx: RpcContext): AsyncIterator<unknown> | Iterator<unknown> {
  if (source !== null && typeof source === 'object') {
    const asyncIt = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return asyncIt.call(source);
    const it = (source as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof it === 'function') return it.call(source);
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
export async function* readRequests(stream: Readable, ctx: RpcContext, observer: MethodObserver): AsyncGenerator<unknown> {
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

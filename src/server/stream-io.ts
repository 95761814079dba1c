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

function waitFor(ctx: RpcContext, register: (done: () => void) => () => void): Promise<void> {
  return new Promise((resolve) => {
    const signal = ctx.signal;
    let unregister: () => void = () => {};
    const done = () => {
      signal.removeEventListener('abort', done);
      unregister();
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    unregister = register(done);
    if (signal.aborted) done();
  });
}

/**
 * Writes what a streaming handler yields to the call, waiting for `drain` when the HTTP/2
 * window is full (back-pressure), and stopping when the call is aborted.
 */
export async function pumpReplies(source: unknown, sink: MessageSink, ctx: RpcContext, observer: MethodObserver): Promise<void> {
  const iterator = toAsyncIterator(source, ctx);
  let finished = false;
  try {
    for (;;) {
      if (ctx.aborted) throw ctx.reason;
      const step = await iterator.next();
      if (step.done) {
        finished = true;
        return;
      }
      if (ctx.aborted) throw ctx.reason;
      observer.sent();
      if (!sink.write(step.value)) {
        await waitFor(ctx, (done) => {
          sink.once('drain', done);
          return () => sink.removeListener('drain', done);
        });
      }
    }
  } finally {
    if (!finished && typeof iterator.return === 'function') {
      try {
        await iterator.return();
      } catch {
        // the handler's cleanup failed after the call already ended; nothing left to tell the caller
      }
    }
  }
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

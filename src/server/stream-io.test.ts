import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { RpcError, Status } from '../errors/index.js';
import { silentLogger } from '../logging/index.js';
import type { MethodObserver } from './call-observer.js';
import type { MethodBinding } from './method-binding.js';
import type { MethodInfo } from './method-info.js';
import { type GrpcServerCall, ServerCall } from './server-call.js';
import { pumpReplies } from './stream-io.js';

/** A grpc-js reply stream stand-in: write() reports back-pressure after `window` messages until drain(). */
class Sink extends EventEmitter {
  readonly written: unknown[] = [];
  private inWindow = 0;
  constructor(private readonly window = Number.POSITIVE_INFINITY) {
    super();
  }
  /** Whether the last write() reported back-pressure and no drain() followed. */
  get blocked(): boolean {
    return this.inWindow >= this.window;
  }
  write(message: unknown): boolean {
    this.written.push(message);
    return ++this.inWindow < this.window;
  }
  drain(): void {
    this.inWindow = 0;
    this.emit('drain');
  }
}

const info: MethodInfo = {
  service: 't.S',
  rpcName: 'Stream',
  path: '/t.S/Stream',
  kind: 'server_stream',
  className: 'S',
  propertyKey: 'stream',
};
function context(): ServerCall {
  const call = Object.assign(new EventEmitter(), {
    metadata: new Metadata(),
    getPeer: () => 'test',
    getDeadline: () => Number.POSITIVE_INFINITY,
    sendMetadata: () => {},
  });
  const binding: MethodBinding = {
    info,
    handler: () => undefined,
    interceptors: [],
    observer: counting(),
    logger: silentLogger(),
    active: new Set(),
    scope: 'sync',
    tracer: undefined,
    accessLog: false,
  };
  return new ServerCall(binding, call as unknown as GrpcServerCall);
}
function counting(): MethodObserver & { count: number } {
  return {
    count: 0,
    start: () => true,
    received() {},
    sent() {
      this.count++;
    },
    end() {},
  };
}

/** Plays the client: drains the sink whenever the pump waits for it, until the pump is done. */
async function drainUntilDone(pumping: Promise<void>, sink: Sink): Promise<void> {
  let done = false;
  pumping.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setImmediate(r));
    if (sink.blocked) sink.drain();
  }
  await pumping;
}

describe('pumpReplies', () => {
  it('writes every message of an async generator in order and counts them', async () => {
    const sink = new Sink(4);
    const observer = counting();
    async function* gen() {
      for (let i = 0; i < 10; i++) yield i;
    }
    const pumping = pumpReplies(gen(), sink, context(), observer);
    await drainUntilDone(pumping, sink);
    expect(sink.written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(observer.count).toBe(10);
  });

  it('drains plain iterables too', async () => {
    const sink = new Sink();
    await pumpReplies(['a', 'b'], sink, context(), counting());
    expect(sink.written).toEqual(['a', 'b']);
  });

  it('drains a sync generator synchronously up to back-pressure, then resumes on drain', async () => {
    const sink = new Sink(4);
    const observer = counting();
    let produced = 0;
    function* gen() {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }
    const pumping = pumpReplies(gen(), sink, context(), observer);
    // no promise per message: the first window is written before pumpReplies returns
    expect(sink.written).toEqual([0, 1, 2, 3]);
    expect(produced).toBe(4);
    await drainUntilDone(pumping, sink);
    expect(sink.written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(observer.count).toBe(10);
  });

  it('awaits promises a sync generator yields, as for await does, and fails with a rejected one after closing it', async () => {
    const sink = new Sink();
    await pumpReplies([Promise.resolve('a'), 'b', Promise.resolve('c')], sink, context(), counting());
    expect(sink.written).toEqual(['a', 'b', 'c']);
    let closed = false;
    function* gen() {
      try {
        yield 'first';
        yield Promise.reject(new RpcError(Status.NOT_FOUND, 'gone'));
        yield 'never';
      } finally {
        closed = true;
      }
    }
    const failing = new Sink();
    await expect(pumpReplies(gen(), failing, context(), counting())).rejects.toMatchObject({ code: Status.NOT_FOUND });
    expect(failing.written).toEqual(['first']);
    expect(closed).toBe(true);
  });

  it('stops a sync generator when the call is aborted while it waits for drain, closing it and leaving no listener', async () => {
    const sink = new Sink(3);
    const ctx = context();
    let closed = false;
    function* gen() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const pumping = pumpReplies(gen(), sink, ctx, counting());
    expect(sink.listenerCount('drain')).toBe(1);
    ctx.abort(new RpcError(Status.CANCELLED, 'Call cancelled by the client'));
    await expect(pumping).rejects.toMatchObject({ code: Status.CANCELLED });
    expect(sink.written).toEqual([0, 1, 2]);
    expect(closed).toBe(true);
    expect(sink.listenerCount('drain')).toBe(0);
  });

  it('rejects with what the generator throws, after its finally block ran', async () => {
    const sink = new Sink();
    let closed = false;
    async function* gen() {
      try {
        yield 1;
        throw new RpcError(Status.NOT_FOUND, 'gone');
      } finally {
        closed = true;
      }
    }
    await expect(pumpReplies(gen(), sink, context(), counting())).rejects.toMatchObject({ code: Status.NOT_FOUND });
    expect(closed).toBe(true);
    expect(sink.written).toEqual([1]);
  });

  it('stops while waiting for drain when the call is aborted: rejects with the reason, closes the generator, leaves no listener', async () => {
    const sink = new Sink(2);
    const ctx = context();
    let produced = 0;
    let closed = false;
    async function* gen() {
      try {
        for (;;) {
          produced++;
          yield produced;
        }
      } finally {
        closed = true;
      }
    }
    const pumping = pumpReplies(gen(), sink, ctx, counting());
    while (!sink.blocked) await new Promise((r) => setImmediate(r));
    ctx.abort(new RpcError(Status.CANCELLED, 'Call cancelled by the client'));
    await expect(pumping).rejects.toMatchObject({ code: Status.CANCELLED });
    expect(closed).toBe(true);
    expect(produced).toBe(2);
    expect(sink.listenerCount('drain')).toBe(0);
  });

  it('rejects at once, without pulling, when the call is already aborted', async () => {
    const ctx = context();
    ctx.abort(new RpcError(Status.UNAVAILABLE, 'Server is shutting down'));
    let pulled = false;
    const source = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulled = true;
          return { done: true as const, value: undefined };
        },
      }),
    };
    await expect(pumpReplies(source, new Sink(), ctx, counting())).rejects.toMatchObject({ code: Status.UNAVAILABLE });
    expect(pulled).toBe(false);
  });

  it('names the method and the fix when the handler returns something that is not iterable', async () => {
    await expect(pumpReplies(42, new Sink(), context(), counting())).rejects.toThrow(
      /S\.stream .* must return an AsyncIterable \(write it as an async generator/,
    );
  });
});

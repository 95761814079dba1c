import { AsyncLocalStorage } from 'node:async_hooks';
import { Metadata } from '@grpc/grpc-js';
import type { ResponseStream } from './call-options.js';
import type { StreamMetaSink } from './stream-call.js';

/**
 * A {@link ResponseStream} whose call starts on the first `next()`, in the async context of
 * the proxy call that created it (so the deadline, cancellation and headers of the call
 * being served still propagate). It can be iterated once.
 */
export function lazyResponseStream<Res>(start: (sink: StreamMetaSink) => Promise<AsyncIterable<unknown>>): ResponseStream<Res> {
  const inContext = AsyncLocalStorage.snapshot();
  let resolveHeaders: (m: Metadata) => void = () => {};
  let resolveTrailers: (m: Metadata) => void = () => {};
  const headers = new Promise<Metadata>((r) => {
    resolveHeaders = r;
  });
  const trailers = new Promise<Metadata>((r) => {
    resolveTrailers = r;
  });
  const sink: StreamMetaSink = { headers: resolveHeaders, trailers: resolveTrailers };
  let started: Promise<AsyncIterator<unknown>> | undefined;
  const iterator = (): Promise<AsyncIterator<unknown>> => {
    started ??= inContext(() => start(sink)).then(
      (iterable) => iterable[Symbol.asyncIterator](),
      (error: unknown) => {
        resolveHeaders(new Metadata());
        resolveTrailers(
          error instanceof Error && 'metadata' in error && error.metadata instanceof Metadata ? error.metadata : new Metadata(),
        );
        throw error;
      },
    );
    return started;
  };
  const shared: AsyncIterator<Res> = {
    next: async () => (await iterator()).next() as Promise<IteratorResult<Res>>,
    return: async (value?: unknown) => {
      if (started) {
        const inner = await started.catch(() => undefined);
        await inner?.return?.();
      }
      return { done: true, value: value as Res };
    },
  };
  return { headers, trailers, [Symbol.asyncIterator]: () => shared };
}

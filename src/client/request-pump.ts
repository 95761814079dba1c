import type { ClientWritableStream } from '@grpc/grpc-js';
import type { ClientMethodObserver } from './client-observer.js';

function drained(stream: ClientWritableStream<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('status', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('status', done);
  });
}

/**
 * Writes every message of a request (async) iterable to a call, waiting for `drain` when the
 * stream is full, and half-closes it at the end. Stops early once the call has ended;
 * rejects with what the iterable threw.
 */
export async function pumpRequests(
  requests: unknown,
  stream: ClientWritableStream<unknown>,
  ended: () => boolean,
  observer: ClientMethodObserver,
): Promise<void> {
  const source = requests as AsyncIterable<unknown> | Iterable<unknown>;
  if (source === null || typeof source !== 'object' || (!(Symbol.asyncIterator in source) && !(Symbol.iterator in source))) {
    throw new TypeError('The requests of a streaming call must be an AsyncIterable or an Iterable');
  }
  for await (const message of source) {
    if (ended()) return;
    observer.sent();
    if (!stream.write(message) && !ended()) await drained(stream);
  }
  if (!ended()) stream.end();
}

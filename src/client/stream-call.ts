import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { type Client as GrpcClient, status as grpcStatus, Metadata, type StatusObject } from '@grpc/grpc-js';
import type { LoadedMethod } from '../proto/index.js';
import { callError, endCode, requestStreamError } from './call-error.js';
import type { ClientCall } from './client-call.js';
import type { ClientMethodObserver } from './client-observer.js';
import { watchRetries } from './client-tracer.js';
import { pumpRequests } from './request-pump.js';

/** Where a streaming call announces its response headers and trailers. */
export interface StreamMetaSink {
  headers(metadata: Metadata): void;
  trailers(metadata: Metadata): void;
}

interface ReadableCall extends Readable {
  cancel(): void;
  getPeer(): string;
}

async function* readResponses(
  stream: ReadableCall,
  status: Promise<StatusObject>,
  call: ClientCall,
  observer: ClientMethodObserver,
  pumpFailure: () => { cause: unknown } | undefined,
): AsyncGenerator<unknown, void, undefined> {
  let settled = false;
  try {
    try {
      for await (const message of stream) {
        observer.received();
        yield message;
      }
    } catch {
      // the status below says why
    }
    const final = await status;
    settled = true;
    const failure = pumpFailure();
    if (failure) throw requestStreamError(failure.cause);
    if (final.code !== grpcStatus.OK) throw callError(final, call);
  } finally {
    if (!settled) stream.cancel();
  }
}

function follow(
  stream: ReadableCall,
  call: ClientCall,
  sink: StreamMetaSink,
  observer: ClientMethodObserver,
  onEnd = () => {},
): Promise<StatusObject> {
  const startedAt = performance.now();
  call.start(stream);
  if (call.span) watchRetries(stream, call.span);
  stream.on('error', () => {});
  stream.on('metadata', (headers: Metadata) => sink.headers(headers));
  return new Promise((resolve) => {
    stream.on('status', (status: StatusObject) => {
      onEnd();
      call.settle();
      sink.headers(new Metadata());
      sink.trailers(status.metadata);
      observer.end(endCode(status, call), startedAt);
      resolve(status);
    });
  });
}

/** Starts a server-streaming call; the returned iterable yields its responses. */
export function serverStreamCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: ClientCall,
  sink: StreamMetaSink,
  observer: ClientMethodObserver,
): AsyncIterable<unknown> {
  const { definition } = method;
  observer.start();
  const stream = client.makeServerStreamRequest(
    method.path,
    definition.requestSerialize,
    definition.responseDeserialize,
    call.request,
    call.metadata,
    { deadline: call.grpcDeadline() },
  );
  observer.sent();
  const status = follow(stream, call, sink, observer);
  return readResponses(stream, status, call, observer, () => undefined);
}

/** Starts a bidi-streaming call, writing the request iterable while the responses are read. */
export function bidiStreamCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: ClientCall,
  sink: StreamMetaSink,
  observer: ClientMethodObserver,
): AsyncIterable<unknown> {
  const { definition } = method;
  observer.start();
  const stream = client.makeBidiStreamRequest(method.path, definition.requestSerialize, definition.responseDeserialize, call.metadata, {
    deadline: call.grpcDeadline(),
  });
  let ended = false;
  let failure: { cause: unknown } | undefined;
  const status = follow(stream, call, sink, observer, () => {
    ended = true;
  });
  pumpRequests(call.request, stream, () => ended, observer).catch((cause: unknown) => {
    failure = { cause };
    stream.cancel();
  });
  return readResponses(stream, status, call, observer, () => failure);
}

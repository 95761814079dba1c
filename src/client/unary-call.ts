import { performance } from 'node:perf_hooks';
import { type Client as GrpcClient, status as grpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { LoadedMethod } from '../proto/index.js';
import { callError, endCode, requestStreamError } from './call-error.js';
import type { ClientCall } from './client-call.js';
import { type ClientMethodObserver, isIdleObserver } from './client-observer.js';
import { watchRetries } from './client-tracer.js';
import { pumpRequests } from './request-pump.js';

/** Where a unary or client-streaming call leaves its response headers and trailers. */
export interface MetaSink {
  headers: Metadata;
  trailers: Metadata;
}

/** A fresh, empty {@link MetaSink}. */
export function metaSink(): MetaSink {
  return { headers: new Metadata(), trailers: new Metadata() };
}

type Outcome = { error: ServiceError | null; response: unknown };

/**
 * Sends a unary call over `client`'s channel; resolves with the response or rejects with an
 * `RpcError`. It settles from grpc-js's callback (called once, just before the `status` event);
 * with a `sink` (`.withMeta()`) it also keeps the headers and trailers.
 */
export function unaryCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: ClientCall,
  sink: MetaSink | undefined,
  observer: ClientMethodObserver,
): Promise<unknown> {
  const { definition } = method;
  return new Promise((resolve, reject) => {
    const startedAt = isIdleObserver(observer) ? 0 : performance.now();
    observer.start();
    let done = false;
    const grpcCall = client.makeUnaryRequest(
      method.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      call.request,
      call.metadata,
      { deadline: call.grpcDeadline() },
      (error, response) => {
        done = true;
        call.settle();
        observer.end(error ? endCode(error, call) : grpcStatus.OK, startedAt);
        if (error) {
          reject(callError(error, call));
          return;
        }
        observer.received();
        resolve(response);
      },
    );
    observer.sent();
    if (!done) call.start(grpcCall);
    if (call.span) watchRetries(grpcCall, call.span);
    if (sink) {
      grpcCall.on('metadata', (headers: Metadata) => {
        sink.headers = headers;
      });
      grpcCall.on('status', (status) => {
        sink.trailers = status.metadata;
      });
    }
  });
}

/** Sends a client-streaming call, writing the request iterable with backpressure. */
export function clientStreamCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: ClientCall,
  sink: MetaSink | undefined,
  observer: ClientMethodObserver,
): Promise<unknown> {
  const { definition } = method;
  return new Promise((resolve, reject) => {
    const startedAt = isIdleObserver(observer) ? 0 : performance.now();
    observer.start();
    let outcome: Outcome | undefined;
    let ended = false;
    let pumpFailure: { cause: unknown } | undefined;
    const grpcCall = client.makeClientStreamRequest(
      method.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      call.metadata,
      { deadline: call.grpcDeadline() },
      (error, response) => {
        outcome = { error, response };
      },
    );
    call.start(grpcCall);
    if (call.span) watchRetries(grpcCall, call.span);
    if (sink) {
      grpcCall.on('metadata', (headers: Metadata) => {
        sink.headers = headers;
      });
    }
    grpcCall.on('status', (status) => {
      ended = true;
      call.settle();
      if (sink) sink.trailers = status.metadata;
      const error = outcome?.error ?? (status.code === grpcStatus.OK ? null : status);
      observer.end(error ? endCode(error, call) : status.code, startedAt);
      if (pumpFailure) reject(requestStreamError(pumpFailure.cause));
      else if (error) reject(callError(error, call));
      else {
        observer.received();
        resolve(outcome?.response);
      }
    });
    pumpRequests(call.request, grpcCall, () => ended, observer).catch((cause: unknown) => {
      pumpFailure = { cause };
      grpcCall.cancel();
    });
  });
}

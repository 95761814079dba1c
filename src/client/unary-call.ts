import { type Client as GrpcClient, status as grpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { LoadedMethod } from '../proto/index.js';
import { callError, requestStreamError } from './call-error.js';
import type { OutgoingCall } from './client-interceptor.js';
import type { ClientMethodObserver } from './client-observer.js';
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

/** Sends a unary call over `client`'s channel; resolves with the response or rejects with an `RpcError`. */
export function unaryCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: OutgoingCall,
  sink: MetaSink,
  observer: ClientMethodObserver,
): Promise<unknown> {
  const { definition } = method;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    observer.start();
    let outcome: Outcome | undefined;
    const grpcCall = client.makeUnaryRequest(
      method.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      call.request,
      call.metadata,
      { deadline: call.deadline ?? Number.POSITIVE_INFINITY },
      (error, response) => {
        outcome = { error, response };
      },
    );
    observer.sent();
    const onAbort = () => grpcCall.cancel();
    call.signal.addEventListener('abort', onAbort, { once: true });
    grpcCall.on('metadata', (headers: Metadata) => {
      sink.headers = headers;
    });
    grpcCall.on('status', (status) => {
      call.signal.removeEventListener('abort', onAbort);
      sink.trailers = status.metadata;
      const error = outcome?.error ?? (status.code === grpcStatus.OK ? null : status);
      observer.end(error ? error.code : status.code, startedAt);
      if (error) {
        reject(callError(error, call));
        return;
      }
      observer.received();
      resolve(outcome?.response);
    });
  });
}

/** Sends a client-streaming call, writing the request iterable with backpressure. */
export function clientStreamCall(
  client: GrpcClient,
  method: LoadedMethod,
  call: OutgoingCall,
  sink: MetaSink,
  observer: ClientMethodObserver,
): Promise<unknown> {
  const { definition } = method;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    observer.start();
    let outcome: Outcome | undefined;
    let ended = false;
    let pumpFailure: { cause: unknown } | undefined;
    const grpcCall = client.makeClientStreamRequest(
      method.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      call.metadata,
      { deadline: call.deadline ?? Number.POSITIVE_INFINITY },
      (error, response) => {
        outcome = { error, response };
      },
    );
    const onAbort = () => grpcCall.cancel();
    call.signal.addEventListener('abort', onAbort, { once: true });
    grpcCall.on('metadata', (headers: Metadata) => {
      sink.headers = headers;
    });
    grpcCall.on('status', (status) => {
      ended = true;
      call.signal.removeEventListener('abort', onAbort);
      sink.trailers = status.metadata;
      const error = outcome?.error ?? (status.code === grpcStatus.OK ? null : status);
      observer.end(error ? error.code : status.code, startedAt);
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

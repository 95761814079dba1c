import type {
  ClientDuplexStream,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  requestCallback,
} from '@grpc/grpc-js';
import type { CallOptions, ResponseStream, ResponseWithMeta } from './call-options.js';

/**
 * What a request parameter accepts: the message with every field optional, recursively, as
 * proto3 allows (unset fields take their defaults). Unknown fields are still compile errors.
 */
export type RequestMessage<T> = T extends string | number | boolean | bigint | symbol | null | undefined | Uint8Array | Date
  ? T
  : T extends readonly (infer E)[]
    ? readonly RequestMessage<E>[]
    : T extends object
      ? { [K in keyof T]?: RequestMessage<T[K]> }
      : T;

/** The requests of a client- or bidi-streaming call: any (async) iterable of messages. */
export type RequestStream<Req> = AsyncIterable<RequestMessage<Req>> | Iterable<RequestMessage<Req>>;

/** A unary rpc on a proxy. */
export interface UnaryMethod<Req, Res> {
  (request: RequestMessage<Req>, options?: CallOptions): Promise<Res>;
  /** The same call, resolving with the response headers and trailers too. */
  withMeta(request: RequestMessage<Req>, options?: CallOptions): Promise<ResponseWithMeta<Res>>;
}

/** A server-streaming rpc on a proxy. */
export type ServerStreamMethod<Req, Res> = (request: RequestMessage<Req>, options?: CallOptions) => ResponseStream<Res>;

/** A client-streaming rpc on a proxy. */
export interface ClientStreamMethod<Req, Res> {
  (requests: RequestStream<Req>, options?: CallOptions): Promise<Res>;
  /** The same call, resolving with the response headers and trailers too. */
  withMeta(requests: RequestStream<Req>, options?: CallOptions): Promise<ResponseWithMeta<Res>>;
}

/** A bidi-streaming rpc on a proxy. */
export type BidiStreamMethod<Req, Res> = (requests: RequestStream<Req>, options?: CallOptions) => ResponseStream<Res>;

type HandlerToMethod<F> = F extends (input: infer In, ...rest: infer _Rest) => infer Out
  ? In extends AsyncIterable<infer Req>
    ? Out extends AsyncIterable<infer Res>
      ? BidiStreamMethod<Req, Res>
      : ClientStreamMethod<Req, Awaited<Out>>
    : Out extends AsyncIterable<infer Res>
      ? ServerStreamMethod<In, Res>
      : UnaryMethod<In, Awaited<Out>>
  : never;

type LifecycleHook = 'onInit' | 'onShutdown';

type ClassClient<T> = {
  readonly [K in keyof T as K extends string
    ? K extends LifecycleHook
      ? never
      : T[K] extends (...args: never[]) => unknown
        ? K
        : never
    : never]: HandlerToMethod<T[K]>;
};

type GeneratedToMethod<F> = F extends (...args: never[]) => ClientDuplexStream<infer Req, infer Res>
  ? BidiStreamMethod<Req, Res>
  : F extends (callback: requestCallback<infer Res>) => ClientWritableStream<infer Req>
    ? ClientStreamMethod<Req, Res>
    : F extends (argument: infer Req, options?: GrpcCallOptions) => ClientReadableStream<infer Res>
      ? ServerStreamMethod<Req, Res>
      : F extends (argument: infer Req, callback: requestCallback<infer Res>) => ClientUnaryCall
        ? UnaryMethod<Req, Res>
        : never;

type GeneratedClient<T> = {
  readonly [K in Exclude<keyof T, keyof GrpcClient> as K extends string
    ? K extends Uncapitalize<K>
      ? K
      : never
    : never]: GeneratedToMethod<T[K]>;
};

/**
 * The typed proxy of a service, derived either from the `@RpcService` class that serves it
 * or from the `…Client` interface `krpc-app types` (proto-loader-gen-types) generates. Each
 * rpc `SayHello` is a method `sayHello` with the shape of its call kind:
 *
 * | rpc kind | proxy method |
 * |---|---|
 * | unary | `(req, opts?) => Promise<Res>` (and `.withMeta()`) |
 * | server streaming | `(req, opts?) => AsyncIterable<Res>` |
 * | client streaming | `(reqs: AsyncIterable<Req> \| Iterable<Req>, opts?) => Promise<Res>` |
 * | bidi streaming | `(reqs, opts?) => AsyncIterable<Res>` |
 *
 * @example
 * ```ts
 * constructor(@InjectClient('helloworld.Greeter') private readonly greeter: Client<GreeterService>) {}
 * // or, from generated types:
 * constructor(@InjectClient('helloworld.Greeter') private readonly greeter: Client<GreeterClient>) {}
 * ```
 */
export type Client<T> = T extends GrpcClient ? GeneratedClient<T> : ClassClient<T>;

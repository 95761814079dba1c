import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleUnaryCall,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
} from '@grpc/grpc-js';
import type { RpcContext } from './rpc-context.js';

/** A unary handler. */
export type UnaryHandler<Req, Res> = (request: Req, ctx: RpcContext) => Res | Promise<Res>;
/**
 * A server-streaming handler: an async generator (or anything returning an `AsyncIterable`). A
 * plain `Iterable` (a `function*` generator, an array) is accepted too and written without a
 * promise per message.
 */
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: RpcContext) => AsyncIterable<Res> | Iterable<Res>;
/** A client-streaming handler. */
export type ClientStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: RpcContext) => Res | Promise<Res>;
/** A bidi-streaming handler (its replies as for {@link ServerStreamHandler}). */
export type BidiStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: RpcContext) => AsyncIterable<Res> | Iterable<Res>;

type ToHandler<H> = H extends (call: ServerDuplexStream<infer Req, infer Res>) => void
  ? [H] extends [handleBidiStreamingCall<Req, Res>]
    ? BidiStreamHandler<Req, Res>
    : never
  : H extends (call: ServerReadableStream<infer Req, infer Res>, cb: infer _C) => void
    ? [H] extends [handleClientStreamingCall<Req, Res>]
      ? ClientStreamHandler<Req, Res>
      : never
    : H extends (call: ServerUnaryCall<infer Req, infer Res>, cb: infer _C) => void
      ? [H] extends [handleUnaryCall<Req, Res>]
        ? UnaryHandler<Req, Res>
        : never
      : H extends (call: ServerWritableStream<infer Req, infer Res>) => void
        ? ServerStreamHandler<Req, Res>
        : never;

/**
 * The handler shapes for a service, derived from the `…Handlers` interface that
 * `krpc-app types` (proto-loader-gen-types) generates: each rpc `SayHello` becomes a method
 * `sayHello` with the framework's shape for its call kind. `implements` it to have the
 * compiler check every handler against the proto.
 *
 * @example
 * ```ts
 * import type { GreeterHandlers } from './generated/helloworld/Greeter.js';
 * @RpcService('helloworld.Greeter')
 * export class GreeterService implements ServiceImpl<GreeterHandlers> { … }
 * ```
 */
export type ServiceImpl<Handlers> = {
  [K in keyof Handlers as string extends K ? never : K extends string ? Uncapitalize<K> : never]: ToHandler<Handlers[K]>;
};

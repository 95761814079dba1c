import type { Metadata, MetadataValue } from '@grpc/grpc-js';
import { currentCallScopeForUser } from '../context/index.js';
import type { ContextValues } from './context-values.js';
import type { MethodInfo } from './method-info.js';

/**
 * The context of one incoming call: metadata, deadline, cancellation, peer, method, response
 * headers and trailers, and typed values interceptors pass on. Passed to handlers and
 * interceptors, and reachable from anywhere in the call with {@link RpcContext.current}.
 *
 * @example
 * ```ts
 * @RpcMethod()
 * async sayHello(req: HelloRequest, ctx: RpcContext): Promise<HelloReply> {
 *   const user = ctx.header('x-user') ?? 'anonymous';
 *   await this.repo.save(req.name, { signal: ctx.signal });
 *   ctx.setTrailer('x-served-by', process.env.POD_NAME ?? 'local');
 *   return { message: `Hello ${req.name} from ${user}` };
 * }
 * ```
 */
export interface RpcContext {
  /** Incoming metadata (request headers). */
  readonly metadata: Metadata;
  /** The rpc being served. */
  readonly method: MethodInfo;
  /** The request message of a unary or server-streaming call; the request stream (an `AsyncIterable`) of a client or bidi stream. */
  readonly request: unknown;
  /** The caller's deadline, or `undefined` when it set none. */
  readonly deadline: Date | undefined;
  /** Milliseconds left before the deadline (`Infinity` without one, never below 0). */
  remainingMs(): number;
  /**
   * Aborted when the caller cancels, the deadline passes or the server shuts down; its `reason`
   * is an `RpcError` with CANCELLED, DEADLINE_EXCEEDED or UNAVAILABLE.
   */
  readonly signal: AbortSignal;
  /** True once the call was cancelled, timed out or aborted by shutdown. */
  readonly aborted: boolean;
  /** The caller's address as grpc-js reports it, e.g. `ipv4:127.0.0.1:53422`. */
  readonly peer: string;
  /** The first value of an incoming text header. */
  header(key: string): string | undefined;
  /** Sends the response headers now (at most once; otherwise they go with the first message). */
  sendHeader(headers: Metadata | Readonly<Record<string, MetadataValue>>): void;
  /** Whether the response headers were sent. */
  readonly headerSent: boolean;
  /** Adds a trailer sent with the status (`-bin` keys take a Buffer). */
  setTrailer(key: string, value: MetadataValue): void;
  /** Typed values for the rest of the call (see `createContextKey`). */
  readonly values: ContextValues;
  /** Runs `fn` with this context as {@link RpcContext.current} (for callbacks that lose it, e.g. event emitters). */
  run<T>(fn: () => T): T;
}

/** Where to find the context of the call being served. */
export const RpcContext = {
  /**
   * The context of the call being served by the running code, if any. It follows the call across
   * `await`s when the app's call scope is `async` (`callScope: 'async'`, or the default `'auto'` in
   * an app that has clients); otherwise it is seen only until the handler's or interceptor's first
   * `await`, and a miss then is reported once as a process warning with the fix.
   */
  current(): RpcContext | undefined {
    // only the server's call objects are ever made current
    return currentCallScopeForUser() as RpcContext | undefined;
  },
};

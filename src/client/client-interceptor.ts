import type { Metadata } from '@grpc/grpc-js';
import type { ClientMethodInfo } from './client-observer.js';

/** An outgoing call as client interceptors see it, before it is sent. */
export interface OutgoingCall {
  /** The rpc called. */
  readonly method: ClientMethodInfo;
  /** The target the call goes to, after environment overrides. */
  readonly target: string;
  /** Request headers; interceptors may add or change them. */
  readonly metadata: Metadata;
  /** The deadline the call is sent with; interceptors may change it. */
  deadline: Date | undefined;
  /** Aborted when the call is cancelled (by the caller or by the incoming call). */
  readonly signal: AbortSignal;
  /** Unary and server streaming: the request message; client and bidi streaming: the request iterable. */
  readonly request: unknown;
}

/**
 * A client interceptor: runs around an outgoing call, outermost first (onion order).
 * `next()` resolves with the response for unary and client-streaming calls, and with the
 * `AsyncIterable` of responses for server and bidi streams (return a wrapped one to see each
 * message); it rejects with an `RpcError`.
 *
 * @example
 * ```ts
 * const auth: ClientInterceptor = async (call, next) => {
 *   call.metadata.set('authorization', `Bearer ${await tokens.current()}`);
 *   return next();
 * };
 * createClientLayer({ interceptors: [auth] });
 * ```
 */
export type ClientInterceptor = (call: OutgoingCall, next: () => Promise<unknown>) => Promise<unknown>;

/** A class form of a client interceptor; the client layer constructs it once, without arguments. */
export interface ClientInterceptorInstance {
  intercept(call: OutgoingCall, next: () => Promise<unknown>): Promise<unknown>;
}

/** A function interceptor or a class with an `intercept` method and a no-argument constructor. */
export type ClientInterceptorLike = ClientInterceptor | (new () => ClientInterceptorInstance);

/** Turns interceptor functions and classes into functions (classes are instantiated once). */
export function toClientInterceptors(list: readonly ClientInterceptorLike[]): ClientInterceptor[] {
  return list.map((entry) => {
    const prototype = (entry as { prototype?: { intercept?: unknown } }).prototype;
    if (typeof prototype?.intercept === 'function') {
      const instance = new (entry as new () => ClientInterceptorInstance)();
      return (call, next) => instance.intercept(call, next);
    }
    return entry as ClientInterceptor;
  });
}

/** Runs `terminal` inside `interceptors`, outermost first. */
export function runIntercepted(
  interceptors: readonly ClientInterceptor[],
  call: OutgoingCall,
  terminal: (call: OutgoingCall) => Promise<unknown>,
): Promise<unknown> {
  const step = (index: number): Promise<unknown> => {
    const interceptor = interceptors[index];
    if (!interceptor) return terminal(call);
    return interceptor(call, () => step(index + 1));
  };
  return step(0);
}

import type { Metadata } from '@grpc/grpc-js';
import type { Constructor } from '../metadata/index.js';
import type { ClientMethodInfo } from './client-observer.js';

/** An outgoing call as client interceptors see it, before it is sent. */
export interface OutgoingCall {
  /** The rpc called. */
  readonly method: ClientMethodInfo;
  /** The target the call goes to, after environment overrides. */
  readonly target: string;
  /** Request headers; interceptors may add or change them. */
  readonly metadata: Metadata;
  /**
   * The call's deadline; interceptors may change it. It is sent with the call, except the
   * client's built-in default timeout outside a call being served, which the client enforces itself.
   */
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

/**
 * A class form of a client interceptor. Under an app it is built once by the app's container
 * (constructor injection works, like any provider); outside an app, with `new` and no arguments.
 */
export interface ClientInterceptorInstance {
  intercept(call: OutgoingCall, next: () => Promise<unknown>): Promise<unknown>;
}

/** A function interceptor or an (injectable) class with an `intercept` method. */
export type ClientInterceptorLike = ClientInterceptor | Constructor<ClientInterceptorInstance>;

/** Builds the instance of an interceptor class (the app's container, or `new`). */
export type InterceptorResolver = (cls: Constructor<ClientInterceptorInstance>) => ClientInterceptorInstance;

/** True for an interceptor class (rather than a function). */
export function isClientInterceptorClass(entry: ClientInterceptorLike): entry is Constructor<ClientInterceptorInstance> {
  return typeof (entry as { prototype?: { intercept?: unknown } }).prototype?.intercept === 'function';
}

/**
 * Turns interceptor functions and classes into functions. A class is resolved on its first
 * call through `resolve()` (read then, so the app's container can be attached after proxies
 * exist) and kept.
 */
export function toClientInterceptors(list: readonly ClientInterceptorLike[], resolve: () => InterceptorResolver): ClientInterceptor[] {
  return list.map((entry) => {
    if (isClientInterceptorClass(entry)) {
      let instance: ClientInterceptorInstance | undefined;
      return (call, next) => {
        instance ??= resolve()(entry);
        return instance.intercept(call, next);
      };
    }
    return entry;
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

import { addInterceptors, type Constructor } from '../metadata/index.js';
import type { RpcContext } from './rpc-context.js';

/**
 * A server interceptor: runs around the handler (and the interceptors inside it). `next()`
 * resolves with the response for unary and client-streaming calls, and once the reply stream
 * has been sent for server and bidi streams; it rejects with what the handler threw.
 *
 * @example
 * ```ts
 * const timing: ServerInterceptor = async (ctx, next) => {
 *   const start = performance.now();
 *   try { return await next(); } finally { ctx.setTrailer('x-elapsed-ms', String(performance.now() - start)); }
 * };
 * ```
 */
export type ServerInterceptor = (ctx: RpcContext, next: () => Promise<unknown>) => Promise<unknown>;

/** An injectable class form of a server interceptor (resolved from the container). */
export interface Interceptor {
  intercept(ctx: RpcContext, next: () => Promise<unknown>): Promise<unknown>;
}

/** A function interceptor or an interceptor class. */
export type InterceptorLike = ServerInterceptor | Constructor<Interceptor>;

/**
 * Adds server interceptors to every rpc of a class, or to one method. Global interceptors run
 * outermost, then class ones, then method ones, each around the next (onion order).
 *
 * @example
 * ```ts
 * @UseInterceptors(AuthInterceptor)
 * @RpcService('helloworld.Greeter')
 * export class GreeterService {
 *   @UseInterceptors(async (ctx, next) => { ctx.setTrailer('x-cache', 'miss'); return next(); })
 *   @RpcMethod() sayHello(req: HelloRequest) { … }
 * }
 * ```
 */
export function UseInterceptors(...interceptors: InterceptorLike[]): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) addInterceptors(target, undefined, interceptors);
    else addInterceptors(target, String(propertyKey), interceptors);
  }) as ClassDecorator & MethodDecorator;
}

/** True when a value is an interceptor class rather than a function. */
export function isInterceptorClass(value: unknown): value is Constructor<Interceptor> {
  return typeof value === 'function' && typeof (value as { prototype?: { intercept?: unknown } }).prototype?.intercept === 'function';
}

/** Composes interceptors around a terminal step, outermost first. */
export function compose<C extends RpcContext>(
  interceptors: readonly ServerInterceptor[],
  terminal: (ctx: C) => Promise<unknown>,
): (ctx: C) => Promise<unknown> {
  let next = terminal;
  for (let i = interceptors.length - 1; i >= 0; i--) {
    const interceptor = interceptors[i] as ServerInterceptor;
    const inner = next;
    next = (ctx) => interceptor(ctx, () => inner(ctx));
  }
  return next;
}

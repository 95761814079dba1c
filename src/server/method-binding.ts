import type { ScopeMode } from '../context/index.js';
import type { Logger } from '../logging/index.js';
import type { MethodObserver } from './call-observer.js';
import type { MethodTracer } from './call-tracer.js';
import type { ServerInterceptor } from './interceptor.js';
import type { MethodInfo } from './method-info.js';
import type { RpcContext } from './rpc-context.js';

/** A call in progress, as the server tracks it for shutdown. */
export interface ActiveCall {
  /** Aborts the call with UNAVAILABLE (its handler's signal fires, the call ends). */
  terminate(): void;
}

/** Everything an adapter needs to serve one method. */
export interface MethodBinding {
  readonly info: MethodInfo;
  /** The user's method, bound to its instance. */
  readonly handler: (input: unknown, ctx: RpcContext) => unknown;
  /** Interceptors around the handler, outermost first. */
  readonly interceptors: readonly ServerInterceptor[];
  readonly observer: MethodObserver;
  readonly logger: Logger;
  readonly active: Set<ActiveCall>;
  /** How the app's calls carry their scope. */
  readonly scope: ScopeMode;
  /** Traces the method's calls (tracing on). */
  readonly tracer: MethodTracer | undefined;
  /** Write a debug-level access line per call (the logger is at debug). */
  readonly accessLog: boolean;
}

import type { ServerErrorResponse } from '@grpc/grpc-js';
import { Status } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { MethodObserver } from './call-observer.js';
import type { ServerInterceptor } from './interceptor.js';
import type { MethodInfo } from './method-info.js';
import type { RpcContext } from './rpc-context.js';

/** A call in progress, as the server tracks it for shutdown. */
export interface ActiveCall {
  readonly ctx: RpcContext;
  /** Aborts the handler's signal and ends the call with `reason`'s status. */
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
}

const SHED_MESSAGE = 'Server is over its in-flight limit; retry with backoff';

/** The status of a call shed by an observer (load shedding), sent before any user code runs. */
export const SHED_STATUS: ServerErrorResponse = Object.assign(new Error(SHED_MESSAGE), {
  code: Status.RESOURCE_EXHAUSTED,
  details: SHED_MESSAGE,
});

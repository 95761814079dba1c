export { AppLogger } from './app-logger.js';
export {
  type ApplicationOptions,
  type CallScopeSetting,
  type ClientLayer,
  type CloseOptions,
  DEFAULT_SERVER_OPTIONS,
  type ListenAddress,
  RpcApplication,
} from './application.js';
export { type CallObserver, combineObservers, type MethodObserver } from './call-observer.js';
export type { CallSpan, MethodTracer, ServerTracer, SpanAttributes, TracedServerCall } from './call-tracer.js';
export { type ContextKey, type ContextValues, createContextKey } from './context-values.js';
export type { BidiStreamHandler, ClientStreamHandler, ServerStreamHandler, ServiceImpl, UnaryHandler } from './handler-types.js';
export { type Interceptor, type InterceptorLike, type ServerInterceptor, UseInterceptors } from './interceptor.js';
export type { MethodInfo } from './method-info.js';
export { RpcContext } from './rpc-context.js';

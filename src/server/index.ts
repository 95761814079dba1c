export {
  type ApplicationOptions,
  type ClientLayer,
  type CloseOptions,
  DEFAULT_SERVER_OPTIONS,
  type ListenAddress,
  RpcApplication,
} from './application.js';
export { type CallObserver, combineObservers, type MethodObserver } from './call-observer.js';
export { errorToStatus } from './error-status.js';
export type {
  BidiStreamHandler,
  ClientStreamHandler,
  ServerStreamHandler,
  ServiceImpl,
  UnaryHandler,
} from './handler-types.js';
export {
  compose,
  type Interceptor,
  type InterceptorLike,
  isInterceptorClass,
  type ServerInterceptor,
  UseInterceptors,
} from './interceptor.js';
export type { MethodInfo } from './method-info.js';
export { RpcContext, type ServerCallLike } from './rpc-context.js';
export { planServices, type ServicePlan } from './service-binder.js';

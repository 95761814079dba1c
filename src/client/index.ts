export type { CallOptions, ResponseStream, ResponseWithMeta } from './call-options.js';
export { DEFAULT_CHANNEL_OPTIONS } from './channel-pool.js';
export { DEFAULT_FORWARD_HEADERS, DEFAULT_TIMEOUT_MS } from './client-call.js';
export type {
  ClientInterceptor,
  ClientInterceptorInstance,
  ClientInterceptorLike,
  OutgoingCall,
} from './client-interceptor.js';
export { type ClientLayerHandle, type ClientLayerOptions, type ClientModuleLike, createClientLayer } from './client-layer.js';
export {
  type ClientCallObserver,
  type ClientMethodInfo,
  type ClientMethodObserver,
  combineClientObservers,
} from './client-observer.js';
export type { ClientServiceOptions } from './client-settings.js';
export type { ClientMethodTracer, ClientSpan, ClientTracer, TracedClientCall } from './client-tracer.js';
export type {
  BidiStreamMethod,
  Client,
  ClientStreamMethod,
  RequestMessage,
  RequestStream,
  ServerStreamMethod,
  UnaryMethod,
} from './client-types.js';
export { targetEnvName } from './target.js';

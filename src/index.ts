/**
 * KubernetesRPC: decorated gRPC services booted by inversify into grpc-js, with the probes, drain,
 * metrics and discovery Kubernetes needs. This entry point is what apps are written against;
 * `kubernetes-rpc/testing` has the in-process test harness and `kubernetes-rpc/kubernetes` the
 * `kubernetes:///` resolver and balancing policies.
 * @packageDocumentation
 */

export { Metadata } from '@grpc/grpc-js';
export { type RunningApp, type StartAppOptions, startApp } from './app/index.js';
export type {
  CallOptions,
  Client,
  ClientInterceptor,
  ClientInterceptorInstance,
  ClientInterceptorLike,
  OutgoingCall,
  ResponseStream,
  ResponseWithMeta,
} from './client/index.js';
export { type AppConfig, loadAppConfig } from './config/index.js';
export { Inject, Injectable, InjectClient, Module, RpcMethod, RpcService } from './decorators/index.js';
export type { OnInit, OnShutdown } from './di/index.js';
export { ConfigurationError, RpcError, type RpcErrorOptions, Status } from './errors/index.js';
export { createLogger, type Logger } from './logging/index.js';
export type {
  ClientDeclaration,
  ClientDeclarationOptions,
  ModuleOptions,
  Provider,
  RetryPolicyOptions,
} from './metadata/index.js';
export { MetricsService, type ReadinessCheck, ReadinessChecks } from './runtime/index.js';
export {
  AppLogger,
  type BidiStreamHandler,
  type ClientStreamHandler,
  type ContextKey,
  type ContextValues,
  createContextKey,
  type Interceptor,
  type InterceptorLike,
  type MethodInfo,
  RpcContext,
  type ServerInterceptor,
  type ServerStreamHandler,
  type ServiceImpl,
  type UnaryHandler,
  UseInterceptors,
} from './server/index.js';
export { type ClientTlsFiles, channelCredentialsFromFiles } from './tls/index.js';

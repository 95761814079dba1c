/**
 * KubernetesRPC: decorated gRPC services booted by inversify into grpc-js.
 * @packageDocumentation
 */
export { Inject, InjectClient, type InjectOptions, Injectable, type InjectableOptions, Module, RpcMethod, RpcService } from './decorators/index.js';
export { AppContainer, type OnInit, type OnShutdown } from './di/index.js';
export {
  ConfigurationError,
  type ConfigurationErrorCode,
  type ConfigurationErrorContext,
  type ErrorDetail,
  RpcError,
  type RpcErrorOptions,
  Status,
  statusName,
} from './errors/index.js';
export { createLogger, type Logger, type LoggerOptions, type LogFn, silentLogger } from './logging/index.js';
export type {
  ClassProvider,
  ClientDeclaration,
  Constructor,
  FactoryProvider,
  ModuleOptions,
  ProtoSource,
  Provider,
  RpcMethodOptions,
  RpcServiceOptions,
  Scope,
  Token,
  ValueProvider,
} from './metadata/index.js';
export { type CallKind, DEFAULT_LOADER_OPTIONS, type ProtoLoaderOptions } from './proto/index.js';
export {
  type ApplicationOptions,
  type ClientLayer,
  type BidiStreamHandler,
  type CallObserver,
  type ClientStreamHandler,
  type CloseOptions,
  type Interceptor,
  type InterceptorLike,
  type ListenAddress,
  type MethodInfo,
  type MethodObserver,
  RpcApplication,
  RpcContext,
  type ServerInterceptor,
  type ServerStreamHandler,
  type ServiceImpl,
  type UnaryHandler,
  UseInterceptors,
} from './server/index.js';
export { Metadata } from '@grpc/grpc-js';
export { loadRootModule, type RunningApp, type StartAppOptions, serverOptionsFor, startApp } from './app/index.js';
export {
  type AppConfig,
  type AppConfigValues,
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULT_CONFIG,
  type LoadConfigOptions,
  loadAppConfig,
} from './config/index.js';

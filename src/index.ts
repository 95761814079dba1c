/**
 * KubernetesRPC: decorated gRPC services booted by inversify into grpc-js.
 * @packageDocumentation
 */

export { Metadata } from '@grpc/grpc-js';
export {
  loadRootModule,
  type RunningApp,
  routeGrpcLogs,
  runtimeFor,
  type StartAppOptions,
  serverOptionsFor,
  startApp,
} from './app/index.js';
// ── Client layer (src/client, issue 3) ──────────────────────────────────────────────────────
export {
  type BidiStreamMethod,
  type CallOptions,
  type Client,
  type ClientCallObserver,
  type ClientInterceptor,
  type ClientInterceptorInstance,
  type ClientInterceptorLike,
  type ClientLayerHandle,
  type ClientLayerOptions,
  type ClientMethodInfo,
  type ClientMethodObserver,
  type ClientServiceOptions,
  type ClientStreamMethod,
  createClientLayer,
  DEFAULT_CHANNEL_OPTIONS,
  DEFAULT_FORWARD_HEADERS,
  DEFAULT_TIMEOUT_MS,
  type OutgoingCall,
  type RequestMessage,
  type RequestStream,
  type ResponseStream,
  type ResponseWithMeta,
  type ServerStreamMethod,
  targetEnvName,
  type UnaryMethod,
} from './client/index.js';
export {
  type AppConfig,
  type AppConfigValues,
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULT_CONFIG,
  type LoadConfigOptions,
  loadAppConfig,
} from './config/index.js';
export type { CallScopeMode } from './context/index.js';
export {
  Inject,
  Injectable,
  type InjectableOptions,
  InjectClient,
  type InjectOptions,
  Module,
  RpcMethod,
  RpcService,
} from './decorators/index.js';
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
export { createLogger, LOG_LEVELS, type LogFn, type Logger, type LoggerOptions, silentLogger } from './logging/index.js';
// ── Manifests (src/manifests, issue 6): Kubernetes objects for `krpc-app manifests` / `deploy` ──
export {
  type AutoscalerKind,
  type DeployOptions,
  type DeploySpec,
  type DrainMode,
  findKubernetesTargets,
  GRACE_MARGIN_SECONDS,
  generateManifests,
  IN_FLIGHT_METRIC,
  inFlightQuery,
  type KubernetesClientTarget,
  kubernetesTargetNamespace,
  MANAGER,
  type ManifestConfig,
  type ManifestFormat,
  type ManifestMetadata,
  type ManifestObject,
  MIN_GRACE_MARGIN_SECONDS,
  manifestFileNames,
  PORT_NAMES,
  type ProbeKind,
  prometheusAdapterRules,
  type ResolveDeployOptions,
  type ResourceQuantities,
  RUNTIME_PATHS,
  renderManifests,
  renderObject,
  resolveDeploySpec,
} from './manifests/index.js';
export type {
  ClassProvider,
  ClientDeclaration,
  ClientDeclarationOptions,
  ClientMethodOptions,
  Constructor,
  FactoryProvider,
  ModuleOptions,
  ProtoSource,
  Provider,
  RetryPolicyOptions,
  RpcMethodOptions,
  RpcServiceOptions,
  Scope,
  Token,
  ValueProvider,
} from './metadata/index.js';
export { type CallKind, DEFAULT_LOADER_OPTIONS, type ProtoLoaderOptions } from './proto/index.js';
// ── Runtime module (src/runtime, issue 4) ───────────────────────────────────────────────────
export {
  KUBERNETES_DRAIN_DELAY_MS,
  LIVENESS_SERVICE,
  MetricsService,
  READINESS_SERVICE,
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessCheckResult,
  ReadinessChecks,
  type ReadinessReport,
  type ReadinessState,
  Runtime,
  type RuntimeOptions,
  type RuntimePhase,
  type RuntimeSettings,
} from './runtime/index.js';
export {
  type ApplicationOptions,
  type BidiStreamHandler,
  type CallObserver,
  type ClientLayer,
  type ClientStreamHandler,
  type CloseOptions,
  DEFAULT_SERVER_OPTIONS,
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
// ── TLS and mTLS from PEM files, reloaded on change (src/tls, issue 8) ─────────────────────
export {
  type ClientTlsFiles,
  channelCredentialsFromFiles,
  DEFAULT_TLS_REFRESH_INTERVAL_MS,
  type ServerTlsFiles,
  serverCredentialsFromConfig,
  serverCredentialsFromFiles,
  type TlsFromConfigOptions,
  type TlsSettings,
  type WatchPemFilesOptions,
  watchPemFiles,
} from './tls/index.js';

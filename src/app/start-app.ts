import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import { type ClientInterceptorLike, type ClientServiceOptions, createClientLayer, targetEnvName } from '../client/index.js';
import type { AppConfig } from '../config/index.js';
import { collectModules } from '../di/index.js';
// The resolver's own module, not the kubernetes barrel: start-up needs none of `deploy`'s apply code.
import { registerKubernetesResolver } from '../kubernetes/register-kubernetes-resolver.js';
import { createLogger, type Logger } from '../logging/index.js';
import type { Constructor } from '../metadata/index.js';
import { installSignalHandlers, Runtime } from '../runtime/index.js';
import { type InterceptorLike, type ListenAddress, RpcApplication } from '../server/index.js';
import { serverCredentialsFromConfig } from '../tls/index.js';
import { loadRootModule } from './load-root-module.js';
import { routeGrpcLogs } from './route-grpc-logs.js';
import { setupTracing } from './setup-tracing.js';
import { unknownVariables } from './unknown-variables.js';

/** Options of {@link startApp}. */
export interface StartAppOptions {
  /** The app's logger (default: pino, configured by `logLevel` and `logPretty`). */
  readonly logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that drain and exit (what `krpc-app start` does). */
  readonly handleSignals?: boolean;
  /** The root module itself, instead of importing the one the config's `module` names. */
  readonly rootModule?: Constructor;
  /** Server interceptors around every rpc, outermost first (class and method ones go inside: `@UseInterceptors`). */
  readonly interceptors?: readonly InterceptorLike[];
  /** Options of every `@InjectClient` client the app declares. */
  readonly clients?: {
    /** Interceptors of every outgoing call, outermost first. */
    readonly interceptors?: readonly ClientInterceptorLike[];
    /** Channel credentials (default: plain text, as inside a cluster or a mesh); see `channelCredentialsFromFiles`. */
    readonly credentials?: ChannelCredentials;
  };
}

/** A host and port something listens on. */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

/** An app started from its configuration. */
export interface RunningApp {
  readonly config: AppConfig;
  /** Where the gRPC server listens (the port actually bound when the config says 0). */
  readonly address: BoundAddress;
  /** Where the web listener (Connect, gRPC-Web) listens, when `webPort` is set. */
  readonly webAddress: BoundAddress | undefined;
  /** Where the runtime's HTTP endpoint (`/livez`, `/readyz`, `/metrics`) listens, if it does. */
  readonly runtimeAddress: BoundAddress | undefined;
  readonly logger: Logger;
  /** Fully-qualified names of the services served. */
  readonly services: readonly string[];
  /** Calls in progress. */
  readonly inFlight: number;
  /** Drains the app the way SIGTERM does (runtime on), or closes it, and stops the runtime. */
  stop(): Promise<void>;
}

/** grpc-js server options derived from the configuration. */
export function serverOptionsFor(config: AppConfig): ChannelOptions {
  return {
    'grpc.max_receive_message_length': config.maxReceiveMessageBytes,
    'grpc.max_concurrent_streams': config.maxConcurrentStreams,
  };
}

/** The runtime module configured from the app's configuration. */
export function runtimeFor(config: AppConfig, logger: Logger): Runtime {
  return new Runtime({
    logger,
    port: config.runtimePort,
    host: config.runtimeHost,
    http: config.runtimeHttp,
    drainDelayMs: config.drainDelayMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    maxInFlight: config.maxInFlight ?? 0,
    health: config.health,
    reflection: config.reflection,
    metrics: config.metrics,
    maxConnectionAgeMs: config.maxConnectionAgeMs,
    maxConnectionAgeGraceMs: config.maxConnectionAgeGraceMs,
    maxConnectionIdleMs: config.maxConnectionIdleMs,
    maxEventLoopLagMs: config.maxEventLoopLagMs,
  });
}

/**
 * Boots an app the way `krpc-app start` does: imports its built root module; creates the
 * runtime (probes, grpc.health.v1, reflection, metrics, shedding), the client layer and the
 * application; starts the runtime's HTTP endpoint, then the gRPC port; marks it ready and logs
 * one line with the address and the services served.
 */
export async function startApp(config: AppConfig, options: StartAppOptions = {}): Promise<RunningApp> {
  // Off (the default): nothing of OpenTelemetry is imported.
  const tracing = await setupTracing(config);
  const logger = options.logger ?? createLogger({ level: config.logLevel, pretty: config.logPretty, mixin: tracing?.logFields });
  routeGrpcLogs(logger);
  if (tracing) logger.info(tracing.summary);
  // Cheap: @kubernetes/client-node is imported only when a kubernetes:/// target is resolved.
  const resolver = registerKubernetesResolver({ logger, zone: config.zone });
  const rootModule = options.rootModule ?? (await loadRootModule(config.dir, config.module));
  const declared = collectModules(rootModule).flatMap((m) => (m.options.clients ?? []).map((c) => (typeof c === 'string' ? c : c.service)));
  for (const problem of unknownVariables(process.env, declared.map(targetEnvName))) logger.warn(problem);
  const runtime = config.runtime ? runtimeFor(config, logger) : undefined;
  const app = await RpcApplication.create(rootModule, {
    root: config.dir,
    protos: config.protos,
    includeDirs: config.includeDirs,
    callScope: config.callScope,
    logger,
    interceptors: options.interceptors,
    observers: runtime?.observers,
    globalProviders: runtime?.providers,
    serverOptions: { ...runtime?.serverOptions, ...serverOptionsFor(config) },
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    tracer: tracing?.server,
    clients: createClientLayer({
      tracer: tracing?.client,
      services: config.clients as Readonly<Record<string, ClientServiceOptions>> | undefined,
      observers: runtime?.clientObservers,
      interceptors: options.clients?.interceptors,
      credentials: options.clients?.credentials,
    }),
  });
  let address: ListenAddress;
  let runtimeAddress: ListenAddress | undefined;
  let webAddress: BoundAddress | undefined;
  try {
    runtime?.attach(app);
    // the gRPC port first: a second instance of the app then fails on it, naming the app's own port
    const credentials = serverCredentialsFromConfig(config, { dir: config.dir, logger });
    address = await app.listen({ host: config.host, port: config.port, credentials });
    webAddress = await startWeb(config, app, runtime);
    runtimeAddress = await runtime?.listen();
  } catch (error) {
    await app.close({ timeoutMs: 0 });
    await runtime?.close();
    resolver.close();
    await tracing?.shutdown();
    throw error;
  }
  const stop = async () => {
    if (runtime) await runtime.drain(app);
    else await app.close({ timeoutMs: config.shutdownTimeoutMs });
    resolver.close();
    await tracing?.shutdown();
  };
  // Before the ready line: whoever waits for that line may signal at once.
  if (options.handleSignals) installSignalHandlers(stop, { logger, watchParent: true });
  runtime?.markReady();
  logger.info(
    {
      address: `${address.host}:${address.port}`,
      port: address.port,
      runtimePort: runtimeAddress?.port,
      webPort: webAddress?.port,
      services: app.services,
    },
    `krpc-app listening on ${address.host}:${address.port} serving ${app.services.join(', ')}${webAddress ? ` (web on :${webAddress.port})` : ''}${runtimeAddress ? ` (probes and metrics on :${runtimeAddress.port})` : ''}`,
  );
  return {
    config,
    address,
    runtimeAddress,
    webAddress,
    logger,
    services: app.services,
    get inFlight() {
      return app.inFlight;
    },
    stop,
  };
}

/** The web listener when `webPort` is set; its module (and Connect) is loaded only then. */
async function startWeb(config: AppConfig, app: RpcApplication, runtime: Runtime | undefined): Promise<BoundAddress | undefined> {
  if (config.webPort === undefined) return undefined;
  const { startWebListener, webSettings } = await import('../web/index.js');
  const settings = webSettings(config.web, { host: config.host, maxBodyBytes: config.maxReceiveMessageBytes });
  return startWebListener(app, {
    port: config.webPort,
    settings,
    maxConcurrentStreams: config.maxConcurrentStreams,
    registry: runtime?.settings.metrics ? runtime.registry : undefined,
  });
}

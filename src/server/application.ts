import { type ChannelOptions, Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ScopeMode } from '../context/index.js';
import { AppContainer, type BuildContainerOptions, collectModules, type ModuleRecord } from '../di/index.js';
import { ConfigurationError } from '../errors/index.js';
import { createLogger, type Logger, levelEnabled } from '../logging/index.js';
import type { Constructor, ProtoSource, Provider } from '../metadata/index.js';
import { type LoadedProtos, loadProtos, type ProtoLoaderOptions } from '../proto/index.js';
import { appFacesOf, type BoundMethod, recordBoundApp } from './app-faces.js';
import { AppLogger } from './app-logger.js';
import { type CallObserver, combineObservers } from './call-observer.js';
import type { ServerTracer } from './call-tracer.js';
import { type GatedListener, listenGated } from './gated-listener.js';
import { type InterceptorLike, isInterceptorClass, type ServerInterceptor } from './interceptor.js';
import type { ActiveCall, MethodBinding } from './method-binding.js';
import type { MethodInfo } from './method-info.js';
import type { RpcContext } from './rpc-context.js';
import { planServices, type ServicePlan } from './service-binder.js';
import { bidiStreamAdapter, serverStreamAdapter } from './stream-adapter.js';
import { clientStreamAdapter, unaryAdapter } from './unary-adapter.js';

/**
 * grpc-js server options every app starts from. Channelz is off: nothing in the framework serves
 * or reads it, and grpc-js would otherwise keep bookkeeping for it on every call. Pass
 * `'grpc.enable_channelz': 1` in `serverOptions` to turn it back on.
 */
export const DEFAULT_SERVER_OPTIONS: Readonly<ChannelOptions> = Object.freeze({ 'grpc.enable_channelz': 0 });

/** Options of {@link RpcApplication.create}. */
export interface ApplicationOptions {
  /** Directory relative proto paths are resolved from (default: the current directory). */
  readonly root?: string;
  /** Proto files in addition to those the modules list. */
  readonly protos?: readonly ProtoSource[];
  /** Directories searched for proto `import`s. */
  readonly includeDirs?: readonly string[];
  /** proto-loader conversion options (see `DEFAULT_LOADER_OPTIONS`). */
  readonly loader?: ProtoLoaderOptions;
  readonly logger?: Logger;
  /** Interceptors around every rpc, outermost first. */
  readonly interceptors?: readonly InterceptorLike[];
  /** Low-level per-call observers (metrics, load shedding). */
  readonly observers?: readonly CallObserver[];
  /** Traces every call (set by `krpc-app start` when tracing is on; see docs/tracing.md). */
  readonly tracer?: ServerTracer;
  /** Providers replacing those with the same token (tests). */
  readonly overrides?: readonly Provider[];
  /** Providers visible to every module. */
  readonly globalProviders?: readonly Provider[];
  /**
   * grpc-js server options (`grpc.max_receive_message_length`, keepalive, …), spread over
   * {@link DEFAULT_SERVER_OPTIONS} (channelz off; `'grpc.enable_channelz': 1` turns it back on).
   */
  readonly serverOptions?: ChannelOptions;
  /** Builds `@InjectClient` proxies; the client layer provides it (see `createClientLayer`). */
  readonly clients?: ClientLayer;
  /**
   * How `RpcContext.current()` and client propagation follow this app's calls: `'auto'` (the
   * default: across `await`s when the app has clients), `'async'` (always across `await`s,
   * AsyncLocalStorage) or `'sync'` (until the first `await`). Same as the `callScope` setting of
   * `krpc-app start`; it applies to this app only.
   */
  readonly callScope?: CallScopeSetting;
  /**
   * Plaintext connections that have not sent the HTTP/2 preface within this many ms are closed
   * (slowloris); default {@link DEFAULT_HANDSHAKE_TIMEOUT_MS}, 0 turns the gate off.
   */
  readonly handshakeTimeoutMs?: number;
}

/** How long other listeners (the web port) get to write the answers of calls aborted at the shutdown timeout. */
const FACE_GRACE_MS = 1000;

/** Default of {@link ApplicationOptions.handshakeTimeoutMs}. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;

/** The `callScope` setting: `'auto'` resolves per app to `'async'` or `'sync'`. */
export type CallScopeSetting = 'auto' | ScopeMode;

/**
 * How the server meets the client layer without importing it: given the loaded protos and the
 * modules, it returns the resolver for `@InjectClient` and closes its channels on shutdown.
 */
export interface ClientLayer {
  setup(protos: LoadedProtos, modules: readonly ModuleRecord[]): NonNullable<BuildContainerOptions['resolveClient']>;
  /** Classes the container should build for the layer (client interceptor classes). */
  providers?(): readonly Constructor[];
  /** Gives the layer the built container, before any call can be made. */
  attach?(get: <T>(token: Constructor<T>) => T): void;
  /** After `setup`: whether the app declares clients, whose calls need the call scope after `await`s. */
  hasClients?(): boolean;
  close(): void | Promise<void>;
}

/** Options of {@link RpcApplication.close}. */
export interface CloseOptions {
  /** How long in-flight calls may take to finish before they are aborted (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/** The address a server listens on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A booted app: protos loaded, container built and initialised, handlers bound to a grpc-js
 * server. `listen()` serves it; `close()` drains it and runs the shutdown hooks.
 *
 * @example
 * ```ts
 * const app = await RpcApplication.create(AppModule, { root: import.meta.dirname });
 * const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
 * process.once('SIGTERM', () => void app.close());
 * ```
 */
export class RpcApplication {
  readonly container: AppContainer;
  readonly protos: LoadedProtos;
  readonly server: Server;
  readonly logger: Logger;
  /** Fully-qualified names of the services served. */
  readonly services: readonly string[];
  /** Every bound method. */
  readonly methods: readonly MethodInfo[];
  private readonly active = new Set<ActiveCall>();
  private closing: Promise<void> | undefined;
  private listening: ListenAddress | undefined;
  private clientLayer: ClientLayer | undefined;
  private handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
  private gated: GatedListener | undefined;
  private tracer: ServerTracer | undefined;
  /** How this app's calls carry their scope (the `callScope` setting, resolved). */
  scope: ScopeMode = 'sync';

  private constructor(
    container: AppContainer,
    protos: LoadedProtos,
    server: Server,
    logger: Logger,
    plans: readonly ServicePlan[],
    methods: MethodInfo[],
  ) {
    this.container = container;
    this.protos = protos;
    this.server = server;
    this.logger = logger;
    this.services = plans.map((p) => p.service.name);
    this.methods = methods;
  }

  /** Loads protos, validates services against them, builds the container and runs `onInit` hooks. */
  static async create(rootModule: Constructor, options: ApplicationOptions = {}): Promise<RpcApplication> {
    const logger = options.logger ?? createLogger();
    const root = options.root ?? process.cwd();
    const modules = collectModules(rootModule);
    const protoSources = [...modules.flatMap((m) => m.options.protos ?? []), ...(options.protos ?? [])];
    const protos = loadProtos(protoSources, { root, includeDirs: options.includeDirs, loader: options.loader });
    const serviceClasses = [...new Set(modules.flatMap((m) => m.options.services ?? []))];
    const plans = planServices(serviceClasses, protos);
    const interceptorClasses = collectInterceptorClasses(plans, options.interceptors ?? []);
    const container = AppContainer.build(rootModule, {
      overrides: options.overrides,
      globalProviders: [
        { provide: AppLogger, useValue: new AppLogger(logger) },
        ...(options.globalProviders ?? []),
        ...interceptorClasses,
        ...(options.clients?.providers?.() ?? []),
      ],
      resolveClient: options.clients?.setup(protos, modules),
    });
    const setting = options.callScope ?? 'auto';
    const scope: ScopeMode = setting === 'auto' ? (options.clients?.hasClients?.() ? 'async' : 'sync') : setting;
    options.clients?.attach?.((token) => container.get(token));
    await container.init();
    const server = new Server({ ...DEFAULT_SERVER_OPTIONS, ...options.serverOptions });
    const app = new RpcApplication(container, protos, server, logger, plans, []);
    app.clientLayer = options.clients;
    app.handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    app.scope = scope;
    app.tracer = options.tracer;
    const methods = app.bindAll(plans, options);
    (app as { methods: readonly MethodInfo[] }).methods = methods;
    return app;
  }

  private bindAll(plans: readonly ServicePlan[], options: ApplicationOptions): MethodInfo[] {
    const toFn = (ref: unknown): ServerInterceptor => {
      if (isInterceptorClass(ref)) {
        const instance = this.container.get(ref);
        return (ctx, next) => instance.intercept(ctx, next);
      }
      return ref as ServerInterceptor;
    };
    const globals = (options.interceptors ?? []).map(toFn);
    const infos: MethodInfo[] = [];
    const bound: BoundMethod[] = [];
    for (const plan of plans) {
      const instance = this.container.get(plan.cls) as Record<string, (input: unknown, ctx: RpcContext) => unknown>;
      const impl: UntypedServiceImplementation = {};
      const classLevel = plan.classInterceptors.map(toFn);
      for (const { method, meta, interceptors } of plan.handlers) {
        const info: MethodInfo = {
          service: plan.service.name,
          rpcName: method.rpcName,
          path: method.path,
          kind: method.kind,
          className: plan.cls.name,
          propertyKey: meta.propertyKey,
        };
        infos.push(info);
        const chain = [...globals, ...classLevel, ...interceptors.map(toFn)];
        const fn = instance[meta.propertyKey] as (input: unknown, ctx: RpcContext) => unknown;
        const binding: MethodBinding = {
          info,
          handler: fn.bind(instance),
          interceptors: chain,
          observer: combineObservers(options.observers ?? [], info),
          logger: this.logger,
          active: this.active,
          scope: this.scope,
          tracer: options.tracer?.forMethod(info),
          accessLog: levelEnabled(this.logger, 'debug') === true,
        };
        impl[method.rpcName] = adapterFor(binding);
        bound.push({ method, binding });
      }
      // rpcs without a handler (allowUnimplemented) get grpc-js's own UNIMPLEMENTED answer
      this.server.addService(plan.service.definition, impl);
    }
    recordBoundApp(this, { methods: bound, observers: options.observers ?? [] });
    return infos;
  }

  /** Where the server listens, once it does. */
  get address(): ListenAddress | undefined {
    return this.listening;
  }

  /** Number of calls in progress. */
  get inFlight(): number {
    return this.active.size;
  }

  /**
   * Binds the port (0 picks a free one) and starts serving; resolves with the bound address.
   * A port in use is a {@link ConfigurationError} (`KRPC_PORT_IN_USE`).
   */
  async listen(address: { host?: string; port?: number; credentials?: ServerCredentials } = {}): Promise<ListenAddress> {
    const host = address.host ?? '0.0.0.0';
    const requested = address.port ?? 50051;
    const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${requested}` : `${host}:${requested}`;
    const credentials = address.credentials ?? ServerCredentials.createInsecure();
    const port = await this.bind(host, requested, target, credentials).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      if (/EADDRINUSE|address already in use/i.test(text)) {
        throw new ConfigurationError('KRPC_PORT_IN_USE', `Port ${requested} on ${host} (gRPC) is already in use`, {
          fix: 'pick another port with --port or KRPC_PORT (0 picks a free one), or stop the process that holds it',
          cause: error,
        });
      }
      throw new ConfigurationError('KRPC_LISTEN_FAILED', `Could not listen on ${target}: ${text}`, {
        fix: 'check --host / KRPC_HOST is an address of this machine',
        cause: error,
      });
    });
    this.listening = { host, port };
    this.tracer?.listening?.(this.listening);
    return this.listening;
  }

  private async bind(host: string, port: number, target: string, credentials: ServerCredentials): Promise<number> {
    if (this.handshakeTimeoutMs > 0 && !credentials._isSecure()) {
      const unbracketed = host.startsWith('[') ? host.slice(1, -1) : host;
      this.gated = await listenGated(this.server, { host: unbracketed, port, credentials, handshakeTimeoutMs: this.handshakeTimeoutMs });
      return this.gated.port;
    }
    return new Promise<number>((resolve, reject) => {
      this.server.bindAsync(target, credentials, (error, bound) => {
        if (error) reject(error);
        else resolve(bound);
      });
    });
  }

  /**
   * Stops taking new calls (GOAWAY), lets in-flight calls finish for up to `timeoutMs`, then
   * aborts the rest (their signals fire, they end UNAVAILABLE) and closes every connection;
   * finally runs the `onShutdown` hooks in reverse dependency order. Safe to call twice.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.doClose(options.timeoutMs ?? 10_000);
    return this.closing;
  }

  private async doClose(timeoutMs: number): Promise<void> {
    this.gated?.close();
    this.gated?.destroyPending();
    const faces = appFacesOf(this);
    for (const face of faces) face.stopAccepting();
    await new Promise<void>((resolve) => {
      let open = 1 + faces.length;
      const closed = () => {
        if (--open > 0) return;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abortInFlight();
        this.server.forceShutdown();
        if (faces.length === 0) {
          resolve();
          return;
        }
        // the aborted calls' UNAVAILABLE answers are written before what is left is closed
        const grace = setTimeout(() => {
          for (const face of faces) face.destroy();
          resolve();
        }, FACE_GRACE_MS);
        void Promise.all(faces.map((face) => face.whenClosed())).then(() => {
          clearTimeout(grace);
          resolve();
        });
      }, timeoutMs);
      this.server.tryShutdown(closed);
      for (const face of faces) void face.whenClosed().then(closed);
    });
    const errors = await this.container.shutdown();
    for (const error of errors) this.logger.error({ err: error }, 'An onShutdown hook failed');
    await this.clientLayer?.close();
  }

  /** Aborts every call in progress with UNAVAILABLE (their handlers' signals fire). */
  abortInFlight(): void {
    for (const call of [...this.active]) call.terminate();
  }
}

function adapterFor(binding: MethodBinding) {
  switch (binding.info.kind) {
    case 'unary':
      return unaryAdapter(binding);
    case 'server_stream':
      return serverStreamAdapter(binding);
    case 'client_stream':
      return clientStreamAdapter(binding);
    default:
      return bidiStreamAdapter(binding);
  }
}

function collectInterceptorClasses(plans: readonly ServicePlan[], globals: readonly InterceptorLike[]): Constructor[] {
  const refs = [...globals, ...plans.flatMap((p) => [...p.classInterceptors, ...p.handlers.flatMap((h) => h.interceptors)])];
  return [...new Set(refs.filter(isInterceptorClass))];
}

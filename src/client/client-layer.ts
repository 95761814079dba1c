import { type ChannelCredentials, type ChannelOptions, credentials as grpcCredentials } from '@grpc/grpc-js';
import { registerLeastRequestBalancer } from '../balancing/index.js';
import { ConfigurationError } from '../errors/index.js';
import type { ClientDeclarationOptions, Constructor, ModuleOptions } from '../metadata/index.js';
import type { LoadedProtos } from '../proto/index.js';
import { type ChannelEntry, openChannels } from './channel-pool.js';
import {
  type ClientInterceptorInstance,
  type ClientInterceptorLike,
  type InterceptorResolver,
  isClientInterceptorClass,
  toClientInterceptors,
} from './client-interceptor.js';
import type { ClientCallObserver } from './client-observer.js';
import { createProxy } from './client-proxy.js';
import { type ClientServiceOptions, type ClientSettings, collectClientSettings, unknownService } from './client-settings.js';
import type { ClientTracer } from './client-tracer.js';

/** Options of {@link createClientLayer}. */
export interface ClientLayerOptions {
  /** Defaults of every client, below each module declaration's options. */
  readonly defaults?: ClientDeclarationOptions;
  /** Per-service settings (target, options, interceptors) that win over the declarations. */
  readonly services?: Readonly<Record<string, ClientServiceOptions>>;
  /** Interceptors of every client, outermost first. */
  readonly interceptors?: readonly ClientInterceptorLike[];
  /** Observers of every outgoing call (the runtime's `grpc_client_*` metrics). */
  readonly observers?: readonly ClientCallObserver[];
  /** Channel credentials (default insecure: in-cluster plaintext or a mesh). */
  readonly credentials?: ChannelCredentials;
  /** grpc-js channel options of every channel, over the framework's and below each client's `channelOptions`. */
  readonly channelOptions?: ChannelOptions;
  /** Traces every outgoing call (set by `krpc-app start` when tracing is on; see docs/tracing.md). */
  readonly tracer?: ClientTracer;
  /** Where `KRPC_TARGET_<SERVICE>` overrides are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The modules as the client layer reads them. */
export interface ClientModuleLike {
  readonly cls: { readonly name: string };
  readonly options: ModuleOptions;
}

/**
 * The client layer of an app: opened by the server once the protos are loaded, it checks
 * every declared client, opens one channel per distinct target and hands out proxies for
 * `@InjectClient`; `close()` closes the channels.
 */
export interface ClientLayerHandle {
  setup(protos: LoadedProtos, modules: readonly ClientModuleLike[]): (service: string, requester: string) => unknown;
  /** The proxy of a set-up client (same object `@InjectClient` receives). */
  get<T = unknown>(service: string): T;
  /** Interceptor classes the app's container should build (so they get constructor injection). */
  providers(): readonly Constructor[];
  /** Hands the layer the app's container once it is built; interceptor classes resolve through it. */
  attach(get: <T>(token: Constructor<T>) => T): void;
  /** Whether the app declares clients: their proxies propagate from the call being served, after `await`s too. */
  hasClients(): boolean;
  close(): void;
}

/**
 * Creates the client layer passed as `clients` to `RpcApplication.create`. Clients are the
 * services the modules declare in `clients` (and those named in `services`); each gets its
 * target from `KRPC_TARGET_<SERVICE>`, then `services[name].target`, then the declaration.
 *
 * @example
 * ```ts
 * const app = await RpcApplication.create(AppModule, {
 *   clients: createClientLayer({ defaults: { timeoutMs: 5000 }, interceptors: [auth] }),
 * });
 * ```
 */
export function createClientLayer(options: ClientLayerOptions = {}): ClientLayerHandle {
  registerLeastRequestBalancer();
  let channels = new Map<string, ChannelEntry>();
  let settings = new Map<string, ClientSettings>();
  let protos: LoadedProtos | undefined;
  const proxies = new Map<string, unknown>();
  let resolveClass: InterceptorResolver = (cls) => new (cls as new () => ClientInterceptorInstance)();
  const resolver = () => resolveClass;
  const shared = toClientInterceptors(options.interceptors ?? [], resolver);

  const proxyFor = (service: string, requester: string): unknown => {
    const cached = proxies.get(service);
    if (cached) return cached;
    if (service.startsWith('class:')) {
      throw new ConfigurationError(
        'KRPC_CLIENT_INVALID',
        `${requester} injects a client by class ${service.slice(6)}, which has no @RpcService`,
        {
          className: requester,
          fix: `decorate ${service.slice(6)} with @RpcService('package.Service'), or inject by service name`,
        },
      );
    }
    const found = settings.get(service);
    if (!found) {
      if (protos && !protos.services.has(service)) throw unknownService(service, protos, `injected into ${requester}`);
      throw new ConfigurationError('KRPC_CLIENT_INVALID', `${requester} injects a client for ${service}, which no module declares`, {
        className: requester,
        service,
        fix: `add clients: [{ service: '${service}', target: 'host:port' }] to the module of ${requester}`,
      });
    }
    const channel = channels.get(found.target) as ChannelEntry;
    const proxy = createProxy({
      settings: found,
      channel: channel.client,
      interceptors: [...shared, ...toClientInterceptors(found.interceptors, resolver)],
      observers: options.observers ?? [],
      tracer: options.tracer,
    });
    proxies.set(service, proxy);
    return proxy;
  };

  return {
    setup(loaded, modules) {
      protos = loaded;
      const next = collectClientSettings(loaded, modules, options, options.env ?? process.env);
      const opened = openChannels(next.values(), options.credentials ?? grpcCredentials.createInsecure(), options.channelOptions ?? {});
      for (const entry of channels.values()) entry.client.close();
      proxies.clear();
      settings = next;
      channels = opened;
      return proxyFor;
    },
    get<T>(service: string): T {
      return proxyFor(service, 'the caller') as T;
    },
    providers() {
      const all = [...(options.interceptors ?? []), ...Object.values(options.services ?? {}).flatMap((s) => s.interceptors ?? [])];
      return [...new Set(all.filter(isClientInterceptorClass))];
    },
    attach(get) {
      resolveClass = (cls) => get(cls);
    },
    hasClients() {
      return settings.size > 0;
    },
    close() {
      for (const entry of channels.values()) entry.client.close();
      channels.clear();
      proxies.clear();
    },
  };
}

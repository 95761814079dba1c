import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { type ConnectRouter, createContextKey, createContextValues, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { Registry } from 'prom-client';
import { addAppFace, type BoundMethod, boundAppOf } from '../server/app-faces.js';
import { type CallObserver, combineObservers, type RpcApplication } from '../server/index.js';
import type { MethodBinding } from '../server/method-binding.js';
import { withCors } from './cors.js';
import { registryFromPackageDefinition, serviceDescriptor } from './descriptor-registry.js';
import { messageBridge } from './message-bridge.js';
import { webRequestHandler } from './web-adapter.js';
import { listenWeb, type WebServer } from './web-listener.js';
import { serverStreamMethod, unaryMethod, unsupportedMethod, type WebBindings } from './web-methods.js';
import { webProtocolObserver } from './web-metrics.js';
import type { WebSettings } from './web-options.js';

/** Options of {@link startWebListener}. */
export interface StartWebOptions {
  /** Port to listen on (0 picks a free one). */
  readonly port: number;
  readonly settings: WebSettings;
  /** HTTP/2 streams per session (the gRPC port's `maxConcurrentStreams`). */
  readonly maxConcurrentStreams: number;
  /** Where `krpc_web_handled_total` is registered (the runtime's registry); none: not counted by protocol. */
  readonly registry?: Registry;
}

/** The running web listener. */
export interface WebListener {
  readonly host: string;
  readonly port: number;
}

const PEER = createContextKey('', { description: 'the caller address, as grpc-js writes it' });

/**
 * Serves every rpc of `app` on a second port in the Connect protocol (JSON and binary; GET for
 * `NO_SIDE_EFFECTS` rpcs) and gRPC-Web (binary and text), over HTTP/1.1 and h2c, through the same
 * `ServerCall`, interceptors, observers (metrics, in-flight limiter, shedding) and handlers as the
 * gRPC port. `app.close()` drains it with the gRPC port.
 */
export async function startWebListener(app: RpcApplication, options: StartWebOptions): Promise<WebListener> {
  const { settings } = options;
  const bound = boundAppOf(app);
  const descriptors = registryFromPackageDefinition(app.protos.packageDefinition);
  const observers = (protocolName: string): CallObserver[] =>
    options.registry ? [webProtocolObserver(options.registry, protocolName), ...bound.observers] : [...bound.observers];
  const routes = (router: ConnectRouter) => {
    const byService = new Map<string, BoundMethod[]>();
    for (const entry of bound.methods) {
      const list = byService.get(entry.binding.info.service) ?? [];
      list.push(entry);
      byService.set(entry.binding.info.service, list);
    }
    for (const [name, entries] of byService) {
      const service = serviceDescriptor(descriptors, name);
      const impl: Record<string, unknown> = {};
      for (const entry of entries) {
        const method = service.methods.find((m) => m.name === entry.method.rpcName) as DescMethod;
        impl[method.localName] = implementation(method, entry, observers);
      }
      // rpcs without a handler (allowUnimplemented) are answered unimplemented by Connect
      router.service(service, impl as Partial<ServiceImpl<DescService>>);
    }
  };
  const handler = webRequestHandler({
    routes,
    logger: app.logger,
    grpc: false,
    readMaxBytes: settings.maxBodyBytes,
    jsonOptions: { ignoreUnknownFields: false },
    contextValues: (req) => createContextValues().set(PEER, peerOf(req.socket.remoteAddress, req.socket.remotePort)),
  });
  const server: WebServer = await listenWeb(
    withCors(handler, {
      origins: settings.corsOrigins,
      allowedHeaders: settings.corsAllowedHeaders,
      exposedHeaders: settings.corsExposedHeaders,
      maxAgeSeconds: 7200,
    }),
    {
      host: settings.host,
      port: options.port,
      requestTimeoutMs: settings.requestTimeoutMs,
      handshakeTimeoutMs: settings.handshakeTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxConcurrentStreams: options.maxConcurrentStreams,
    },
  );
  addAppFace(app, server);
  return { host: settings.host, port: server.port };
}

function implementation(method: DescMethod, entry: BoundMethod, observers: (protocolName: string) => CallObserver[]) {
  const bridge = messageBridge(method, entry.method.definition as Parameters<typeof messageBridge>[1]);
  const bindingFor = (protocolName: string): MethodBinding => ({
    ...entry.binding,
    observer: combineObservers(observers(protocolName), entry.binding.info),
  });
  const bindings = (): WebBindings => ({ connect: bindingFor('connect'), grpcWeb: bindingFor('grpc-web') });
  const peer = (ctx: HandlerContext) => ctx.values.get(PEER);
  switch (method.methodKind) {
    case 'unary':
      return unaryMethod(bindings(), bridge, peer);
    case 'server_streaming':
      return serverStreamMethod(bindings(), bridge, peer);
    default:
      return unsupportedMethod(method);
  }
}

function peerOf(address: string | undefined, port: number | undefined): string {
  if (!address) return 'unknown';
  return address.includes(':') ? `ipv6:[${address}]:${port}` : `ipv4:${address}:${port}`;
}

import type { Client as GrpcClient } from '@grpc/grpc-js';
import type { LoadedMethod } from '../proto/index.js';
import type { CallOptions, ResponseWithMeta } from './call-options.js';
import { type ClientInterceptor, runIntercepted } from './client-interceptor.js';
import { type ClientCallObserver, type ClientMethodInfo, combineClientObservers } from './client-observer.js';
import type { ClientSettings } from './client-settings.js';
import { prepareCall } from './propagation.js';
import { lazyResponseStream } from './response-stream.js';
import { bidiStreamCall, serverStreamCall } from './stream-call.js';
import { clientStreamCall, metaSink, unaryCall } from './unary-call.js';

/** What a proxy needs: the client's settings, its channel, its interceptors and observers. */
export interface ProxyParts {
  readonly settings: ClientSettings;
  readonly channel: GrpcClient;
  readonly interceptors: readonly ClientInterceptor[];
  readonly observers: readonly ClientCallObserver[];
}

/** The proxy method name of an rpc: `SayHello` → `sayHello`. */
export function proxyMethodName(rpcName: string): string {
  return rpcName.charAt(0).toLowerCase() + rpcName.slice(1);
}

function methodFor(parts: ProxyParts, method: LoadedMethod): unknown {
  const { settings, channel, interceptors } = parts;
  const info: ClientMethodInfo = { service: settings.service.name, rpcName: method.rpcName, path: method.path, kind: method.kind };
  const observer = combineClientObservers(parts.observers, info);
  const run = async (request: unknown, options: CallOptions = {}, withMeta = false): Promise<unknown> => {
    const prepared = prepareCall(info, settings.target, request, settings.options, options);
    try {
      if (prepared.call.signal.aborted) throw prepared.call.signal.reason;
      const sink = metaSink();
      const terminal = method.kind === 'unary' ? unaryCall : clientStreamCall;
      const message = await runIntercepted(interceptors, prepared.call, (call) => terminal(channel, method, call, sink, observer));
      return withMeta ? ({ message, headers: sink.headers, trailers: sink.trailers } satisfies ResponseWithMeta<unknown>) : message;
    } finally {
      prepared.dispose();
    }
  };
  if (method.kind === 'unary' || method.kind === 'client_stream') {
    return Object.assign((request: unknown, options?: CallOptions) => run(request, options), {
      withMeta: (request: unknown, options?: CallOptions) => run(request, options, true),
    });
  }
  const streamCall = method.kind === 'server_stream' ? serverStreamCall : bidiStreamCall;
  return (request: unknown, options: CallOptions = {}) =>
    lazyResponseStream((sink) => {
      const prepared = prepareCall(info, settings.target, request, settings.options, options);
      if (prepared.call.signal.aborted) {
        prepared.dispose();
        return Promise.reject(prepared.call.signal.reason);
      }
      return runIntercepted(interceptors, prepared.call, async (call) =>
        disposing(streamCall(channel, method, call, sink, observer), prepared.dispose),
      ).then(
        (responses) => responses as AsyncIterable<unknown>,
        (error: unknown) => {
          prepared.dispose();
          throw error;
        },
      );
    });
}

async function* disposing(responses: AsyncIterable<unknown>, dispose: () => void): AsyncGenerator<unknown, void, undefined> {
  try {
    yield* responses;
  } finally {
    dispose();
  }
}

/** Builds the proxy object of one client: a method per rpc of its service. */
export function createProxy(parts: ProxyParts): Record<string, unknown> {
  const proxy: Record<string, unknown> = {};
  for (const method of parts.settings.service.methods.values()) proxy[proxyMethodName(method.rpcName)] = methodFor(parts, method);
  return Object.freeze(proxy);
}

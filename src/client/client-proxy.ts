import type { Client as GrpcClient } from '@grpc/grpc-js';
import type { LoadedMethod } from '../proto/index.js';
import type { CallOptions, ResponseWithMeta } from './call-options.js';
import { type ClientCall, prepareCall } from './client-call.js';
import { type ClientInterceptor, runIntercepted } from './client-interceptor.js';
import { type ClientCallObserver, type ClientMethodInfo, combineClientObservers } from './client-observer.js';
import type { ClientSettings } from './client-settings.js';
import { lazyResponseStream } from './response-stream.js';
import { bidiStreamCall, serverStreamCall } from './stream-call.js';
import { clientStreamCall, type MetaSink, metaSink, unaryCall } from './unary-call.js';

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
  const { target, options: clientOptions } = settings;
  if (method.kind === 'unary' || method.kind === 'client_stream') {
    const terminal = method.kind === 'unary' ? unaryCall : clientStreamCall;
    // The terminal call settles the call when it has its status; `settle` after the interceptors
    // covers an interceptor that failed before the call went out.
    const intercepted = (call: ClientCall, sink: MetaSink | undefined): Promise<unknown> =>
      runIntercepted(interceptors, call, () => terminal(channel, method, call, sink, observer)).finally(() => call.settle());
    const direct = (call: ClientCall, sink: MetaSink | undefined): Promise<unknown> => terminal(channel, method, call, sink, observer);
    const send = interceptors.length === 0 ? direct : intercepted;
    const run = (request: unknown, options: CallOptions | undefined, sink: MetaSink | undefined): Promise<unknown> => {
      let call: ClientCall;
      try {
        call = prepareCall(info, target, request, clientOptions, options);
      } catch (error) {
        return Promise.reject(error);
      }
      if (call.cancelReason) {
        call.settle();
        return Promise.reject(call.cancelReason);
      }
      return send(call, sink);
    };
    return Object.assign((request: unknown, options?: CallOptions) => run(request, options, undefined), {
      withMeta: (request: unknown, options?: CallOptions) => {
        const sink = metaSink();
        return run(request, options, sink).then(
          (message) => ({ message, headers: sink.headers, trailers: sink.trailers }) satisfies ResponseWithMeta<unknown>,
        );
      },
    });
  }
  const streamCall = method.kind === 'server_stream' ? serverStreamCall : bidiStreamCall;
  return (request: unknown, options?: CallOptions) =>
    lazyResponseStream((sink) => {
      const call = prepareCall(info, target, request, clientOptions, options);
      if (call.cancelReason) {
        call.settle();
        return Promise.reject(call.cancelReason);
      }
      return runIntercepted(interceptors, call, async () =>
        disposing(streamCall(channel, method, call, sink, observer), () => call.settle()),
      ).then(
        (responses) => responses as AsyncIterable<unknown>,
        (error: unknown) => {
          call.settle();
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

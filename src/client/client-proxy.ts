import type { Client as GrpcClient } from '@grpc/grpc-js';
import { RpcError, Status } from '../errors/index.js';
import type { LoadedMethod } from '../proto/index.js';
import type { CallOptions, ResponseWithMeta } from './call-options.js';
import { type ClientCall, prepareCall } from './client-call.js';
import { type ClientInterceptor, runIntercepted } from './client-interceptor.js';
import { type ClientCallObserver, type ClientMethodInfo, combineClientObservers } from './client-observer.js';
import type { ClientSettings } from './client-settings.js';
import type { ClientMethodTracer, ClientSpan, ClientTracer } from './client-tracer.js';
import { lazyResponseStream } from './response-stream.js';
import { bidiStreamCall, serverStreamCall } from './stream-call.js';
import { clientStreamCall, type MetaSink, metaSink, unaryCall } from './unary-call.js';

/** What a proxy needs: the client's settings, its channel, its interceptors and observers. */
export interface ProxyParts {
  readonly settings: ClientSettings;
  readonly channel: GrpcClient;
  readonly interceptors: readonly ClientInterceptor[];
  readonly observers: readonly ClientCallObserver[];
  /** Traces every call (tracing on). */
  readonly tracer?: ClientTracer;
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
  const tracer = parts.tracer?.forMethod(info, target);
  if (method.kind === 'unary' || method.kind === 'client_stream') {
    const terminal = method.kind === 'unary' ? unaryCall : clientStreamCall;
    const counts = method.kind === 'client_stream';
    const onWire = (call: ClientCall, sink: MetaSink | undefined): Promise<unknown> => {
      const { span } = call;
      if (!span) return terminal(channel, method, call, sink, observer);
      return span.wire(() => terminal(channel, method, call, sink, counts ? span.observe(observer) : observer));
    };
    // The terminal call settles the call when it has its status; `settle` after the interceptors
    // covers an interceptor that failed before the call went out.
    const intercepted = (call: ClientCall, sink: MetaSink | undefined): Promise<unknown> =>
      runIntercepted(interceptors, call, () => onWire(call, sink)).finally(() => call.settle());
    const send = interceptors.length === 0 ? onWire : intercepted;
    const run = (request: unknown, options: CallOptions | undefined, sink: MetaSink | undefined): Promise<unknown> => {
      let call: ClientCall;
      try {
        call = prepareCall(info, target, request, clientOptions, options);
      } catch (error) {
        return Promise.reject(error);
      }
      const span = tracer ? startSpan(tracer, call) : undefined;
      if (call.cancelReason) {
        call.settle();
        span?.end(call.cancelReason.code, call.cancelReason);
        return Promise.reject(call.cancelReason);
      }
      if (!span) return send(call, sink);
      return send(call, sink).then(
        (response) => {
          span.end(Status.OK);
          return response;
        },
        (error: unknown) => {
          span.end(codeOf(error), error);
          throw error;
        },
      );
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
      const span = tracer ? startSpan(tracer, call) : undefined;
      if (call.cancelReason) {
        call.settle();
        span?.end(call.cancelReason.code, call.cancelReason);
        return Promise.reject(call.cancelReason);
      }
      const open = () => streamCall(channel, method, call, sink, span ? span.observe(observer) : observer);
      return runIntercepted(interceptors, call, async () => disposing(span ? span.wire(open) : open(), () => call.settle())).then(
        (responses) => (span ? traced(responses as AsyncIterable<unknown>, span) : (responses as AsyncIterable<unknown>)),
        (error: unknown) => {
          call.settle();
          span?.end(codeOf(error), error);
          throw error;
        },
      );
    });
}

function startSpan(tracer: ClientMethodTracer, call: ClientCall): ClientSpan {
  const span = tracer.start(call, call.parentContext);
  call.span = span;
  return span;
}

function codeOf(error: unknown): Status {
  return RpcError.is(error) ? error.code : Status.UNKNOWN;
}

/** The responses of a traced stream: the span ends with the stream (CANCELLED when the consumer stops early). */
async function* traced(responses: AsyncIterable<unknown>, span: ClientSpan): AsyncGenerator<unknown, void, undefined> {
  let code: Status = Status.CANCELLED;
  let failure: unknown;
  try {
    yield* responses;
    code = Status.OK;
  } catch (error) {
    code = codeOf(error);
    failure = error;
    throw error;
  } finally {
    span.end(code, failure);
  }
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

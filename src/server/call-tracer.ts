import type { Metadata } from '@grpc/grpc-js';
import type { Status } from '../errors/index.js';
import type { ListenAddress } from './application.js';
import type { MethodObserver } from './call-observer.js';
import type { MethodInfo } from './method-info.js';

/** Attribute values a span takes. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** What a server span sees of the call it traces. */
export interface TracedServerCall {
  readonly method: MethodInfo;
  readonly metadata: Metadata;
  readonly peer: string;
  /** Set by the tracer: the span of this call. */
  span: CallSpan | undefined;
}

/** The span of one call, as the framework drives it (the tracing layer implements it on OpenTelemetry). */
export interface CallSpan {
  /** The W3C trace id (32 hex digits), for log lines. */
  readonly traceId: string;
  /** The span id (16 hex digits), for log lines. */
  readonly spanId: string;
  /** The tracing context of the span (opaque here): outgoing calls made for this call are its children. */
  readonly context: unknown;
  /** Adds a framework event (`krpc.shed`, `krpc.cancelled`, …). */
  event(name: string, attributes?: SpanAttributes): void;
  /** Counts the call's messages on the span while forwarding to `observer` (streams only). */
  observe(observer: MethodObserver): MethodObserver;
  /** Ends the span with the call's status; `error` is recorded for server faults (never sent on the wire). */
  end(code: Status, error?: unknown): void;
}

/** Traces the calls of one method: starts the span and runs the call inside its context. */
export interface MethodTracer {
  trace(call: TracedServerCall, body: () => void): void;
}

/** Traces an app's incoming calls; given to `RpcApplication.create` when tracing is on. */
export interface ServerTracer {
  forMethod(method: MethodInfo): MethodTracer;
  /** The address the server listens on, once it does (span attributes `server.address`/`server.port`). */
  listening?(address: ListenAddress): void;
}

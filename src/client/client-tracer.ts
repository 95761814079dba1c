import type { Metadata } from '@grpc/grpc-js';
import type { Status } from '../errors/index.js';
import type { OutgoingCall } from './client-interceptor.js';
import type { ClientMethodInfo, ClientMethodObserver } from './client-observer.js';

/** What a client span sees of the outgoing call it traces. */
export interface TracedClientCall extends OutgoingCall {
  /** The incoming call's deadline was earlier than the call's own (or its default) and was taken. */
  readonly deadlineClamped: boolean;
  /** The address of the endpoint the call went to, once it went (`ip:port`). */
  peer(): string | undefined;
}

/** The span of one outgoing call, as the client layer drives it (the tracing layer implements it on OpenTelemetry). */
export interface ClientSpan {
  /** Adds a framework event (`krpc.cancelled`, …). */
  event(name: string, attributes?: Readonly<Record<string, string | number | boolean>>): void;
  /** Counts the call's messages on the span while forwarding to `observer` (streams only). */
  observe(observer: ClientMethodObserver): ClientMethodObserver;
  /** Runs the grpc-js call itself inside the span (other gRPC instrumentation is suppressed there). */
  wire<T>(send: () => T): T;
  /** Ends the span with the call's status. */
  end(code: Status, error?: unknown): void;
}

/** Traces the outgoing calls of one method. */
export interface ClientMethodTracer {
  /**
   * Starts the span of `call`, a child of the active tracing context (the call being served, through
   * the call scope), and injects the configured propagator's headers into `call.metadata`.
   */
  start(call: TracedClientCall, scopeContext: unknown): ClientSpan;
}

/** Traces a client layer's outgoing calls; given to `createClientLayer` when tracing is on. */
export interface ClientTracer {
  forMethod(method: ClientMethodInfo, target: string): ClientMethodTracer;
}

const PREVIOUS_ATTEMPTS = 'grpc-previous-rpc-attempts';

interface MetadataEvents {
  on(event: 'metadata', listener: (headers: Metadata) => void): unknown;
  on(event: 'status', listener: (status: { metadata: Metadata }) => void): unknown;
}

/**
 * Records grpc-js's retries on `span`: grpc-js reports the attempts before the committed one as
 * `grpc-previous-rpc-attempts` in the response headers, or in the trailers when there were none.
 */
export function watchRetries(grpcCall: MetadataEvents, span: ClientSpan): void {
  let seen = false;
  const note = (metadata: Metadata) => {
    if (seen) return;
    const value = metadata.get(PREVIOUS_ATTEMPTS)[0];
    if (value === undefined) return;
    seen = true;
    span.event('krpc.retried', { 'rpc.grpc.previous_attempts': Number(value) });
  };
  grpcCall.on('metadata', note);
  grpcCall.on('status', (status) => note(status.metadata));
}

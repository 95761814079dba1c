import { performance } from 'node:perf_hooks';
import { Metadata, type MetadataValue, type ServerErrorResponse, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { type CallScope, runInCallScope } from '../context/index.js';
import { RpcError, Status, statusName } from '../errors/index.js';
import type { MethodObserver } from './call-observer.js';
import type { CallSpan, SpanAttributes, TracedServerCall } from './call-tracer.js';
import { CallValues } from './context-values.js';
import { errorToStatus } from './error-status.js';
import type { MethodBinding } from './method-binding.js';
import type { MethodInfo } from './method-info.js';
import type { RpcContext } from './rpc-context.js';
import { isThenable } from './stream-io.js';

/** The grpc-js server call of any kind, as a call needs it. */
export type GrpcServerCall = Pick<ServerUnaryCall<unknown, unknown>, 'metadata' | 'getPeer' | 'getDeadline' | 'sendMetadata'> & {
  on(event: 'cancelled', listener: () => void): unknown;
  emit(event: 'error', status: ServerErrorResponse): boolean;
  end?(metadata?: Metadata): unknown;
};

/** The handler chain of one method: what a call runs. */
export type Invoke = (call: ServerCall) => unknown;

/** grpc-js's deadline timer runs on the monotonic clock; the wall clock may disagree by a few ms. */
const DEADLINE_CLOCK_SLACK_MS = 50;

const SHED_MESSAGE = 'Server is overloaded; retry after grpc-retry-pushback-ms';
const EXPIRED_MESSAGE = 'Deadline exceeded while the call waited for the overloaded server';

/**
 * One incoming call, from its arrival to its status: the {@link RpcContext} handlers see and the
 * call's one lifecycle (created → running → settled). Whatever ends the call — the handler's
 * result, its error, the caller's cancel, the deadline, shutdown — ends it here, once: metrics
 * observed, the active set left, the status or reply sent. A unary handler that answers
 * synchronously is answered at once, without a cancel listener.
 */
export class ServerCall implements RpcContext, CallScope, TracedServerCall {
  readonly metadata: Metadata;
  readonly method: MethodInfo;
  request: unknown;
  private state: 'created' | 'running' | 'settled' = 'created';
  private startedAt = 0;
  private watching = false;
  private controller: AbortController | undefined;
  private abortReason: RpcError | undefined;
  private trailerMetadata: Metadata | undefined;
  private headersSent = false;
  private deadlineCache: Date | null | undefined;
  private abortWaiters: Set<() => void> | undefined;
  private valueMap: CallValues | undefined;
  /** The span's counting wrapper of the method's observer, made once when a traced stream first counts. */
  private countingObserver: MethodObserver | undefined;
  /** The call's span, when tracing is on. */
  span: CallSpan | undefined = undefined;

  /**
   * @param callback grpc-js's reply callback of a unary or client-streaming call; without it the
   *   call is a stream, ended with `end()` or an `error` event
   */
  constructor(
    private readonly binding: MethodBinding,
    readonly grpcCall: GrpcServerCall,
    private readonly callback?: sendUnaryData<unknown>,
  ) {
    this.metadata = grpcCall.metadata;
    this.method = binding.info;
  }

  /**
   * Admits the call (or sheds it) and runs the handler chain; the call settles from its outcome.
   * `requestReceived`: the request message came with the call (unary and server streaming).
   */
  start(invoke: Invoke, requestReceived: boolean): void {
    const { tracer } = this.binding;
    if (tracer) tracer.trace(this, () => this.begin(invoke, requestReceived));
    else this.begin(invoke, requestReceived);
  }

  private begin(invoke: Invoke, requestReceived: boolean): void {
    const { binding } = this;
    const { expiredInQueue } = binding.observer;
    if (expiredInQueue?.(this.remainingMs())) {
      this.state = 'settled';
      this.refused(Status.DEADLINE_EXCEEDED, 'krpc.expired_in_queue', {});
      this.respond(Object.assign(new Error(EXPIRED_MESSAGE), { code: Status.DEADLINE_EXCEEDED, details: EXPIRED_MESSAGE }));
      return;
    }
    if (!binding.observer.start()) {
      this.state = 'settled';
      const pushbackMs = this.pushbackWithin(binding.observer.retryPushbackMs?.());
      this.refused(Status.RESOURCE_EXHAUSTED, 'krpc.shed', pushbackMs === undefined ? {} : { 'krpc.retry_pushback_ms': pushbackMs });
      this.respond(shedStatus(pushbackMs));
      return;
    }
    // a server stream's request counts on its span like the stream's messages; a unary call's span has no counts
    if (requestReceived) (this.method.kind === 'server_stream' ? this.messageObserver : binding.observer).received();
    this.state = 'running';
    this.startedAt = performance.now();
    binding.active.add(this);
    let result: unknown;
    try {
      result = runInCallScope(binding.scope, this, invoke, this);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!isThenable(result)) {
      this.succeed(result);
      return;
    }
    this.watchCancellation();
    result.then(
      (value) => this.succeed(value),
      (error: unknown) => this.fail(error),
    );
  }

  /** A call answered before it ran (shed, or expired while it queued): its span and access line. */
  private refused(code: Status, event: string, attributes: SpanAttributes): void {
    if (this.span) {
      this.span.event(event, attributes);
      this.span.end(code);
    }
    if (this.binding.accessLog) this.logAccess(code, 0);
  }

  /**
   * The pushback for a refused call, or -1 ("do not retry", which grpc-js honours) when the
   * caller's deadline would run out before a retry after it could be served (less than 1.5 × the
   * pushback left): such a caller gets RESOURCE_EXHAUSTED now rather than DEADLINE_EXCEEDED later,
   * and a closed-loop caller moves on instead of waiting out its deadline.
   */
  private pushbackWithin(pushbackMs: number | undefined): number | undefined {
    return pushbackWithinDeadline(pushbackMs, this.remainingMs());
  }

  /** Listens for the caller's cancel and grpc-js's deadline (streams from the start, unary once it goes async). */
  watchCancellation(): void {
    if (this.watching) return;
    this.watching = true;
    this.grpcCall.on('cancelled', () => this.onCancelled());
  }

  /** Aborts the call with UNAVAILABLE: the server is shutting down. */
  terminate(): void {
    if (this.state === 'running') this.span?.event('krpc.drain_aborted');
    this.abort(new RpcError(Status.UNAVAILABLE, 'Server is shutting down'));
  }

  /** Aborts the call: its signal fires, waiters wake, and the call ends now with `reason`'s status. */
  abort(reason: RpcError): void {
    if (this.abortReason || this.state === 'settled') return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    if (this.abortWaiters) for (const wake of this.abortWaiters) wake();
    if (this.state === 'running') this.fail(reason);
  }

  /**
   * Calls `wake` when the call is aborted (at once if it already is) and returns what stops that:
   * the stream pumps wait for `drain` or `readable` with it, a Set entry rather than an
   * `AbortSignal` listener per wait.
   */
  whenAborted(wake: () => void): () => void {
    if (this.abortReason) {
      wake();
      return () => {};
    }
    this.abortWaiters ??= new Set();
    this.abortWaiters.add(wake);
    return () => this.abortWaiters?.delete(wake);
  }

  /** Why the call was aborted, if it was. */
  get reason(): RpcError | undefined {
    return this.abortReason;
  }

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get deadline(): Date | undefined {
    if (this.deadlineCache === undefined) {
      const d = this.grpcCall.getDeadline();
      const ms = d instanceof Date ? d.getTime() : d;
      this.deadlineCache = Number.isFinite(ms) ? new Date(ms) : null;
    }
    return this.deadlineCache ?? undefined;
  }

  remainingMs(): number {
    const deadline = this.deadline;
    return deadline ? Math.max(0, deadline.getTime() - Date.now()) : Number.POSITIVE_INFINITY;
  }

  get peer(): string {
    return this.grpcCall.getPeer();
  }

  header(key: string): string | undefined {
    const value = this.metadata.get(key)[0];
    return typeof value === 'string' ? value : undefined;
  }

  sendHeader(headers: Metadata | Readonly<Record<string, MetadataValue>>): void {
    if (this.headersSent) throw new Error('Response headers were already sent for this call');
    this.headersSent = true;
    this.grpcCall.sendMetadata(headers instanceof Metadata ? headers : toMetadata(headers));
  }

  get headerSent(): boolean {
    return this.headersSent;
  }

  setTrailer(key: string, value: MetadataValue): void {
    this.trailerMetadata ??= new Metadata();
    this.trailerMetadata.add(key, value);
  }

  /** The trailers set so far (`undefined` when none). */
  get trailers(): Metadata | undefined {
    return this.trailerMetadata;
  }

  get values(): CallValues {
    this.valueMap ??= new CallValues();
    return this.valueMap;
  }

  run<T>(fn: () => T): T {
    return runInCallScope(this.binding.scope, this, fn, undefined);
  }

  private onCancelled(): void {
    const deadline = this.deadline;
    const expired = deadline !== undefined && Date.now() >= deadline.getTime() - DEADLINE_CLOCK_SLACK_MS;
    if (this.state === 'running') this.span?.event(expired ? 'krpc.deadline_exceeded' : 'krpc.cancelled');
    this.abort(
      expired
        ? new RpcError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded')
        : new RpcError(Status.CANCELLED, 'Call cancelled by the client'),
    );
  }

  /** The observer stream adapters count messages with: the span's, when the call is traced. */
  get messageObserver(): MethodObserver {
    if (!this.span) return this.binding.observer;
    this.countingObserver ??= this.span.observe(this.binding.observer);
    return this.countingObserver;
  }

  /** The debug-level access line of the call. */
  private logAccess(code: Status, durationMs: number): void {
    const fields: Record<string, unknown> = {
      rpc: this.method.path,
      code: statusName(code),
      durationMs: Math.round(durationMs * 1000) / 1000,
      peer: this.peer,
    };
    if (this.span) {
      fields.trace_id = this.span.traceId;
      fields.span_id = this.span.spanId;
    }
    this.binding.logger.debug(fields, `${this.method.path} ${statusName(code)}`);
  }

  private succeed(value: unknown): void {
    if (!this.settle(Status.OK)) return;
    if (this.callback) {
      this.binding.observer.sent();
      this.callback(null, value ?? {}, this.trailerMetadata);
    } else this.grpcCall.end?.(this.trailerMetadata);
  }

  private fail(error: unknown): void {
    if (this.state === 'settled') return;
    const status = errorToStatus(error, this, this.binding.logger);
    if (this.settle(status.code ?? Status.UNKNOWN, error)) this.respond(status);
  }

  /** The one end of a running call: false when it had already ended. */
  private settle(code: Status, error?: unknown): boolean {
    if (this.state !== 'running') return false;
    this.state = 'settled';
    const { binding } = this;
    binding.active.delete(this);
    binding.observer.end(code, this.startedAt);
    this.span?.end(code, error);
    if (binding.accessLog) this.logAccess(code, performance.now() - this.startedAt);
    return true;
  }

  private respond(status: ServerErrorResponse): void {
    if (this.callback) this.callback(status);
    else this.grpcCall.emit('error', status);
  }
}

/** The `grpc-retry-pushback-ms` to send with `remainingMs` of the caller's deadline left: -1 when a retry would not fit. */
export function pushbackWithinDeadline(pushbackMs: number | undefined, remainingMs: number): number | undefined {
  if (pushbackMs === undefined) return undefined;
  return remainingMs >= pushbackMs * 1.5 ? pushbackMs : -1;
}

function shedStatus(pushbackMs: number | undefined): ServerErrorResponse {
  const status = Object.assign(new Error(SHED_MESSAGE), { code: Status.RESOURCE_EXHAUSTED, details: SHED_MESSAGE });
  if (pushbackMs === undefined) return status;
  const metadata = new Metadata();
  metadata.set('grpc-retry-pushback-ms', String(pushbackMs));
  return Object.assign(status, { metadata });
}

function toMetadata(record: Readonly<Record<string, MetadataValue>>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(record)) metadata.set(key, value);
  return metadata;
}

import { Metadata } from '@grpc/grpc-js';
import { type CallScope, currentCallScope } from '../context/index.js';
import { RpcError, Status } from '../errors/index.js';
import type { ClientDeclarationOptions } from '../metadata/index.js';
import type { CallOptions } from './call-options.js';
import type { ClientMethodInfo } from './client-observer.js';
import type { ClientSpan, TracedClientCall } from './client-tracer.js';

/** What a started call needs of grpc-js's call object (any of its call kinds). */
export interface WireCall {
  cancel(): void;
  getPeer(): string;
}

/**
 * Default timeout of unary and client-streaming calls that neither the call nor the client gives
 * a timeout or deadline: sent as the call's deadline (`grpc-timeout`), like any other.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Incoming headers forwarded on outgoing calls by default. */
export const DEFAULT_FORWARD_HEADERS: readonly string[] = Object.freeze(['x-request-id', 'traceparent']);

const NO_OPTIONS: CallOptions = Object.freeze({});

const isStreamingResponse = (method: ClientMethodInfo): boolean => method.kind === 'server_stream' || method.kind === 'bidi_stream';

/**
 * The timeout configured for a call without a deadline of its own: the method's, else the
 * client's (`streamTimeoutMs` for server and bidi streams); `undefined` when none is configured.
 */
function configuredTimeout(method: ClientMethodInfo, options: ClientDeclarationOptions): number | undefined {
  const perMethod = options.methods?.[method.rpcName]?.timeoutMs;
  if (perMethod !== undefined) return perMethod;
  return isStreamingResponse(method) ? options.streamTimeoutMs : options.timeoutMs;
}

/**
 * The earliest of the call's own deadline (or, without one, `fallback`: the configured or built-in
 * timeout) and the incoming call's, in ms; Infinity for none.
 */
function deadlineOf(call: CallOptions, fallback: number | undefined, scope: CallScope | undefined): { ms: number; clamped: boolean } {
  let earliest = Number.POSITIVE_INFINITY;
  const { deadline, timeoutMs } = call;
  if (deadline === undefined && timeoutMs === undefined) {
    if (fallback !== undefined) earliest = Date.now() + fallback;
  } else {
    if (deadline !== undefined) earliest = deadline instanceof Date ? deadline.getTime() : deadline;
    if (timeoutMs !== undefined) earliest = Math.min(earliest, Date.now() + timeoutMs);
  }
  let clamped = false;
  if (scope?.deadline) {
    const incoming = scope.deadline.getTime();
    clamped = incoming < earliest;
    if (clamped) earliest = incoming;
  }
  return { ms: Number.isFinite(earliest) ? earliest : Number.POSITIVE_INFINITY, clamped };
}

function metadataOf(options: ClientDeclarationOptions, call: CallOptions, scope: CallScope | undefined, waitForReady: boolean): Metadata {
  const metadata = new Metadata();
  const defaults = options.metadata;
  if (defaults !== undefined) for (const key of Object.keys(defaults)) metadata.set(key, defaults[key] as string | Buffer);
  if (scope) {
    for (const key of options.forwardHeaders ?? DEFAULT_FORWARD_HEADERS) {
      const values = scope.metadata.get(key);
      if (values.length === 0) continue;
      metadata.remove(key);
      for (const value of values) metadata.add(key, value);
    }
  }
  if (call.metadata instanceof Metadata) {
    for (const [key, value] of Object.entries(call.metadata.getMap())) metadata.set(key, value);
  } else if (call.metadata) {
    for (const [key, value] of Object.entries(call.metadata)) metadata.set(key, value);
  }
  if (waitForReady) metadata.setOptions({ waitForReady: true });
  return metadata;
}

function cancellation(from: 'caller' | 'incoming', reason: unknown): RpcError {
  if (from === 'caller') return new RpcError(Status.CANCELLED, "Call cancelled by the caller's AbortSignal", { cause: reason });
  const incoming = RpcError.is(reason) ? reason : undefined;
  const code = incoming?.code === Status.DEADLINE_EXCEEDED ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
  const why = incoming ? incoming.rawMessage : 'it was aborted';
  return new RpcError(code, `Call cancelled because the call being served ended: ${why}`, { cause: reason });
}

/**
 * The outgoing calls in flight that follow each incoming call's signal: one `abort` listener per
 * incoming call rather than one per outgoing call (an EventTarget adds and removes a listener in
 * time proportional to the listeners it already has, and a handler may fan out many calls).
 */
const followers = new WeakMap<AbortSignal, Set<ClientCall>>();

function follow(incoming: AbortSignal, call: ClientCall): void {
  let calls = followers.get(incoming);
  if (!calls) {
    const following = new Set<ClientCall>();
    calls = following;
    followers.set(incoming, following);
    incoming.addEventListener(
      'abort',
      () => {
        followers.delete(incoming);
        for (const outgoing of following) outgoing.cancel('incoming', incoming.reason);
        following.clear();
      },
      { once: true },
    );
  }
  calls.add(call);
}

/**
 * One outgoing call and its one lifecycle: created (interceptors may change it), running (on the
 * wire, {@link ClientCall.start}), settled (its status is known, or it will never be sent,
 * {@link ClientCall.settle}). It listens to the caller's signal and the incoming call's only when
 * they exist, and builds its own `signal` (an `AbortController`) and `deadline` (a `Date`) only
 * when someone reads them. A cancellation while created or running cancels the call on the wire
 * and becomes the error it rejects with.
 */
export class ClientCall implements TracedClientCall {
  /** Why the call was cancelled (the caller's signal or the incoming call's), once it is. */
  cancelReason: RpcError | undefined = undefined;
  /** The call's span, when tracing is on. */
  span: ClientSpan | undefined = undefined;
  /** Whether the incoming call's deadline was earlier than the call's own and was taken. */
  deadlineClamped = false;
  /** The incoming call's tracing context (opaque here), when it has a span. */
  parentContext: unknown = undefined;
  private state: 'created' | 'running' | 'settled' = 'created';
  /** grpc-js's call, once started: cancelled on the wire while running, asked for its peer. */
  private wire: WireCall | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  /** The deadline as read or set by an interceptor; `null` while nobody has. */
  private deadlineDate: Date | undefined | null = null;
  private deadlineSet = false;
  private listening = false;
  private readonly incomingSignal: AbortSignal | undefined;

  constructor(
    readonly method: ClientMethodInfo,
    readonly target: string,
    readonly metadata: Metadata,
    private readonly deadlineMs: number,
    readonly request: unknown,
    private readonly callerSignal: AbortSignal | undefined,
    incoming: AbortSignal | undefined,
  ) {
    // ctx.signal passed as the caller's signal counts as the caller's
    this.incomingSignal = incoming === callerSignal ? undefined : incoming;
    if (callerSignal?.aborted) this.cancelReason = cancellation('caller', callerSignal.reason);
    else if (this.incomingSignal?.aborted) this.cancelReason = cancellation('incoming', this.incomingSignal.reason);
    else if (callerSignal || this.incomingSignal) {
      this.listening = true;
      callerSignal?.addEventListener('abort', this);
      if (this.incomingSignal) follow(this.incomingSignal, this);
    }
  }

  get deadline(): Date | undefined {
    if (this.deadlineDate === null) this.deadlineDate = Number.isFinite(this.deadlineMs) ? new Date(this.deadlineMs) : undefined;
    return this.deadlineDate;
  }

  set deadline(value: Date | undefined) {
    this.deadlineDate = value;
    this.deadlineSet = true;
  }

  /** The deadline as grpc-js takes it and sends it (a Date or ms; Infinity for none). */
  grpcDeadline(): Date | number {
    if (this.deadlineSet) return this.deadlineDate ?? Number.POSITIVE_INFINITY;
    return this.deadlineMs;
  }

  /** The call is on the wire as `wire`: cancelled there (at once if it was cancelled meanwhile), asked for the picked endpoint. */
  start(wire: WireCall): void {
    if (this.state !== 'created') return;
    this.state = 'running';
    this.wire = wire;
    if (this.cancelReason) wire.cancel();
  }

  /** The call has its status, or will never be sent: nothing to cancel any more, signals let go. Idempotent. */
  settle(): void {
    if (this.state === 'settled') return;
    this.state = 'settled';
    if (!this.listening) return;
    this.listening = false;
    this.callerSignal?.removeEventListener('abort', this);
    if (this.incomingSignal) followers.get(this.incomingSignal)?.delete(this);
  }

  peer(): string | undefined {
    try {
      return this.wire?.getPeer();
    } catch {
      return undefined;
    }
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelReason) this.controller.abort(this.cancelReason);
    }
    return this.controller.signal;
  }

  /** The `abort` listener of the caller's signal. */
  handleEvent(): void {
    this.cancel('caller', this.callerSignal?.reason);
  }

  /** Cancels the call (once; the first cause wins): aborts its signal and the call on the wire. */
  cancel(from: 'caller' | 'incoming', reason: unknown): void {
    if (this.cancelReason || this.state === 'settled') return;
    this.cancelReason = cancellation(from, reason);
    this.span?.event('krpc.cancelled', { 'krpc.cancelled_by': from === 'caller' ? 'caller' : 'incoming_call' });
    this.controller?.abort(this.cancelReason);
    if (this.state === 'running') this.wire?.cancel();
  }
}

/**
 * Builds an outgoing call: its deadline (the earliest of the call's own, the client default
 * and the incoming call's), its headers (client defaults, forwarded incoming headers, then
 * the call's own) and its cancellation by the caller's signal or the incoming call's
 * ({@link ClientCall.cancelReason} is already set when one of them was aborted before).
 * `propagate: false` (per call or per client) ignores the incoming call.
 */
export function prepareCall(
  method: ClientMethodInfo,
  target: string,
  request: unknown,
  options: ClientDeclarationOptions,
  call: CallOptions = NO_OPTIONS,
): ClientCall {
  const propagate = call.propagate ?? options.propagate ?? true;
  const scope = propagate ? currentCallScope() : undefined;
  const waitForReady = call.waitForReady ?? options.methods?.[method.rpcName]?.waitForReady ?? options.waitForReady ?? false;
  const metadata = metadataOf(options, call, scope, waitForReady);
  const own = call.deadline !== undefined || call.timeoutMs !== undefined;
  const configured = own ? undefined : configuredTimeout(method, options);
  const fallback = configured ?? (own || isStreamingResponse(method) ? undefined : DEFAULT_TIMEOUT_MS);
  const deadline = deadlineOf(call, fallback, scope);
  const prepared = new ClientCall(method, target, metadata, deadline.ms, request, call.signal, scope?.signal);
  prepared.deadlineClamped = deadline.clamped;
  if (scope?.span) prepared.parentContext = scope.span.context;
  return prepared;
}

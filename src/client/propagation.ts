import { performance } from 'node:perf_hooks';
import { Metadata } from '@grpc/grpc-js';
import { type CallScope, currentCallScope } from '../context/index.js';
import { RpcError, Status } from '../errors/index.js';
import type { ClientDeclarationOptions } from '../metadata/index.js';
import type { CallOptions } from './call-options.js';
import type { OutgoingCall } from './client-interceptor.js';
import type { ClientMethodInfo } from './client-observer.js';
import { type TimedCall, unwatchTimeout, watchTimeout } from './default-timeout.js';

/**
 * Default timeout of unary and client-streaming calls without a deadline. Outside a call being
 * served, and when neither the call nor the client sets a timeout, it is enforced on the client
 * (one shared timer, the call fails with DEADLINE_EXCEEDED within 250 ms after it) and not sent as
 * `grpc-timeout`; under an incoming call it is part of the deadline sent downstream.
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
function deadlineOf(call: CallOptions, fallback: number | undefined, scope: CallScope | undefined): number {
  let earliest = Number.POSITIVE_INFINITY;
  const { deadline, timeoutMs } = call;
  if (deadline === undefined && timeoutMs === undefined) {
    if (fallback !== undefined) earliest = Date.now() + fallback;
  } else {
    if (deadline !== undefined) earliest = deadline instanceof Date ? deadline.getTime() : deadline;
    if (timeoutMs !== undefined) earliest = Math.min(earliest, Date.now() + timeoutMs);
  }
  if (scope?.deadline) earliest = Math.min(earliest, scope.deadline.getTime());
  return Number.isFinite(earliest) ? earliest : Number.POSITIVE_INFINITY;
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
const followers = new WeakMap<AbortSignal, Set<PreparedCall>>();

function follow(incoming: AbortSignal, call: PreparedCall): void {
  let calls = followers.get(incoming);
  if (!calls) {
    const following = new Set<PreparedCall>();
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
 * An outgoing call ready to run. Cheap when nothing can cancel it: it listens to the caller's
 * signal and the incoming call's only when they exist, and builds its own `signal` (an
 * `AbortController`) and `deadline` (a `Date`) only when someone reads them; the terminal call
 * is told of a cancellation through {@link PreparedCall.onCancel} and sends the deadline as a number.
 * A call whose only deadline is the built-in default timeout sends none: from
 * {@link PreparedCall.running} to {@link PreparedCall.settled} the default-timeout watchdog watches it.
 */
export class PreparedCall implements OutgoingCall, TimedCall {
  /** Why the call was cancelled (the caller's signal or the incoming call's), once it is. */
  cancelReason: RpcError | undefined = undefined;
  /** Set by {@link PreparedCall.running} while the terminal call runs: cancels it on the wire. */
  onCancel: (() => void) | undefined = undefined;
  /** Whether {@link PreparedCall.settled} releases the call (no interceptor runs after the terminal call). */
  releaseOnSettle = false;
  /** Set once the built-in default timeout passed (by the watchdog): the error the call fails with. */
  timedOut: RpcError | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  /** The deadline as read or set by an interceptor; `null` while nobody has. */
  private deadlineDate: Date | undefined | null = null;
  /** Whether an interceptor set the deadline. */
  private deadlineSet = false;
  private listening = false;
  /** Whether the default-timeout watchdog watches the running call. */
  private watched = false;
  private readonly incomingSignal: AbortSignal | undefined;

  constructor(
    readonly method: ClientMethodInfo,
    readonly target: string,
    readonly metadata: Metadata,
    private readonly deadlineMs: number,
    /** With only the built-in default timeout: when it passes (a `performance.now()` time); Infinity otherwise. */
    readonly timeoutDue: number,
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

  /** The deadline as grpc-js takes it and sends it (a Date or ms; Infinity for none, or for the watchdog's). */
  grpcDeadline(): Date | number {
    if (this.deadlineSet) return this.deadlineDate ?? Number.POSITIVE_INFINITY;
    return this.timeoutDue === Number.POSITIVE_INFINITY ? this.deadlineMs : Number.POSITIVE_INFINITY;
  }

  /** Whether the default-timeout watchdog enforces this call's deadline (the built-in default, not sent on the wire). */
  watchesTimeout(): boolean {
    return !this.deadlineSet && this.timeoutDue !== Number.POSITIVE_INFINITY;
  }

  /**
   * Called by the terminal call once it is on the wire: `cancel` cancels it there, and a call whose
   * deadline is the built-in default (not sent) is watched by the default-timeout watchdog until
   * {@link PreparedCall.settled}.
   */
  running(cancel: () => void): void {
    this.onCancel = cancel;
    if (this.watchesTimeout()) {
      this.watched = true;
      watchTimeout(this);
    }
  }

  /** Called by the watchdog once the built-in default timeout passed: fails the running call with DEADLINE_EXCEEDED. */
  expire(): void {
    if (!this.timedOut) {
      const after = (DEFAULT_TIMEOUT_MS + performance.now() - this.timeoutDue) / 1000;
      this.timedOut = new RpcError(
        Status.DEADLINE_EXCEEDED,
        `Deadline exceeded after ${after.toFixed(3)}s, the client's default timeout (calling ${this.method.path} on target ${this.target})`,
      );
    }
    this.onCancel?.();
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
    if (this.cancelReason) return;
    this.cancelReason = cancellation(from, reason);
    this.controller?.abort(this.cancelReason);
    this.onCancel?.();
  }

  /** Called by the terminal call once it has its status: nothing to cancel on the wire any more. */
  settled(): void {
    this.onCancel = undefined;
    if (this.watched) {
      this.watched = false;
      unwatchTimeout(this);
    }
    if (this.releaseOnSettle) this.release();
  }

  /** Stops listening to the caller's and the incoming call's signals. */
  release(): void {
    if (!this.listening) return;
    this.listening = false;
    this.callerSignal?.removeEventListener('abort', this);
    if (this.incomingSignal) followers.get(this.incomingSignal)?.delete(this);
  }
}

/**
 * Builds an outgoing call: its deadline (the earliest of the call's own, the client default
 * and the incoming call's), its headers (client defaults, forwarded incoming headers, then
 * the call's own) and its cancellation by the caller's signal or the incoming call's
 * ({@link PreparedCall.cancelReason} is already set when one of them was aborted before).
 * `propagate: false` (per call or per client) ignores the incoming call.
 * The caller must {@link PreparedCall.release} it once the call is over.
 */
export function prepareCall(
  method: ClientMethodInfo,
  target: string,
  request: unknown,
  options: ClientDeclarationOptions,
  call: CallOptions = NO_OPTIONS,
): PreparedCall {
  const propagate = call.propagate ?? options.propagate ?? true;
  const scope = propagate ? currentCallScope() : undefined;
  const waitForReady = call.waitForReady ?? options.methods?.[method.rpcName]?.waitForReady ?? options.waitForReady ?? false;
  const metadata = metadataOf(options, call, scope, waitForReady);
  const own = call.deadline !== undefined || call.timeoutMs !== undefined;
  const configured = own ? undefined : configuredTimeout(method, options);
  // Only the built-in default applies: a unary or client-streaming call with no timeout of its own or configured.
  const builtIn = !own && configured === undefined && !isStreamingResponse(method);
  const deadline = deadlineOf(call, builtIn ? DEFAULT_TIMEOUT_MS : configured, scope);
  const timeoutDue = scope === undefined && builtIn ? performance.now() + DEFAULT_TIMEOUT_MS : Number.POSITIVE_INFINITY;
  return new PreparedCall(method, target, metadata, deadline, timeoutDue, request, call.signal, scope?.signal);
}

import { Metadata, type MetadataValue } from '@grpc/grpc-js';
import { type CallScope, currentCallScopeForUser, runInCallScope } from '../context/index.js';
import { RpcError, Status } from '../errors/index.js';
import type { MethodInfo } from './method-info.js';

/** The parts of a grpc-js server call a context needs. */
export interface ServerCallLike {
  readonly metadata: Metadata;
  getPeer(): string;
  getDeadline(): Date | number;
  sendMetadata(metadata: Metadata): void;
  on(event: 'cancelled', listener: () => void): unknown;
}

/** grpc-js's deadline timer runs on the monotonic clock; the wall clock may disagree by a few ms. */
const DEADLINE_CLOCK_SLACK_MS = 50;

/**
 * The context of one incoming call: metadata, deadline, cancellation, peer, method, and
 * the response headers and trailers. Passed to handlers and interceptors, and reachable from
 * anywhere in the call with {@link RpcContext.current}.
 *
 * @example
 * ```ts
 * @RpcMethod()
 * async sayHello(req: HelloRequest, ctx: RpcContext): Promise<HelloReply> {
 *   const user = ctx.header('x-user') ?? 'anonymous';
 *   await this.repo.save(req.name, { signal: ctx.signal });
 *   ctx.setTrailer('x-served-by', process.env.POD_NAME ?? 'local');
 *   return { message: `Hello ${req.name} from ${user}` };
 * }
 * ```
 */
export class RpcContext implements CallScope {
  /** Incoming metadata (request headers). */
  readonly metadata: Metadata;
  /** The rpc being served. */
  readonly method: MethodInfo;
  /** The request message for unary and server-streaming calls; the request stream (an AsyncIterable) for client and bidi streams. */
  readonly request: unknown;
  private readonly call: ServerCallLike;
  private valueMap: Map<unknown, unknown> | undefined;
  private watching = false;
  private controller: AbortController | undefined;
  private abortReason: RpcError | undefined;
  private trailerMetadata: Metadata | undefined;
  private headersSent = false;
  private finished = false;
  private deadlineCache: Date | null | undefined;
  private abortListener: ((reason: RpcError) => void) | undefined;
  private abortWaiters: Set<() => void> | undefined;

  constructor(call: ServerCallLike, method: MethodInfo, request?: unknown) {
    this.call = call;
    this.metadata = call.metadata;
    this.method = method;
    this.request = request;
  }

  /** Values interceptors pass to handlers (like hono's `c.set` / `c.get`). */
  get values(): Map<unknown, unknown> {
    this.valueMap ??= new Map();
    return this.valueMap;
  }

  /**
   * @internal Starts listening for the client's cancel (and grpc-js' deadline). The adapters call
   * it once the call outlives the handler's synchronous part; a call answered synchronously
   * never needs it, so it skips the listener.
   */
  watchCancellation(): void {
    if (this.watching) return;
    this.watching = true;
    this.call.on('cancelled', () => this.onCancelled());
  }

  /**
   * The context of the call being served by the current async chain, if any. It follows the
   * call across `await`s when the call scope is `async`: with `callScope: 'async'`, or with the
   * default `'auto'` in an app that has clients. Otherwise (no AsyncLocalStorage; see
   * docs/performance.md) it is seen only until the handler's or interceptor's first `await`.
   */
  static current(): RpcContext | undefined {
    const scope = currentCallScopeForUser();
    return scope instanceof RpcContext ? scope : undefined;
  }

  /** Runs `fn` with this context as {@link RpcContext.current}. */
  run<T>(fn: () => T): T {
    return runInCallScope(this, fn, undefined);
  }

  /** @internal The grpc-js call itself: streaming adapters write replies to it. */
  get serverCall(): ServerCallLike {
    return this.call;
  }

  /** @internal Runs `fn(this)` with this context as {@link RpcContext.current} (no closure per call). */
  runWith<T>(fn: (ctx: RpcContext) => T): T {
    return runInCallScope(this, fn, this);
  }

  /** The caller's deadline, or `undefined` when it set none. */
  get deadline(): Date | undefined {
    if (this.deadlineCache === undefined) {
      const d = this.call.getDeadline();
      const ms = d instanceof Date ? d.getTime() : d;
      this.deadlineCache = Number.isFinite(ms) ? new Date(ms) : null;
    }
    return this.deadlineCache ?? undefined;
  }

  /** Milliseconds left before the deadline (`Infinity` without one, never below 0). */
  remainingMs(): number {
    const deadline = this.deadline;
    return deadline ? Math.max(0, deadline.getTime() - Date.now()) : Number.POSITIVE_INFINITY;
  }

  /**
   * Aborted when the caller cancels, the deadline passes or the server shuts down; its
   * `reason` is an {@link RpcError} with CANCELLED, DEADLINE_EXCEEDED or UNAVAILABLE.
   */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** True once the call was cancelled, timed out or aborted by shutdown. */
  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** Why the call was aborted, if it was. */
  get reason(): RpcError | undefined {
    return this.abortReason;
  }

  /** The caller's address as grpc-js reports it, e.g. `127.0.0.1:53422`. */
  get peer(): string {
    return this.call.getPeer();
  }

  /** The first value of an incoming text header. */
  header(key: string): string | undefined {
    const value = this.metadata.get(key)[0];
    return typeof value === 'string' ? value : undefined;
  }

  /** Sends the response headers now (at most once; otherwise they go with the first message). */
  sendHeader(headers: Metadata | Record<string, MetadataValue>): void {
    if (this.headersSent) throw new Error('Response headers were already sent for this call');
    this.headersSent = true;
    this.call.sendMetadata(headers instanceof Metadata ? headers : toMetadata(headers));
  }

  /** Whether response headers were sent. */
  get headerSent(): boolean {
    return this.headersSent;
  }

  /** Adds a trailer sent with the status (`-bin` keys take a Buffer). */
  setTrailer(key: string, value: MetadataValue): void {
    this.trailerMetadata ??= new Metadata();
    this.trailerMetadata.add(key, value);
  }

  /** The trailers set so far (`undefined` when none). */
  get trailers(): Metadata | undefined {
    return this.trailerMetadata;
  }

  /** @internal Marks the call finished, so a later cancel event does not abort it. */
  finish(): void {
    this.finished = true;
  }

  /** @internal Aborts the call (shutdown, shedding). */
  abort(reason: RpcError): void {
    if (this.abortReason || this.finished) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.abortListener?.(reason);
    if (this.abortWaiters) for (const wake of this.abortWaiters) wake();
  }

  /**
   * @internal Calls `wake` when the call is aborted (at once if it already is) and returns what
   * stops that. The streaming adapters wait for `drain` or `readable` with it: a Set entry
   * instead of an `AbortSignal` listener, which costs a microsecond per wait.
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

  /**
   * @internal The adapter's hook, called once when the call is aborted (cancel, deadline,
   * shutdown): the call ends then, whether or not the handler ever settles.
   */
  onAbort(listener: (reason: RpcError) => void): void {
    this.abortListener = listener;
  }

  private onCancelled(): void {
    if (this.finished) return;
    const deadline = this.deadline;
    this.abort(
      deadline && Date.now() >= deadline.getTime() - DEADLINE_CLOCK_SLACK_MS
        ? new RpcError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded')
        : new RpcError(Status.CANCELLED, 'Call cancelled by the client'),
    );
  }
}

function toMetadata(record: Record<string, MetadataValue>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(record)) metadata.set(key, value);
  return metadata;
}

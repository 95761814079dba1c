import type { Metadata, MetadataValue } from '@grpc/grpc-js';

/**
 * Options of one outgoing call. Every field is optional; unset ones come from the client's
 * defaults and, inside a handler, from the incoming call (see the clients guide).
 *
 * @example
 * ```ts
 * const reply = await this.greeter.sayHello({ name }, { timeoutMs: 500, metadata: { 'x-tenant': 'a' } });
 * ```
 */
export interface CallOptions {
  /** Absolute deadline; the earlier of this, `timeoutMs` and the incoming call's deadline wins. */
  readonly deadline?: Date | number;
  /** Relative timeout in milliseconds. */
  readonly timeoutMs?: number;
  /** Extra request headers; they replace forwarded or default headers of the same name. */
  readonly metadata?: Metadata | Readonly<Record<string, MetadataValue>>;
  /** Cancels the call when aborted (the call rejects with CANCELLED). */
  readonly signal?: AbortSignal;
  /**
   * `false` makes this call independent of the call being served: no inherited deadline,
   * cancellation or forwarded headers (default true).
   */
  readonly propagate?: boolean;
  /** Wait for a connection until the deadline instead of failing fast with UNAVAILABLE. */
  readonly waitForReady?: boolean;
}

/** A unary or client-streaming response with its headers and trailers (`.withMeta()`). */
export interface ResponseWithMeta<Res> {
  /** The response message. */
  readonly message: Res;
  /** Response headers (initial metadata). */
  readonly headers: Metadata;
  /** Response trailers (trailing metadata). */
  readonly trailers: Metadata;
}

/**
 * The responses of a server- or bidi-streaming call. The call starts on the first `next()`;
 * `headers` and `trailers` resolve once they arrive (to empty metadata if the call fails
 * first) and never reject. Breaking out of `for await` cancels the call.
 */
export interface ResponseStream<Res> extends AsyncIterable<Res> {
  /** Response headers. */
  readonly headers: Promise<Metadata>;
  /** Response trailers, once the call has ended. */
  readonly trailers: Promise<Metadata>;
}

import type { HandlerContext } from '@connectrpc/connect';
import { Metadata, type ServerErrorResponse } from '@grpc/grpc-js';
import type { GrpcServerCall } from '../server/server-call.js';
import type { MessageSink } from '../server/stream-io.js';
import { metadataToHeaders, toConnectError } from './web-errors.js';

/** Headers that are the protocols' own, not the caller's metadata. */
const PROTOCOL_HEADER =
  /^(?:connect-|grpc-|content-|x-grpc-web$|x-user-agent$|accept-encoding$|te$|host$|connection$|keep-alive$|transfer-encoding$|upgrade$|origin$|referer$|sec-|access-control-)/;

/** The caller's metadata from the request headers (`-bin` values decoded from base64). */
function headersToMetadata(headers: Headers): Metadata {
  const metadata = new Metadata();
  headers.forEach((value, key) => {
    if (PROTOCOL_HEADER.test(key)) return;
    if (key.endsWith('-bin')) metadata.add(key, Buffer.from(value, 'base64'));
    else metadata.add(key, value);
  });
  return metadata;
}

/**
 * What a {@link ServerCall} needs of "its grpc-js call", over a Connect handler context: the same
 * call object, interceptors, deadline and status handling serve the web port as the gRPC port.
 * The deadline is Connect's parsed timeout (`connect-timeout-ms`, `grpc-timeout`); a cancel is
 * the context's signal (the request closed, or the timeout passed).
 */
export class WebCallPort implements GrpcServerCall {
  readonly metadata: Metadata;
  private readonly deadlineMs: number;

  constructor(
    protected readonly ctx: HandlerContext,
    private readonly peer: string,
    private readonly onError: (error: Error) => void,
  ) {
    this.metadata = headersToMetadata(ctx.requestHeader);
    const timeout = ctx.timeoutMs();
    this.deadlineMs = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout;
  }

  getPeer(): string {
    return this.peer;
  }

  getDeadline(): number {
    return this.deadlineMs;
  }

  sendMetadata(metadata: Metadata): void {
    metadataToHeaders(metadata, this.ctx.responseHeader);
  }

  on(event: 'cancelled' | 'drain', listener: () => void): this {
    if (event === 'cancelled') this.ctx.signal.addEventListener('abort', listener, { once: true });
    return this;
  }

  emit(_event: 'error', status: ServerErrorResponse): boolean {
    this.onError(toConnectError(status));
    return true;
  }

  /** Sends the trailers of a call that ended OK. */
  setTrailers(metadata: Metadata | undefined): void {
    metadataToHeaders(metadata, this.ctx.responseTrailer);
  }
}

/** How many replies a stream holds before its handler waits for `drain`. */
const HIGH_WATER = 16;

/**
 * The reply side of a server stream: what the framework's pump writes (with back-pressure) is
 * read by the Connect handler's async generator, {@link WebStreamPort.replies}.
 */
export class WebStreamPort extends WebCallPort implements MessageSink {
  private readonly queue: unknown[] = [];
  private readonly drainListeners = new Set<() => void>();
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(ctx: HandlerContext, peer: string) {
    super(ctx, peer, (error) => {
      this.failure = error;
      this.ended = true;
      this.notify();
    });
  }

  override on(event: 'cancelled' | 'drain', listener: () => void): this {
    if (event === 'drain') this.drainListeners.add(listener);
    else super.on(event, listener);
    return this;
  }

  removeListener(_event: 'drain', listener: () => void): this {
    this.drainListeners.delete(listener);
    return this;
  }

  write(message: unknown): boolean {
    this.queue.push(message);
    this.notify();
    return this.queue.length < HIGH_WATER;
  }

  end(metadata?: Metadata): void {
    this.setTrailers(metadata);
    this.ended = true;
    this.notify();
  }

  /** The replies as they are written, converted by `convert`; throws the call's error at its end. */
  async *replies<T>(convert: (message: unknown) => T): AsyncGenerator<T> {
    for (;;) {
      while (this.queue.length > 0) {
        const message = this.queue.shift();
        if (this.queue.length === HIGH_WATER - 1) for (const listener of [...this.drainListeners]) listener();
        yield convert(message);
      }
      if (this.ended) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

import { Metadata } from '@grpc/grpc-js';
import { Status, statusName } from './status.js';
import { decodeStatusDetails, type ErrorDetail, encodeStatusDetails } from './status-details.js';

const brand = Symbol.for('kubernetes-rpc.RpcError');

/** Options of an {@link RpcError}. */
export interface RpcErrorOptions {
  /** Rich details, sent in the standard `grpc-status-details-bin` trailer. */
  readonly details?: readonly ErrorDetail[];
  /** Extra trailing metadata sent with the status. */
  readonly metadata?: Metadata;
  /** The underlying cause; logged on the server, never sent to the caller. */
  readonly cause?: unknown;
}

/** The shape grpc-js uses for a status error. */
export interface StatusLike {
  readonly code: number;
  readonly details: string;
  readonly metadata: Metadata;
}

/**
 * An error with a gRPC status. Throw it from a handler to answer with that status; a client
 * proxy rejects with it when a call fails. Recognised across duplicate copies of this package
 * with {@link RpcError.is}.
 *
 * @example
 * ```ts
 * if (!req.name) throw new RpcError(Status.INVALID_ARGUMENT, 'name is required');
 * ```
 */
export class RpcError extends Error {
  /** The gRPC status code. */
  readonly code: Status;
  /** The message without the code prefix. */
  readonly rawMessage: string;
  /** Rich error details (`google.protobuf.Any`s). */
  readonly details: readonly ErrorDetail[];
  /** Trailing metadata: sent with the status on a server, received with it on a client. */
  readonly metadata: Metadata;

  constructor(code: Status, message = '', options: RpcErrorOptions = {}) {
    super(`[${statusName(code)}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RpcError';
    this.code = code;
    this.rawMessage = message;
    this.details = options.details ?? [];
    this.metadata = options.metadata ?? new Metadata();
    Object.defineProperty(this, brand, { value: true });
  }

  /** True for an `RpcError` from any copy of this package. */
  static is(value: unknown): value is RpcError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /**
   * Converts anything thrown into an `RpcError`: an `RpcError` is returned as is, an
   * `AbortError` becomes CANCELLED, anything else becomes `fallback` (INTERNAL) with a
   * generic message and the original as `cause`.
   */
  static from(value: unknown, fallback: Status = Status.INTERNAL): RpcError {
    if (RpcError.is(value)) return value;
    if (value instanceof Error && value.name === 'AbortError') {
      return new RpcError(Status.CANCELLED, 'The operation was aborted', { cause: value });
    }
    return new RpcError(fallback, fallback === Status.INTERNAL ? 'Internal error' : statusName(fallback), {
      cause: value,
    });
  }

  /** Builds an `RpcError` from a grpc-js status (a failed call), decoding rich details. */
  static fromStatus(status: StatusLike): RpcError {
    const bin = status.metadata.get('grpc-status-details-bin')[0];
    const details = bin instanceof Buffer ? decodeStatusDetails(bin) : [];
    return new RpcError(status.code, status.details, { details, metadata: status.metadata });
  }

  /** The grpc-js status object to send for this error. */
  toStatus(): StatusLike {
    const metadata = this.metadata.clone();
    if (this.details.length > 0) {
      metadata.set('grpc-status-details-bin', encodeStatusDetails(this.code, this.rawMessage, this.details));
    }
    return { code: this.code, details: this.rawMessage, metadata };
  }
}

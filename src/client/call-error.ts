import { Metadata } from '@grpc/grpc-js';
import { RpcError, Status, type StatusLike } from '../errors/index.js';
import type { PreparedCall } from './propagation.js';

/**
 * The `RpcError` a failed call rejects with: the cancellation reason when the call was
 * cancelled (by the caller's signal or the incoming call's); DEADLINE_EXCEEDED when the
 * default-timeout watchdog cancelled it; otherwise the status with its details and trailers, and
 * for UNAVAILABLE and DEADLINE_EXCEEDED the rpc and target appended to the message.
 */
export function callError(status: StatusLike, call: PreparedCall): RpcError {
  if (call.cancelReason) return call.cancelReason;
  const expired = expiry(status, call);
  if (expired) return expired;
  const error = RpcError.fromStatus({ code: status.code, details: status.details, metadata: status.metadata ?? new Metadata() });
  if (status.code !== Status.UNAVAILABLE && status.code !== Status.DEADLINE_EXCEEDED) return error;
  return new RpcError(status.code, `${status.details} (calling ${call.method.path} on target ${call.target})`, {
    details: error.details,
    metadata: error.metadata,
  });
}

/** The error of a call whose request stream threw. */
export function requestStreamError(cause: unknown): RpcError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return new RpcError(Status.CANCELLED, `The request stream failed: ${text}`, { cause });
}

/** The status code a failed call ends with for observers: DEADLINE_EXCEEDED for a call the default-timeout watchdog cancelled. */
export function endCode(status: StatusLike, call: PreparedCall): Status {
  return expiry(status, call)?.code ?? (status.code as Status);
}

/** The watchdog's DEADLINE_EXCEEDED when it cancelled the call (grpc-js then reports CANCELLED). */
function expiry(status: StatusLike, call: PreparedCall): RpcError | undefined {
  return call.timedOut !== undefined && status.code === Status.CANCELLED ? call.timedOut : undefined;
}

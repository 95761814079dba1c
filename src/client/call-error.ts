import { Metadata } from '@grpc/grpc-js';
import { RpcError, Status, type StatusLike } from '../errors/index.js';
import type { ClientCall } from './client-call.js';

/**
 * The `RpcError` a failed call rejects with: the cancellation reason when the call was cancelled
 * (by the caller's signal or the incoming call's); otherwise the status with its details and
 * trailers, and for UNAVAILABLE and DEADLINE_EXCEEDED the rpc and target appended to the message.
 */
export function callError(status: StatusLike, call: ClientCall): RpcError {
  if (call.cancelReason) return call.cancelReason;
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

/**
 * The code a failed call ends with for observers: the code it rejects with, so a call cancelled
 * because the incoming deadline passed counts as DEADLINE_EXCEEDED, as its error says.
 */
export function endCode(status: StatusLike, call: ClientCall): Status {
  return call.cancelReason?.code ?? (status.code as Status);
}

import { Metadata } from '@grpc/grpc-js';
import { RpcError, Status, type StatusLike } from '../errors/index.js';
import type { OutgoingCall } from './client-interceptor.js';

/**
 * The `RpcError` a failed call rejects with: the cancellation reason when the call's signal
 * was aborted; otherwise the status with its details and trailers, and for UNAVAILABLE and
 * DEADLINE_EXCEEDED the rpc and target appended to the message.
 */
export function callError(status: StatusLike, call: OutgoingCall): RpcError {
  if (call.signal.aborted && RpcError.is(call.signal.reason)) return call.signal.reason;
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

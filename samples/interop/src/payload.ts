import { setTimeout as sleep } from 'node:timers/promises';
import { type RpcContext, RpcError, Status } from 'kubernetes-rpc';
import type { EchoStatus__Output } from './generated/grpc/testing/EchoStatus.js';
import type { Payload } from './generated/grpc/testing/Payload.js';
import type { ResponseParameters__Output } from './generated/grpc/testing/ResponseParameters.js';
import type { StreamingOutputCallResponse } from './generated/grpc/testing/StreamingOutputCallResponse.js';

/** The largest payload a request may ask for; a hostile `response_size` must not allocate gigabytes. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A COMPRESSABLE payload of `size` zero bytes, as the interop descriptions require. */
export function zeros(size: number): Payload {
  if (size > MAX_PAYLOAD_BYTES) throw new RpcError(Status.INVALID_ARGUMENT, `payload sizes are limited to ${MAX_PAYLOAD_BYTES} bytes`);
  return { type: 'COMPRESSABLE', body: Buffer.alloc(Math.max(0, size)) };
}

/** Throws the status a request asks the server to answer with (`response_status`), if any. */
export function echoStatus(status: EchoStatus__Output | null): void {
  if (status && status.code !== 0) throw new RpcError(status.code as Status, status.message);
}

/** The replies `response_parameters` ask for, each after its `interval_us`; stops when the call ends. */
export async function* replies(
  params: readonly ResponseParameters__Output[],
  ctx: RpcContext,
): AsyncGenerator<StreamingOutputCallResponse> {
  for (const p of params) {
    if (p.intervalUs > 0) await sleep(p.intervalUs / 1000, undefined, { signal: ctx.signal });
    yield { payload: zeros(p.size) };
  }
}

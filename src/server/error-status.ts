import type { ServerErrorResponse } from '@grpc/grpc-js';
import { RpcError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { RpcContext } from './rpc-context.js';

/**
 * The status to send for an error a handler threw. An {@link RpcError} is sent as is; anything
 * else is logged with its stack and answered INTERNAL with a generic message, so no internal
 * detail reaches the caller. Trailers set on the context are sent along.
 */
export function errorToStatus(error: unknown, ctx: RpcContext, logger: Logger): ServerErrorResponse {
  let rpcError: RpcError;
  if (RpcError.is(error)) rpcError = error;
  else if (ctx.aborted && ctx.reason) rpcError = ctx.reason;
  else {
    rpcError = RpcError.from(error);
    logger.error(
      { err: error, service: ctx.method.service, method: ctx.method.rpcName, handler: `${ctx.method.className}.${ctx.method.propertyKey}` },
      `Unhandled error in ${ctx.method.className}.${ctx.method.propertyKey} (${ctx.method.path}); answered INTERNAL`,
    );
  }
  const status = rpcError.toStatus();
  const trailers = ctx.trailers;
  if (trailers) status.metadata.merge(trailers);
  return Object.assign(new Error(status.details), { code: status.code, details: status.details, metadata: status.metadata });
}

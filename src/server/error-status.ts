import type { ServerErrorResponse } from '@grpc/grpc-js';
import { RpcError, Status, statusName } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { ServerCall } from './server-call.js';

/**
 * The status to send for an error a handler threw. An {@link RpcError} is sent as is; anything
 * else is logged with its stack and answered INTERNAL with a generic message, so no internal
 * detail reaches the caller. Trailers set on the context are sent along.
 */
export function errorToStatus(error: unknown, ctx: ServerCall, logger: Logger): ServerErrorResponse {
  let rpcError: RpcError;
  const where = () => ({
    service: ctx.method.service,
    method: ctx.method.rpcName,
    handler: `${ctx.method.className}.${ctx.method.propertyKey}`,
  });
  if (RpcError.is(error)) {
    rpcError = error;
    if (error.cause !== undefined) {
      const serverFault = error.code === Status.INTERNAL || error.code === Status.UNKNOWN || error.code === Status.DATA_LOSS;
      const fields = { err: error.cause, code: statusName(error.code), ...where() };
      const message = `${ctx.method.className}.${ctx.method.propertyKey} answered ${statusName(error.code)}: ${error.rawMessage}`;
      // called as methods: a pino logger's methods read `this`
      if (serverFault) logger.error(fields, message);
      else logger.debug(fields, message);
    }
  } else if (ctx.aborted && ctx.reason) rpcError = ctx.reason;
  else {
    rpcError = RpcError.from(error);
    logger.error(
      { err: error, ...where() },
      `Unhandled error in ${ctx.method.className}.${ctx.method.propertyKey} (${ctx.method.path}); answered ${statusName(rpcError.code)}`,
    );
  }
  const status = rpcError.toStatus();
  const trailers = ctx.trailers;
  if (trailers) status.metadata.merge(trailers);
  return Object.assign(new Error(status.details), { code: status.code, details: status.details, metadata: status.metadata });
}

import type { handleClientStreamingCall, handleUnaryCall, ServerErrorResponse, sendUnaryData } from '@grpc/grpc-js';
import { RpcError, Status } from '../errors/index.js';
import { errorToStatus } from './error-status.js';
import { compose } from './interceptor.js';
import type { ActiveCall, MethodBinding } from './method-binding.js';
import { RpcContext } from './rpc-context.js';
import { readRequests } from './stream-io.js';

const SHED: ServerErrorResponse = Object.assign(new Error('Server is over its in-flight limit; retry with backoff'), {
  code: Status.RESOURCE_EXHAUSTED,
  details: 'Server is over its in-flight limit; retry with backoff',
});

function respond(binding: MethodBinding, ctx: RpcContext, callback: sendUnaryData<unknown>, run: () => Promise<unknown>): void {
  const { observer, active, logger } = binding;
  const startedAt = performance.now();
  let done = false;
  const entry: ActiveCall = {
    ctx,
    terminate: () => {
      ctx.abort(new RpcError(Status.UNAVAILABLE, 'Server is shutting down'));
      finishError(ctx.reason);
    },
  };
  const finishError = (error: unknown) => {
    if (done) return;
    done = true;
    ctx.finish();
    active.delete(entry);
    const status = errorToStatus(error, ctx, logger);
    observer.end(status.code ?? Status.UNKNOWN, startedAt);
    callback(status);
  };
  active.add(entry);
  ctx.onAbort(() => finishError(ctx.reason));
  new Promise<unknown>((resolve) => resolve(ctx.run(run))).then((response) => {
    if (done) return;
    done = true;
    ctx.finish();
    active.delete(entry);
    if (ctx.aborted) {
      observer.end((ctx.reason as RpcError).code, startedAt);
      callback(errorToStatus(ctx.reason, ctx, logger));
      return;
    }
    observer.sent();
    observer.end(Status.OK, startedAt);
    callback(null, response ?? {}, ctx.trailers);
  }, finishError);
}

/** The grpc-js handler for a unary rpc. */
export function unaryAdapter(binding: MethodBinding): handleUnaryCall<unknown, unknown> {
  const { handler, interceptors, observer, info } = binding;
  const invoke = compose(interceptors, async (ctx: RpcContext) => handler(ctx.request, ctx));
  return (call, callback) => {
    if (!observer.start()) {
      callback(SHED);
      return;
    }
    observer.received();
    const ctx = new RpcContext(call, info, call.request);
    respond(binding, ctx, callback, () => invoke(ctx));
  };
}

/** The grpc-js handler for a client-streaming rpc. */
export function clientStreamAdapter(binding: MethodBinding): handleClientStreamingCall<unknown, unknown> {
  const { handler, interceptors, observer, info } = binding;
  const invoke = compose(interceptors, async (ctx: RpcContext) => handler(ctx.request, ctx));
  return (call, callback) => {
    if (!observer.start()) {
      callback(SHED);
      return;
    }
    const holder: { ctx?: RpcContext } = {};
    const requests = { [Symbol.asyncIterator]: () => readRequests(call, holder.ctx as RpcContext, observer) };
    const ctx = new RpcContext(call, info, requests);
    holder.ctx = ctx;
    respond(binding, ctx, callback, () => invoke(ctx));
  };
}

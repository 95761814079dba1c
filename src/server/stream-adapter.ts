import { performance } from 'node:perf_hooks';
import type { handleBidiStreamingCall, handleServerStreamingCall, ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js';
import { RpcError, Status } from '../errors/index.js';
import { errorToStatus } from './error-status.js';
import { compose } from './interceptor.js';
import type { ActiveCall, MethodBinding } from './method-binding.js';
import { RpcContext } from './rpc-context.js';
import { pumpReplies, readRequests } from './stream-io.js';

type ReplyStream = ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;

function serve(binding: MethodBinding, call: ReplyStream, ctx: RpcContext): void {
  const { observer, active, logger, interceptors, handler } = binding;
  const startedAt = performance.now();
  let done = false;
  const invoke = compose(interceptors, async (c: RpcContext) => pumpReplies(handler(c.request, c), call, c, observer));
  const finishError = (error: unknown) => {
    if (done) return;
    done = true;
    ctx.finish();
    active.delete(entry);
    const status = errorToStatus(error, ctx, logger);
    observer.end(status.code ?? Status.UNKNOWN, startedAt);
    call.emit('error', status);
  };
  const entry: ActiveCall = {
    ctx,
    terminate: () => {
      ctx.abort(new RpcError(Status.UNAVAILABLE, 'Server is shutting down'));
      finishError(ctx.reason);
    },
  };
  active.add(entry);
  ctx.onAbort(() => finishError(ctx.reason));
  new Promise<unknown>((resolve) => resolve(ctx.run(() => invoke(ctx)))).then(() => {
    if (done) return;
    if (ctx.aborted) {
      finishError(ctx.reason);
      return;
    }
    done = true;
    ctx.finish();
    active.delete(entry);
    observer.end(Status.OK, startedAt);
    call.end(ctx.trailers);
  }, finishError);
}

/** The grpc-js handler for a server-streaming rpc. */
export function serverStreamAdapter(binding: MethodBinding): handleServerStreamingCall<unknown, unknown> {
  const { observer, info } = binding;
  return (call) => {
    if (!observer.start()) {
      call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: 'Server is over its in-flight limit; retry with backoff' });
      return;
    }
    observer.received();
    const ctx = new RpcContext(call, info, call.request);
    ctx.watchCancellation();
    serve(binding, call, ctx);
  };
}

/** The grpc-js handler for a bidi-streaming rpc. */
export function bidiStreamAdapter(binding: MethodBinding): handleBidiStreamingCall<unknown, unknown> {
  const { observer, info } = binding;
  return (call) => {
    if (!observer.start()) {
      call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: 'Server is over its in-flight limit; retry with backoff' });
      return;
    }
    const holder: { ctx?: RpcContext } = {};
    const requests = { [Symbol.asyncIterator]: () => readRequests(call, holder.ctx as RpcContext, observer) };
    const ctx = new RpcContext(call, info, requests);
    holder.ctx = ctx;
    ctx.watchCancellation();
    serve(binding, call, ctx);
  };
}

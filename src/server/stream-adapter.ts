import { performance } from 'node:perf_hooks';
import type { handleBidiStreamingCall, handleServerStreamingCall, ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js';
import { RpcError, Status } from '../errors/index.js';
import { errorToStatus } from './error-status.js';
import { compose } from './interceptor.js';
import { type ActiveCall, type MethodBinding, SHED_STATUS } from './method-binding.js';
import { RpcContext } from './rpc-context.js';
import { type MessageSink, pumpReplies, readRequests } from './stream-io.js';

type ReplyStream = ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;

type Invoke = (ctx: RpcContext) => Promise<unknown>;

/** The handler's replies pumped to the call, inside the interceptor chain: composed once per method. */
function invoker(binding: MethodBinding): Invoke {
  const { handler, interceptors, observer } = binding;
  return compose(interceptors, async (c: RpcContext) =>
    pumpReplies(handler(c.request, c), c.serverCall as unknown as MessageSink, c, observer),
  );
}

function serve(binding: MethodBinding, invoke: Invoke, call: ReplyStream, ctx: RpcContext): void {
  const { observer, active, logger } = binding;
  const startedAt = performance.now();
  let done = false;
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
  new Promise<unknown>((resolve) => resolve(ctx.runWith(invoke))).then(() => {
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
  const invoke = invoker(binding);
  return (call) => {
    if (!observer.start()) {
      call.emit('error', SHED_STATUS);
      return;
    }
    observer.received();
    const ctx = new RpcContext(call, info, call.request);
    ctx.watchCancellation();
    serve(binding, invoke, call, ctx);
  };
}

/** The grpc-js handler for a bidi-streaming rpc. */
export function bidiStreamAdapter(binding: MethodBinding): handleBidiStreamingCall<unknown, unknown> {
  const { observer, info } = binding;
  const invoke = invoker(binding);
  return (call) => {
    if (!observer.start()) {
      call.emit('error', SHED_STATUS);
      return;
    }
    const holder: { ctx?: RpcContext } = {};
    const requests = { [Symbol.asyncIterator]: () => readRequests(call, holder.ctx as RpcContext, observer) };
    const ctx = new RpcContext(call, info, requests);
    holder.ctx = ctx;
    ctx.watchCancellation();
    serve(binding, invoke, call, ctx);
  };
}

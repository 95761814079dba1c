import { performance } from 'node:perf_hooks';
import type { handleClientStreamingCall, handleUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { RpcError, Status } from '../errors/index.js';
import { errorToStatus } from './error-status.js';
import { compose } from './interceptor.js';
import { type ActiveCall, type MethodBinding, SHED_STATUS } from './method-binding.js';
import { RpcContext } from './rpc-context.js';
import { isThenable, readRequests } from './stream-io.js';

type Invoke = (ctx: RpcContext) => unknown;

/**
 * One unary or client-streaming call in progress, and its entry in the active set: one object
 * per call. A handler that answers synchronously is answered at once (no promise, no cancel
 * listener); one that returns a promise is watched for cancellation until it settles.
 */
class PendingReply implements ActiveCall {
  private readonly startedAt = performance.now();
  private done = false;

  constructor(
    private readonly binding: MethodBinding,
    readonly ctx: RpcContext,
    private readonly callback: sendUnaryData<unknown>,
  ) {}

  start(invoke: Invoke): void {
    const { ctx } = this;
    this.binding.active.add(this);
    let result: unknown;
    try {
      result = ctx.runWith(invoke);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!isThenable(result)) {
      this.succeed(result);
      return;
    }
    ctx.onAbort(() => this.fail(ctx.reason));
    ctx.watchCancellation();
    result.then(
      (response) => this.succeed(response),
      (error: unknown) => this.fail(error),
    );
  }

  terminate(): void {
    this.ctx.abort(new RpcError(Status.UNAVAILABLE, 'Server is shutting down'));
    this.fail(this.ctx.reason);
  }

  private succeed(response: unknown): void {
    if (this.done) return;
    this.done = true;
    const { ctx, binding } = this;
    ctx.finish();
    binding.active.delete(this);
    if (ctx.aborted) {
      binding.observer.end((ctx.reason as RpcError).code, this.startedAt);
      this.callback(errorToStatus(ctx.reason, ctx, binding.logger));
      return;
    }
    binding.observer.sent();
    binding.observer.end(Status.OK, this.startedAt);
    this.callback(null, response ?? {}, ctx.trailers);
  }

  private fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    const { ctx, binding } = this;
    ctx.finish();
    binding.active.delete(this);
    const status = errorToStatus(error, ctx, binding.logger);
    binding.observer.end(status.code ?? Status.UNKNOWN, this.startedAt);
    this.callback(status);
  }
}

/** The handler, or the interceptor chain around it (which always returns a promise). */
function invoker(binding: MethodBinding): Invoke {
  const { handler, interceptors } = binding;
  if (interceptors.length === 0) return (ctx) => handler(ctx.request, ctx);
  return compose(interceptors, async (ctx: RpcContext) => handler(ctx.request, ctx));
}

/** The grpc-js handler for a unary rpc. */
export function unaryAdapter(binding: MethodBinding): handleUnaryCall<unknown, unknown> {
  const { observer, info } = binding;
  const invoke = invoker(binding);
  return (call, callback) => {
    if (!observer.start()) {
      callback(SHED_STATUS);
      return;
    }
    observer.received();
    new PendingReply(binding, new RpcContext(call, info, call.request), callback).start(invoke);
  };
}

/** The grpc-js handler for a client-streaming rpc. */
export function clientStreamAdapter(binding: MethodBinding): handleClientStreamingCall<unknown, unknown> {
  const { observer, info } = binding;
  const invoke = invoker(binding);
  return (call, callback) => {
    if (!observer.start()) {
      callback(SHED_STATUS);
      return;
    }
    const holder: { ctx?: RpcContext } = {};
    const requests = { [Symbol.asyncIterator]: () => readRequests(call, holder.ctx as RpcContext, observer) };
    const ctx = new RpcContext(call, info, requests);
    holder.ctx = ctx;
    ctx.watchCancellation();
    new PendingReply(binding, ctx, callback).start(invoke);
  };
}

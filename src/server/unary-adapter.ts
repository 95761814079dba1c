import type { handleClientStreamingCall, handleUnaryCall } from '@grpc/grpc-js';
import { compose } from './interceptor.js';
import type { MethodBinding } from './method-binding.js';
import { type Invoke, ServerCall } from './server-call.js';
import { readRequests } from './stream-io.js';

/** The handler, or the interceptor chain around it (which always returns a promise). */
export function unaryInvoker(binding: MethodBinding): Invoke {
  const { handler, interceptors } = binding;
  if (interceptors.length === 0) return (call) => handler(call.request, call);
  return compose(interceptors, async (call) => handler(call.request, call)) as Invoke;
}

/** The grpc-js handler for a unary rpc. */
export function unaryAdapter(binding: MethodBinding): handleUnaryCall<unknown, unknown> {
  const invoke = unaryInvoker(binding);
  return (grpcCall, callback) => {
    const call = new ServerCall(binding, grpcCall, callback);
    call.request = grpcCall.request;
    call.start(invoke, true);
  };
}

/** The grpc-js handler for a client-streaming rpc. */
export function clientStreamAdapter(binding: MethodBinding): handleClientStreamingCall<unknown, unknown> {
  const invoke = unaryInvoker(binding);
  return (grpcCall, callback) => {
    const call = new ServerCall(binding, grpcCall, callback);
    call.request = { [Symbol.asyncIterator]: () => readRequests(grpcCall, call, call.messageObserver) };
    call.watchCancellation();
    call.start(invoke, false);
  };
}

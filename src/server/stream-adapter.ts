import type { handleBidiStreamingCall, handleServerStreamingCall } from '@grpc/grpc-js';
import { compose } from './interceptor.js';
import type { MethodBinding } from './method-binding.js';
import { type Invoke, ServerCall } from './server-call.js';
import { type MessageSink, pumpReplies, readRequests } from './stream-io.js';

/** The handler's replies pumped to the call, inside the interceptor chain: composed once per method. */
export function streamInvoker(binding: MethodBinding): Invoke {
  const { handler, interceptors } = binding;
  return compose(interceptors, async (call) =>
    pumpReplies(handler(call.request, call), call.grpcCall as unknown as MessageSink, call, call.messageObserver),
  ) as Invoke;
}

/** The grpc-js handler for a server-streaming rpc. */
export function serverStreamAdapter(binding: MethodBinding): handleServerStreamingCall<unknown, unknown> {
  const invoke = streamInvoker(binding);
  return (grpcCall) => {
    const call = new ServerCall(binding, grpcCall);
    call.request = grpcCall.request;
    call.watchCancellation();
    call.start(invoke, true);
  };
}

/** The grpc-js handler for a bidi-streaming rpc. */
export function bidiStreamAdapter(binding: MethodBinding): handleBidiStreamingCall<unknown, unknown> {
  const invoke = streamInvoker(binding);
  return (grpcCall) => {
    const call = new ServerCall(binding, grpcCall);
    call.request = { [Symbol.asyncIterator]: () => readRequests(grpcCall, call, call.messageObserver) };
    call.watchCancellation();
    call.start(invoke, false);
  };
}

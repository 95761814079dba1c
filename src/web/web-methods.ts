import type { DescMethod, Message } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import type { sendUnaryData } from '@grpc/grpc-js';
import type { MethodBinding } from '../server/method-binding.js';
import { type Invoke, ServerCall } from '../server/server-call.js';
import { streamInvoker } from '../server/stream-adapter.js';
import { unaryInvoker } from '../server/unary-adapter.js';
import type { MessageBridge } from './message-bridge.js';
import { WebCallPort, WebStreamPort } from './web-call.js';
import { toConnectError } from './web-errors.js';

/** The binding a web call runs through, by Connect protocol name (`connect`, `grpc-web`). */
export type BindingFor = (protocolName: string) => MethodBinding;

/** How a web call learns its peer (from the connection, through Connect's context values). */
export type PeerOf = (ctx: HandlerContext) => string;

/**
 * The Connect implementation of a unary rpc: a {@link ServerCall} per request, as on the gRPC
 * port, with the reply (or the status) delivered to Connect as the promise's outcome.
 */
export function unaryMethod(bindingFor: BindingFor, bridge: MessageBridge, peerOf: PeerOf) {
  const invokerOf = cached(unaryInvoker);
  return (input: Message, ctx: HandlerContext): Promise<Message> =>
    new Promise((resolve, reject) => {
      const binding = bindingFor(ctx.protocolName);
      const invoke = invokerOf(binding);
      const port = new WebCallPort(ctx, peerOf(ctx), reject);
      const reply: sendUnaryData<unknown> = (error, value, trailers) => {
        if (error) {
          reject(toConnectError(error));
          return;
        }
        port.setTrailers(trailers);
        try {
          resolve(bridge.toWire(value));
        } catch (cause) {
          binding.logger.error({ err: cause, method: binding.info.path }, `Could not serialize the reply of ${binding.info.path}`);
          reject(new ConnectError('Error serializing response', Code.Internal));
        }
      };
      const call = new ServerCall(binding, port, reply);
      call.request = toHandler(bridge, input);
      call.start(invoke, true);
    });
}

/** The Connect implementation of a server-streaming rpc: the handler's replies, through the same pump as on the gRPC port. */
export function serverStreamMethod(bindingFor: BindingFor, bridge: MessageBridge, peerOf: PeerOf) {
  const invokerOf = cached(streamInvoker);
  const toWire = (value: unknown) => bridge.toWire(value);
  return (input: Message, ctx: HandlerContext): AsyncGenerator<Message> => {
    const binding = bindingFor(ctx.protocolName);
    const invoke = invokerOf(binding);
    const port = new WebStreamPort(ctx, peerOf(ctx));
    const call = new ServerCall(binding, port);
    call.request = toHandler(bridge, input);
    call.watchCancellation();
    call.start(invoke, true);
    return port.replies(toWire);
  };
}

/** What the web port answers for client and bidi streams, which browsers cannot make. */
export function unsupportedMethod(method: DescMethod) {
  return (): never => {
    throw new ConnectError(
      `${method.parent.typeName}/${method.name} is a ${method.methodKind.replace('_', ' ')} rpc: call it on the gRPC port`,
      Code.Unimplemented,
    );
  };
}

/** The handler's request, or INVALID_ARGUMENT for one the gRPC port's decoder refuses. */
function toHandler(bridge: MessageBridge, input: Message): unknown {
  try {
    return bridge.toHandler(input);
  } catch {
    throw new ConnectError('Request message could not be decoded', Code.InvalidArgument);
  }
}

/** `make(binding)`, made once per binding (the interceptor chain is composed once, as on the gRPC port). */
function cached(make: (binding: MethodBinding) => Invoke): (binding: MethodBinding) => Invoke {
  const made = new Map<MethodBinding, Invoke>();
  return (binding) => {
    let invoke = made.get(binding);
    if (!invoke) {
      invoke = make(binding);
      made.set(binding, invoke);
    }
    return invoke;
  };
}

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

/** The binding a web call runs through, one per protocol the web port serves (their metrics differ by a label). */
export interface WebBindings {
  readonly connect: MethodBinding;
  readonly grpcWeb: MethodBinding;
}

/** A binding and its composed handler chain (made once, as on the gRPC port). */
interface Route {
  readonly binding: MethodBinding;
  readonly invoke: Invoke;
}

/** The route of each protocol, and the pick of one by Connect's protocol name. */
function routes(bindings: WebBindings, invoker: (binding: MethodBinding) => Invoke): (protocolName: string) => Route {
  const connect: Route = { binding: bindings.connect, invoke: invoker(bindings.connect) };
  const grpcWeb: Route = { binding: bindings.grpcWeb, invoke: invoker(bindings.grpcWeb) };
  return (protocolName) => (protocolName === 'grpc-web' ? grpcWeb : connect);
}

/** How a web call learns its peer (from the connection, through Connect's context values). */
export type PeerOf = (ctx: HandlerContext) => string;

/**
 * The Connect implementation of a unary rpc: a {@link ServerCall} per request, as on the gRPC
 * port, with the reply (or the status) delivered to Connect as the promise's outcome.
 */
export function unaryMethod(bindings: WebBindings, bridge: MessageBridge, peerOf: PeerOf) {
  const routeFor = routes(bindings, unaryInvoker);
  return (input: Message, ctx: HandlerContext): Promise<Message> =>
    new Promise((resolve, reject) => {
      const { binding, invoke } = routeFor(ctx.protocolName);
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
export function serverStreamMethod(bindings: WebBindings, bridge: MessageBridge, peerOf: PeerOf) {
  const routeFor = routes(bindings, streamInvoker);
  const toWire = (value: unknown) => bridge.toWire(value);
  return (input: Message, ctx: HandlerContext): AsyncGenerator<Message> => {
    const { binding, invoke } = routeFor(ctx.protocolName);
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

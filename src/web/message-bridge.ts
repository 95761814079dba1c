import { type DescMethod, fromBinary, type Message, toBinary } from '@bufbuild/protobuf';
import type { MethodDefinition } from '@grpc/grpc-js';

/** Converts between Connect's messages and the objects the app's handlers see and return. */
export interface MessageBridge {
  /** A request as Connect parsed it (JSON or binary) → the handler's proto-loader-shaped object. */
  toHandler(message: Message): unknown;
  /** A handler's reply object → the message Connect writes (JSON or binary). */
  toWire(value: unknown): Message;
}

/**
 * The bridge for one rpc, through the binary encoding: a request is re-encoded with
 * `@bufbuild/protobuf` and decoded by the very proto-loader deserializer the gRPC port uses, and a
 * reply is encoded by the gRPC port's serializer and read back by `@bufbuild/protobuf`. So the
 * handler gets exactly the gRPC port's objects (camelCase fields, int64 and enums as strings,
 * defaults filled), and Connect writes canonical proto3 JSON, for one extra encode and decode
 * of each message (measured in docs/web.md).
 */
export function messageBridge(method: DescMethod, definition: MethodDefinition<unknown, unknown>): MessageBridge {
  return {
    toHandler(message) {
      const bytes = toBinary(method.input, message);
      return definition.requestDeserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
    toWire(value) {
      return fromBinary(method.output, definition.responseSerialize(value ?? {}));
    },
  };
}

import type { Client, Metadata, ServiceError } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { messageToJson } from './json-mapping.js';

/** What a call hands back as it goes: each reply as JSON, and the response headers and trailers. */
export interface CallSink {
  readonly reply: (json: unknown) => void;
  readonly headers: (metadata: Metadata) => void;
  readonly trailers: (metadata: Metadata) => void;
}

/**
 * Calls a unary or server-streaming method with an encoded request, decoding each reply with
 * `method.resolvedResponseType`. Rejects with the grpc-js `ServiceError` of a non-OK status.
 */
export function invokeMethod(
  client: Client,
  path: string,
  method: protobuf.Method,
  request: protobuf.Message,
  metadata: Metadata,
  deadline: Date | undefined,
  sink: CallSink,
): Promise<void> {
  const requestType = method.resolvedRequestType as protobuf.Type;
  const responseType = method.resolvedResponseType as protobuf.Type;
  const serialize = (m: protobuf.Message) => Buffer.from(requestType.encode(m).finish());
  const deserialize = (bytes: Buffer) => responseType.decode(bytes);
  const options = deadline === undefined ? {} : { deadline };
  return new Promise((resolve, reject) => {
    const settle = (error: ServiceError | null) => (error ? reject(error) : resolve());
    if (method.responseStream) {
      const call = client.makeServerStreamRequest(path, serialize, deserialize, request, metadata, options);
      call.on('metadata', sink.headers);
      call.on('data', (reply: protobuf.Message) => sink.reply(messageToJson(responseType, reply)));
      call.on('status', (status) => sink.trailers(status.metadata));
      call.on('error', (error: ServiceError) => settle(error));
      call.on('end', () => settle(null));
      return;
    }
    const call = client.makeUnaryRequest(path, serialize, deserialize, request, metadata, options, (error, reply) => {
      if (reply !== undefined && error === null) sink.reply(messageToJson(responseType, reply));
      settle(error);
    });
    call.on('metadata', sink.headers);
    call.on('status', (status) => sink.trailers(status.metadata));
  });
}

import type { UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';

const TEXT = /^application\/grpc-web-text(?=\+proto$|$)/i;

/** Whether a request is gRPC-Web text (`application/grpc-web-text`, base64 on the wire). */
export function isGrpcWebText(request: UniversalServerRequest): boolean {
  return TEXT.test(request.header.get('content-type') ?? '');
}

/**
 * gRPC-Web text as binary gRPC-Web, which Connect serves (its gRPC-Web handler refuses the text
 * form): the request body is base64-decoded as it streams in and the content type becomes
 * `application/grpc-web+proto`.
 */
export function textRequestAsBinary(request: UniversalServerRequest): UniversalServerRequest {
  const header = new Headers(request.header);
  header.set('content-type', 'application/grpc-web+proto');
  return { ...request, header, body: decodeBase64(request.body as AsyncIterable<Uint8Array>) };
}

/**
 * The binary gRPC-Web response in the text form: each chunk base64-encoded as it is written
 * (padded, as grpc-web clients accept: they decode four characters at a time), so a stream's
 * messages reach the caller as they are sent.
 */
export function binaryResponseAsText(response: UniversalServerResponse): UniversalServerResponse {
  const header = new Headers(response.header);
  const type = header.get('content-type');
  if (type) header.set('content-type', type.replace(/^application\/grpc-web/i, 'application/grpc-web-text'));
  return { ...response, header, body: response.body && encodeBase64(response.body) };
}

async function* decodeBase64(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending = '';
  for await (const chunk of body) {
    pending += Buffer.from(chunk).toString('latin1').replace(/\s/g, '');
    const whole = pending.length - (pending.length % 4);
    if (whole === 0) continue;
    yield decodeGroups(pending.slice(0, whole));
    pending = pending.slice(whole);
  }
  if (pending.length > 0) yield Buffer.from(pending, 'base64');
}

/** Decodes base64 that may hold padding between its segments (one per message a client wrote). */
function decodeGroups(text: string): Uint8Array {
  if (!text.slice(0, -2).includes('=')) return Buffer.from(text, 'base64');
  const parts: Buffer[] = [];
  for (let at = 0; at < text.length; at += 4) parts.push(Buffer.from(text.slice(at, at + 4), 'base64'));
  return Buffer.concat(parts);
}

async function* encodeBase64(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) yield Buffer.from(Buffer.from(chunk).toString('base64'), 'latin1');
}

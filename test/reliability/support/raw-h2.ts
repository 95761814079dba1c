import { type ClientHttp2Session, connect, constants, type IncomingHttpHeaders } from 'node:http2';

/** What a raw HTTP/2 gRPC exchange ended with. */
export interface RawResult {
  /** HTTP `:status` of the response headers (0 when the stream was reset before any). */
  readonly httpStatus: number;
  /** `grpc-status` from the trailers (or a trailers-only response); `undefined` when absent. */
  readonly grpcStatus: number | undefined;
  /** `grpc-message`, percent-decoded. */
  readonly grpcMessage: string;
  /** Response body bytes (length-prefixed messages). */
  readonly body: Buffer;
  /** RST_STREAM code when the stream was reset, else 0. */
  readonly rstCode: number;
}

/** One request on a raw stream: headers to add or override, and the body frames to send. */
export interface RawRequest {
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Body chunks, each sent as written; the stream half-closes after the last unless `keepOpen`. */
  readonly body?: readonly Buffer[];
  readonly keepOpen?: boolean;
  /** Give up (and reset the stream) after this long. */
  readonly timeoutMs?: number;
}

/** Opens a plain-text HTTP/2 session to a local port and waits until it is connected. */
export async function openSession(port: number): Promise<ClientHttp2Session> {
  const session = connect(`http://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  session.on('error', () => {});
  return session;
}

/** A gRPC frame: compressed flag, 4-byte big-endian length, message bytes. */
export function frame(message: Buffer, options: { declaredLength?: number; compressed?: number } = {}): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(options.compressed ?? 0, 0);
  header.writeUInt32BE(options.declaredLength ?? message.length, 1);
  return Buffer.concat([header, message]);
}

/** Sends one gRPC request over a raw stream, bypassing every client library check. */
export function rawCall(session: ClientHttp2Session, request: RawRequest): Promise<RawResult> {
  return new Promise((resolve) => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: request.path,
      [constants.HTTP2_HEADER_SCHEME]: 'http',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...request.headers,
    });
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), request.timeoutMs ?? 10_000);
    stream.on('response', (h) => {
      headers = h;
    });
    stream.on('trailers', (t) => {
      trailers = t;
    });
    stream.on('end', () => {
      if (request.keepOpen) stream.close(constants.NGHTTP2_NO_ERROR);
    });
    stream.on('data', (d: Buffer) => {
      chunks.push(d);
    });
    stream.on('error', () => {});
    stream.on('close', () => {
      clearTimeout(timer);
      const status = trailers['grpc-status'] ?? headers['grpc-status'];
      const message = String(trailers['grpc-message'] ?? headers['grpc-message'] ?? '');
      resolve({
        httpStatus: Number(headers[':status'] ?? 0),
        grpcStatus: status === undefined ? undefined : Number(status),
        grpcMessage: safeDecode(message),
        body: Buffer.concat(chunks),
        rstCode: stream.rstCode ?? 0,
      });
    });
    const body = request.body ?? [];
    for (const chunk of body) stream.write(chunk);
    if (!request.keepOpen) stream.end();
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A small seeded PRNG (mulberry32), so "random" inputs are the same on every run. */
export function seededRandom(seed: number): (n: number) => Buffer {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
}

import { Code, ConnectError } from '@connectrpc/connect';
import type { Metadata, StatusObject } from '@grpc/grpc-js';
import { decodeStatusDetails } from '../errors/index.js';

const DETAILS_KEY = 'grpc-status-details-bin';

/**
 * The Connect error for a status the server answered: the same code and message the gRPC port
 * sends, its metadata as headers (Connect) or trailers (gRPC-Web), and the rich details from
 * `grpc-status-details-bin` as Connect details (`type` without the URL prefix, `value` the bytes),
 * which Connect writes into its error JSON and gRPC-Web into `grpc-status-details-bin` again.
 */
export function toConnectError(status: Partial<StatusObject>): ConnectError {
  const error = new ConnectError(status.details ?? '', (status.code ?? Code.Unknown) as Code, metadataToHeaders(status.metadata));
  const details = status.metadata?.get(DETAILS_KEY)[0];
  if (details instanceof Uint8Array) {
    for (const detail of decodeStatusDetails(details)) {
      error.details.push({ type: detail.typeUrl.slice(detail.typeUrl.lastIndexOf('/') + 1), value: detail.value });
    }
  }
  return error;
}

/** gRPC metadata as HTTP headers (`-bin` values base64, as gRPC-Web and Connect write them). */
export function metadataToHeaders(metadata: Metadata | undefined, into: Headers = new Headers()): Headers {
  if (!metadata) return into;
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    if (key === DETAILS_KEY) continue;
    for (const value of values) into.append(key, typeof value === 'string' ? value : Buffer.from(value).toString('base64'));
  }
  return into;
}

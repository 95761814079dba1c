/** The four kinds of rpc. */
export type CallKind = 'unary' | 'server_stream' | 'client_stream' | 'bidi_stream';

/** The kind of an rpc from its streaming flags. */
export function callKind(requestStream: boolean, responseStream: boolean): CallKind {
  if (requestStream) return responseStream ? 'bidi_stream' : 'client_stream';
  return responseStream ? 'server_stream' : 'unary';
}

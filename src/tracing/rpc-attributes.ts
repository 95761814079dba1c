import { Status } from '../errors/index.js';

// The RPC semantic conventions are still incubating; their README asks libraries to copy the names
// rather than import the unstable entry point.
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code';

/** Codes that make a server span an error (RPC conventions: the server's own faults, not the caller's). */
const SERVER_ERRORS: ReadonlySet<number> = new Set([
  Status.UNKNOWN,
  Status.DEADLINE_EXCEEDED,
  Status.UNIMPLEMENTED,
  Status.INTERNAL,
  Status.UNAVAILABLE,
  Status.DATA_LOSS,
]);

/** Whether a server span ending with `code` is an error. */
export function isServerError(code: number): boolean {
  return SERVER_ERRORS.has(code);
}

/** `host` and `port` of `127.0.0.1:50051`, `[::1]:50051`, `ipv4:…`, `dns:///name:port` or `kubernetes:///name.ns:port`. */
export function hostAndPort(address: string): { host: string; port: number | undefined } {
  const bare = address.replace(/^(dns|ipv4|ipv6|unix|kubernetes|xds):(\/\/[^/]*\/)?/, '');
  const colon = bare.lastIndexOf(':');
  const close = bare.lastIndexOf(']');
  if (colon < 0 || colon < close) return { host: unbracket(bare), port: undefined };
  // an IPv6 address without brackets has colons and no port
  if (close < 0 && bare.indexOf(':') !== colon) return { host: bare, port: undefined };
  const port = Number(bare.slice(colon + 1));
  return { host: unbracket(bare.slice(0, colon)), port: Number.isInteger(port) ? port : undefined };
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

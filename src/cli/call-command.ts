import { defineCommand } from './command.js';
import { parseWholeNumber, verboseOption } from './parse-options.js';
import { UsageError } from './usage-error.js';

interface CallFlags {
  header?: readonly string[];
  timeout?: number;
  plaintext?: boolean;
  tls?: boolean;
  ca?: string;
  verbose?: boolean;
}

/** `krpc-app call TARGET SERVICE/METHOD [JSON]`: a grpcurl-like client over server reflection. */
export const callCommand = defineCommand<CallFlags>({
  name: 'call',
  summary: 'call a method of a running server with JSON (server reflection)',
  help: `Usage: krpc-app call <target> <method> [json] [options]

Call METHOD (package.Service/Method) on the server at TARGET (host:port) with the request JSON
(default: {}), and print the reply as JSON: one object for a unary rpc, one per message for a
server-streaming rpc. The types come from the server's reflection (grpc.reflection.v1, else
v1alpha), which every krpc app serves. JSON follows the proto3 mapping: lowerCamelCase or proto
field names, enum names, 64-bit integers and bytes (base64) as strings.

A non-OK status prints "ERROR: <CODE> <message>" to stderr and exits 1. Client-streaming and
bidi-streaming rpcs are refused.

Options:
  -H, --header <name:value> request metadata; repeat it, or give a comma list (a:1,b:2)
  -t, --timeout <ms>        deadline of the call (none unless given) and of the reflection
                            lookup (default 10000)
      --plaintext           connect without TLS (the default)
      --tls                 connect with TLS, trusting the system's root certificates
      --ca <file>           connect with TLS, trusting the CA certificate(s) in this PEM file
  -v, --verbose             print the method, headers, trailers and timings to stderr, and stack
                            traces on errors
  -h, --help                show this help

Example:
  krpc-app call localhost:50051 helloworld.Greeter/SayHello '{"name":"Ada"}'
`,
  argument: { name: 'target' },
  moreArguments: [{ name: 'method' }, { name: 'json', default: '{}' }],
  options: {
    header: { short: 'H', value: 'name:value', repeatable: true },
    timeout: { short: 't', value: 'ms', parse: parseWholeNumber },
    plaintext: {},
    tls: {},
    ca: { value: 'file' },
    verbose: verboseOption,
  },
  run: async (target, flags, [method = '', json = '{}']) => {
    const tls = flags.tls === true || flags.ca !== undefined;
    if (tls && flags.plaintext === true)
      throw new UsageError(`${flags.ca === undefined ? '--tls' : '--ca'} and --plaintext exclude each other`);
    const slash = method.includes('/') ? method.lastIndexOf('/') : method.lastIndexOf('.');
    if (slash <= 0 || slash === method.length - 1) throw new UsageError(`method must be package.Service/Method, got "${method}"`);
    let request: unknown;
    try {
      request = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`the request is not JSON: ${(error as Error).message}`);
    }
    // `krpc-app call … | head`: a closed pipe ends the output, as with any Unix tool
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
    const { parseHeaders } = await import('./call/parse-headers.js');
    const { callMethod } = await import('./call/call-method.js');
    const headers = parseHeaders(flags.header ?? []);
    const ok = await callMethod({
      target,
      service: method.slice(0, slash),
      method: method.slice(slash + 1),
      request,
      headers,
      timeoutMs: flags.timeout,
      tls: tls ? { ...(flags.ca === undefined ? {} : { caFile: flags.ca }) } : undefined,
      verbose: flags.verbose === true,
    });
    if (!ok) process.exitCode = 1;
  },
});

import { readFileSync } from 'node:fs';
import grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { ConfigurationError, closest, statusName } from '../../errors/index.js';
import { UsageError } from '../usage-error.js';
import { invokeMethod } from './invoke-method.js';
import { messageFromJson, RequestJsonError } from './json-mapping.js';
import { loadServiceRoot } from './load-service-root.js';

/** What `krpc-app call` was asked to do. */
export interface CallRequest {
  readonly target: string;
  readonly service: string;
  readonly method: string;
  readonly request: unknown;
  readonly headers: readonly [string, string][];
  readonly timeoutMs: number | undefined;
  /** TLS, trusting `caFile` or else the system's roots; plain text without it. */
  readonly tls: { readonly caFile?: string } | undefined;
  readonly verbose: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Looks the method up through reflection, sends the request and prints each reply as JSON on
 * stdout. A non-OK status is printed as `ERROR: <CODE> <message>` on stderr and resolves false.
 *
 * @throws ConfigurationError for an unknown service or method, or a request that does not fit
 */
export async function callMethod(call: CallRequest): Promise<boolean> {
  const log = (text: string) => call.verbose && process.stderr.write(`${text}\n`);
  const credentials = channelCredentials(call.tls);
  const client = new grpc.Client(call.target, credentials);
  const metadata = new grpc.Metadata();
  for (const [name, value] of call.headers) metadata.add(name, value);
  const started = performance.now();
  try {
    const reflectionDeadline = new Date(Date.now() + (call.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const lookup = await loadServiceRoot(client, metadata, reflectionDeadline, call.service);
    if (lookup.kind === 'unknown') {
      const suggestion = closest(call.service, lookup.services);
      throw new ConfigurationError(
        'KRPC_SERVICE_NOT_FOUND',
        `${call.target} serves no service ${call.service}; it serves: ${lookup.services.join(', ')}`,
        {
          service: call.service,
          fix: suggestion ? `did you mean ${suggestion}?` : 'use one of the services listed',
        },
      );
    }
    const service = lookup.root.lookupService(call.service);
    const method = findMethod(service, call.method);
    log(
      `krpc-app call: ${methodKind(method)} rpc ${call.service}/${method.name}(${fullNameOf(method.resolvedRequestType as protobuf.Type)}) returns (${fullNameOf(method.resolvedResponseType as protobuf.Type)}), found through ${lookup.reflection} in ${ms(started)}`,
    );
    if (method.requestStream) {
      throw new ConfigurationError(
        'KRPC_CALL_UNSUPPORTED',
        `${call.service}/${method.name} is a ${methodKind(method)} rpc; krpc-app call supports unary and server-streaming rpcs`,
        {
          service: call.service,
          fix: 'call it from a grpc-js client, or with grpcurl',
        },
      );
    }
    const message = encodeRequest(method, call);
    const sent = performance.now();
    await invokeMethod(client, `/${call.service}/${method.name}`, method, message, metadata, deadlineOf(call), {
      reply: (json) => process.stdout.write(`${JSON.stringify(json, null, 2)}\n`),
      headers: (m) => log(`response headers: ${JSON.stringify(m.toJSON())}`),
      trailers: (m) => log(`response trailers: ${JSON.stringify(m.toJSON())}`),
    });
    log(`krpc-app call: OK in ${ms(sent)} (${ms(started)} with reflection)`);
    return true;
  } catch (error) {
    if (!isServiceError(error)) throw error;
    const where = error.code === grpc.status.UNAVAILABLE || error.code === grpc.status.DEADLINE_EXCEEDED ? `${call.target}: ` : '';
    // grpc-js appends an empty "Resolution note: " to connection failures
    process.stderr.write(`ERROR: ${statusName(error.code)} ${where}${error.details.replace(/\.? Resolution note: $/, '')}\n`);
    log(`krpc-app call: failed after ${ms(started)}`);
    return false;
  } finally {
    client.close();
  }
}

/** The rpc named `name` (exactly, else ignoring case: `sayHello` finds SayHello). */
function findMethod(service: protobuf.Service, name: string): protobuf.Method {
  const method = service.methods[name] ?? service.methodsArray.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (method !== undefined) return method;
  const names = service.methodsArray.map((m) => m.name);
  const suggestion = closest(name, names);
  const fullName = fullNameOf(service);
  throw new ConfigurationError('KRPC_RPC_NOT_IN_SERVICE', `${fullName} has no rpc ${name}; its rpcs: ${names.join(', ')}`, {
    service: fullName,
    fix: suggestion ? `did you mean ${fullName}/${suggestion}?` : `call one of ${names.map((n) => `${fullName}/${n}`).join(', ')}`,
  });
}

/** `helloworld.Greeter` for protobufjs' `.helloworld.Greeter`. */
function fullNameOf(object: protobuf.ReflectionObject): string {
  return object.fullName.replace(/^\./, '');
}

function encodeRequest(method: protobuf.Method, call: CallRequest): protobuf.Message {
  const type = method.resolvedRequestType as protobuf.Type;
  try {
    return messageFromJson(type, call.request);
  } catch (error) {
    if (!(error instanceof RequestJsonError)) throw error;
    throw new ConfigurationError('KRPC_REQUEST_INVALID', `The request JSON does not fit ${fullNameOf(type)}: ${error.message}`, {
      service: call.service,
      methodName: method.name,
      fix: `send the proto3 JSON of ${fullNameOf(type)}`,
    });
  }
}

function methodKind(method: protobuf.Method): string {
  if (method.requestStream) return method.responseStream ? 'bidi-streaming' : 'client-streaming';
  return method.responseStream ? 'server-streaming' : 'unary';
}

function deadlineOf(call: CallRequest): Date | undefined {
  return call.timeoutMs === undefined ? undefined : new Date(Date.now() + call.timeoutMs);
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === 'number' && 'details' in error;
}

function channelCredentials(tls: CallRequest['tls']): grpc.ChannelCredentials {
  if (tls === undefined) return grpc.credentials.createInsecure();
  if (tls.caFile === undefined) return grpc.credentials.createSsl();
  try {
    return grpc.credentials.createSsl(readFileSync(tls.caFile));
  } catch (error) {
    throw new UsageError(`--ca ${tls.caFile}: ${(error as Error).message}`);
  }
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(1)} ms`;
}

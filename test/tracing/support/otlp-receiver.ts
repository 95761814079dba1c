import { createServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type GrpcObject, loadPackageDefinition, Server, ServerCredentials, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { waitFor } from '../../support/fault-cluster/wait.mjs';

const PROTO = join(import.meta.dirname, 'otlp-trace.proto');
const LOADER = { longs: String, enums: Number, defaults: false, oneofs: true } as const;

/** A span as the receiver got it over OTLP. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** 2 SERVER, 3 CLIENT (OTLP SpanKind). */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly events: readonly { name: string; attributes: Readonly<Record<string, string | number | boolean>> }[];
  /** 0 unset, 1 ok, 2 error (OTLP StatusCode). */
  readonly status: { code: number; message: string };
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  /** Which OTLP transport brought it. */
  readonly via: 'grpc' | 'http/protobuf';
}

interface RawKeyValue {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; intValue?: string; doubleValue?: number };
}
interface RawSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  attributes?: RawKeyValue[];
  events?: { name?: string; attributes?: RawKeyValue[] }[];
  status?: { code?: number; message?: string };
}
interface RawRequest {
  resourceSpans?: { resource?: { attributes?: RawKeyValue[] }; scopeSpans?: { spans?: RawSpan[] }[] }[];
}

function attributesOf(list: RawKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (!value) continue;
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
  }
  return out;
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

function spansOf(request: RawRequest, via: ReceivedSpan['via']): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          name: span.name ?? '',
          kind: span.kind ?? 0,
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((e) => ({ name: e.name ?? '', attributes: attributesOf(e.attributes) })),
          status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
          resource,
          via,
        });
      }
    }
  }
  return spans;
}

/** A test OTLP collector endpoint on loopback: OTLP/HTTP protobuf (`POST /v1/traces`) and OTLP/gRPC, recording every span. */
export interface OtlpReceiver {
  /** Base URL of the OTLP/HTTP endpoint (the exporter appends `/v1/traces`). */
  readonly httpUrl: string;
  /** URL of the OTLP/gRPC endpoint. */
  readonly grpcUrl: string;
  readonly spans: ReceivedSpan[];
  /** Number of export requests received. */
  readonly requests: number;
  /** Resolves with the spans of `traceId` once `count` of them arrived. */
  waitForTrace(traceId: string, count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** Resolves once `check(spans)` is true. */
  waitFor<T>(what: string, check: (spans: readonly ReceivedSpan[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Starts both endpoints on 127.0.0.1, ports picked by the system. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let requests = 0;
  const requestType = protobuf.loadSync(PROTO).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

  const http: HttpServer = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    readBody(request).then(
      (raw) => {
        const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const decoded = requestType.toObject(requestType.decode(body), LOADER) as RawRequest;
        requests++;
        spans.push(...spansOf(decoded, 'http/protobuf'));
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      },
      () => response.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpPort = (http.address() as { port: number }).port;

  const definition = loadPackageDefinition(loadSync(PROTO, LOADER));
  const trace = (((definition.opentelemetry as GrpcObject).proto as GrpcObject).collector as GrpcObject).trace as GrpcObject;
  const service = ((trace.v1 as GrpcObject).TraceService as ServiceClientConstructor).service;
  const grpc = new Server();
  grpc.addService(service, {
    Export: (call: { request: RawRequest }, callback: (error: null, reply: object) => void) => {
      requests++;
      spans.push(...spansOf(call.request, 'grpc'));
      callback(null, {});
    },
  });
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );

  const receiver: OtlpReceiver = {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    spans,
    get requests() {
      return requests;
    },
    waitForTrace(traceId, count, timeoutMs = 20_000) {
      return receiver.waitFor(
        `${count} spans of trace ${traceId}`,
        (all) => {
          const found = all.filter((s) => s.traceId === traceId);
          return found.length >= count && found;
        },
        timeoutMs,
      );
    },
    waitFor<T>(what: string, check: (all: readonly ReceivedSpan[]) => T | undefined | false, timeoutMs = 20_000) {
      return waitFor(() => check(spans), { what, timeoutMs }) as Promise<T>;
    },
    async close() {
      grpc.forceShutdown();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return receiver;
}

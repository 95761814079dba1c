import { join } from 'node:path';
import { type Client, credentials, type GrpcObject, loadPackageDefinition, Metadata, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { type KrpcProcess, ROOT, spawnKrpc } from '../../support/krpc-process.js';

/** The OTLP env of an app exporting to `url` over `protocol`, batching briefly so tests see spans soon. */
export function otlpEnv(url: string, protocol: 'grpc' | 'http/protobuf', serviceName: string): Record<string, string> {
  return {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_SERVICE_NAME: serviceName,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  };
}

/** A running `krpc-app start` child and the port it serves on. */
export interface StartedApp {
  readonly proc: KrpcProcess;
  readonly port: number;
}

/** `krpc-app start dir` on 127.0.0.1, ports picked by the system, with `env`; resolves once it listens. */
export async function startApp(dir: string, env: Record<string, string>): Promise<StartedApp> {
  const proc = spawnKrpc(['start', dir, '--port', '0', '--host', '127.0.0.1'], { KRPC_RUNTIME_PORT: '0', ...env });
  const line = await proc.waitForLog(/listening/, 60_000);
  return { proc, port: Number(line.port) };
}

/** A grpc-js client constructor for `service` of `proto` (relative to the repository). */
export function grpcClient(proto: string, service: string, port: number) {
  const definition = loadPackageDefinition(loadSync(join(ROOT, proto)));
  let node: unknown = definition;
  for (const part of service.split('.')) node = (node as GrpcObject)[part];
  const Constructor = node as ServiceClientConstructor;
  return new Constructor(`127.0.0.1:${port}`, credentials.createInsecure()) as Client;
}

/**
 * The test's own traced client: an SDK tracer (not registered globally) whose CLIENT spans are kept
 * in memory, and the W3C propagator writing them into the call's metadata.
 */
export function testTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test-client');
  const propagator = new W3CTraceContextPropagator();
  return {
    exporter,
    /** Runs `call` with metadata carrying a new CLIENT span; returns what it returned and the span. */
    async traced<T>(name: string, call: (metadata: Metadata) => Promise<T>): Promise<{ result: T | Error; span: ReadableSpan }> {
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT });
      const metadata = new Metadata();
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), metadata, { set: (carrier, key, value) => carrier.set(key, value) });
      let result: T | Error;
      try {
        result = await call(metadata);
      } catch (error) {
        result = error as Error;
      }
      span.end();
      return { result, span: span as unknown as ReadableSpan };
    },
    shutdown: () => provider.shutdown(),
  };
}

/** Promisified unary call of a grpc-js generic client. */
export function unary<T>(client: Client, method: string, request: object, metadata: Metadata, deadlineMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method]?.(
      request,
      metadata,
      { deadline: Date.now() + deadlineMs },
      (error: Error | null, reply: T) => (error ? reject(error) : resolve(reply)),
    );
  });
}

/** Reads a grpc-js readable stream to its end. */
export function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    stream.on('data', (m: T) => out.push(m));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

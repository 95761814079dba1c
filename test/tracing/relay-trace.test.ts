import type { Client } from '@grpc/grpc-js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.js';
import { collect, grpcClient, otlpEnv, type StartedApp, startApp, testTracer, unary } from './support/traced-apps.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** The relay's server and client spans and the greeter's server span of one trace, checked to form one chain under `caller`. */
function chain(spans: readonly ReceivedSpan[], caller: ReadableSpan, rpc: string) {
  const of = (service: string, kind: number) => {
    const found = spans.filter((s) => s.resource['service.name'] === service && s.kind === kind);
    expect(found, `${service} ${kind === SERVER ? 'server' : 'client'} spans`).toHaveLength(1);
    return found[0] as ReceivedSpan;
  };
  const relayServer = of('relay', SERVER);
  const relayClient = of('relay', CLIENT);
  const greeterServer = of('greeter', SERVER);
  expect(relayServer.parentSpanId).toBe(caller.spanContext().spanId);
  expect(relayClient.parentSpanId).toBe(relayServer.spanId);
  expect(greeterServer.parentSpanId).toBe(relayClient.spanId);
  for (const span of [relayServer, relayClient, greeterServer]) {
    expect(span.name).toBe(`helloworld.Greeter/${rpc}`);
    expect(span.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': 'helloworld.Greeter', 'rpc.method': rpc });
  }
  // the two apps export over the two OTLP transports
  expect(relayServer.via).toBe('grpc');
  expect(greeterServer.via).toBe('http/protobuf');
  return { relayServer, relayClient, greeterServer };
}

describe('tracing through krpc-app start: a traced client → samples/relay → samples/greeter', () => {
  let receiver: OtlpReceiver;
  let greeter: StartedApp | undefined;
  let relay: StartedApp | undefined;
  let client: Client;
  const tracer = testTracer();

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    greeter = await startApp('samples/greeter', {
      ...otlpEnv(receiver.httpUrl, 'http/protobuf', 'greeter'),
      KRPC_LOG_LEVEL: 'debug',
      POD_NAME: 'greeter-7d9f-abcde',
      POD_NAMESPACE: 'shop',
    });
    relay = await startApp('samples/relay', {
      ...otlpEnv(receiver.grpcUrl, 'grpc', 'relay'),
      KRPC_TARGET_HELLOWORLD_GREETER: `127.0.0.1:${greeter.port}`,
      KRPC_LOG_LEVEL: 'debug',
    });
    client = grpcClient('samples/relay/proto/helloworld.proto', 'helloworld.Greeter', relay.port);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await relay?.proc.stop();
    await greeter?.proc.stop();
    await receiver?.close();
    await tracer.shutdown();
  });

  it('unary: one trace of four spans, each the child of the one before, with the RPC attributes and status OK', async () => {
    const { result, span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'Ada' }, md));
    expect(result).toEqual({ message: 'relayed: Hello Ada' });
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const { relayServer, relayClient, greeterServer } = chain(spans, span, 'SayHello');
    for (const s of [relayServer, relayClient, greeterServer]) {
      expect(s.attributes['rpc.grpc.status_code']).toBe(0);
      expect(s.status.code).not.toBe(ERROR);
    }
    // the client span names the endpoint it picked; the greeter's span the resource the downward API gives
    expect(relayClient.attributes['server.port']).toBe(greeter?.port);
    expect(relayClient.attributes['network.peer.address']).toBe('127.0.0.1');
    expect(relayClient.attributes['network.peer.port']).toBe(greeter?.port);
    expect(greeterServer.resource).toMatchObject({
      'service.name': 'greeter',
      'k8s.pod.name': 'greeter-7d9f-abcde',
      'k8s.namespace.name': 'shop',
    });
    expect(relayServer.attributes['server.port']).toBe(relay?.port);
  });

  it('server streaming: the same chain, with the messages counted on the spans', async () => {
    const { result, span } = await tracer.traced('SayHelloStreamReply', (md) =>
      collect<{ message: string }>(
        (client as unknown as Record<string, (r: object, m: unknown) => NodeJS.ReadableStream>).sayHelloStreamReply({ name: 'Ada' }, md),
      ),
    );
    expect(result).toHaveLength(3);
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const { relayServer, relayClient, greeterServer } = chain(spans, span, 'SayHelloStreamReply');
    expect(greeterServer.attributes['rpc.messages.sent']).toBe(3);
    expect(relayClient.attributes['rpc.messages.received']).toBe(3);
    expect(relayServer.attributes['rpc.messages.sent']).toBe(3);
    // the one request of a server stream counts too
    expect(greeterServer.attributes['rpc.messages.received']).toBe(1);
    expect(relayServer.attributes['rpc.messages.received']).toBe(1);
  });

  it('bidi streaming: the same chain', async () => {
    const { result, span } = await tracer.traced('SayHelloBidiStream', async (md) => {
      const call = (client as unknown as Record<string, (m: unknown) => NodeJS.ReadWriteStream>).sayHelloBidiStream(md);
      const replies = collect<{ message: string }>(call);
      call.write({ name: 'a' } as never);
      call.write({ name: 'b' } as never);
      call.end();
      return replies;
    });
    expect(result).toHaveLength(2);
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const { greeterServer } = chain(spans, span, 'SayHelloBidiStream');
    expect(greeterServer.attributes).toMatchObject({ 'rpc.messages.received': 2, 'rpc.messages.sent': 2 });
  });

  it("a caller's error (INVALID_ARGUMENT) marks the relay's client span an error, not the server spans", async () => {
    const { result, span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: '' }, md));
    expect((result as { code?: number }).code).toBe(3);
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const { relayServer, relayClient, greeterServer } = chain(spans, span, 'SayHello');
    expect(relayClient.status.code).toBe(ERROR);
    expect(relayServer.status.code).not.toBe(ERROR);
    expect(greeterServer.status.code).not.toBe(ERROR);
    for (const s of [relayServer, relayClient, greeterServer]) expect(s.attributes['rpc.grpc.status_code']).toBe(3);
  });

  it("log lines of both apps carry the trace id: each app's debug access line of the call names it and its span", async () => {
    const { span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'logs' }, md));
    const traceId = span.spanContext().traceId;
    const spans = await receiver.waitForTrace(traceId, 3);
    for (const [app, service] of [
      [relay, 'relay'],
      [greeter, 'greeter'],
    ] as const) {
      const line = await app?.proc.waitForLog((l) => l.trace_id === traceId && l.rpc === '/helloworld.Greeter/SayHello', 10_000);
      const server = spans.find((s) => s.kind === SERVER && s.resource['service.name'] === service);
      expect(line).toMatchObject({ level: 'debug', code: 'OK', span_id: server?.spanId });
      expect(typeof line?.durationMs).toBe('number');
      expect(String(line?.peer)).toMatch(/127\.0\.0\.1/);
    }
  });
});

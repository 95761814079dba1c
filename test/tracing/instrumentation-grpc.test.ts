import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type KrpcProcess, spawnNode } from '../support/krpc-process.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { grpcClient, testTracer, unary } from './support/traced-apps.js';

const SDK = join(import.meta.dirname, 'support/instrumented-sdk.mjs');
const SERVER = 2;
const CLIENT = 3;

/** `krpc-app start dir` with the app's own SDK and instrumentation-grpc preloaded, and the framework's tracing on. */
async function startInstrumented(dir: string, service: string, url: string, env: Record<string, string> = {}) {
  const proc = spawnNode(['--import', SDK, BIN, 'start', dir, '--port', '0', '--host', '127.0.0.1'], {
    KRPC_RUNTIME_PORT: '0',
    OTEL_TRACES_EXPORTER: 'otlp',
    TEST_OTLP_URL: url,
    TEST_SERVICE_NAME: service,
    ...env,
  });
  const line = await proc.waitForLog(/listening/, 60_000);
  return { proc, port: Number(line.port) };
}

describe('with the app’s own SDK and @opentelemetry/instrumentation-grpc loaded', () => {
  let receiver: OtlpReceiver;
  let greeter: { proc: KrpcProcess; port: number } | undefined;
  let relay: { proc: KrpcProcess; port: number } | undefined;
  const tracer = testTracer();

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    greeter = await startInstrumented('samples/greeter', 'greeter', receiver.httpUrl);
    relay = await startInstrumented('samples/relay', 'relay', receiver.httpUrl, {
      KRPC_TARGET_HELLOWORLD_GREETER: `127.0.0.1:${greeter.port}`,
    });
  }, 120_000);
  afterAll(async () => {
    await relay?.proc.stop();
    await greeter?.proc.stop();
    await receiver?.close();
    await tracer.shutdown();
  });

  it('the framework keeps the app’s SDK and says so', () => {
    expect(relay?.proc.lines.some((l) => l.msg === 'Tracing on through the OpenTelemetry SDK the app registered itself')).toBe(true);
  });

  it('one span per hop, no doubles: instrumentation-grpc’s server span (the framework adds to it), the framework’s client span', async () => {
    const client = grpcClient('samples/relay/proto/helloworld.proto', 'helloworld.Greeter', relay?.port ?? 0);
    const { result, span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'both' }, md));
    // a second call as a barrier: spans are exported in the order they end, so once the second
    // call's spans are in, any extra span of the first would be too
    const barrier = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'barrier' }, md));
    client.close();
    expect(result).toEqual({ message: 'relayed: Hello both' });
    await receiver.waitForTrace(barrier.span.spanContext().traceId, 3);
    const spans = receiver.spans.filter((s) => s.traceId === span.spanContext().traceId);
    const of = (service: string, kind: number) => spans.filter((s) => s.resource['service.name'] === service && s.kind === kind);
    expect(of('relay', SERVER)).toHaveLength(1);
    expect(of('relay', CLIENT)).toHaveLength(1);
    expect(of('greeter', SERVER)).toHaveLength(1);
    expect(of('greeter', CLIENT)).toHaveLength(0);
    const [relayServer] = of('relay', SERVER);
    const [relayClient] = of('relay', CLIENT);
    const [greeterServer] = of('greeter', SERVER);
    expect(relayServer?.name).toBe('grpc.helloworld.Greeter/SayHello');
    expect(relayServer?.attributes['network.peer.address']).toBe('127.0.0.1');
    expect(relayClient?.name).toBe('helloworld.Greeter/SayHello');
    expect(relayServer?.parentSpanId).toBe(span.spanContext().spanId);
    expect(relayClient?.parentSpanId).toBe(relayServer?.spanId);
    expect(greeterServer?.parentSpanId).toBe(relayClient?.spanId);
  });
});

import type { Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.js';
import { grpcClient, otlpEnv, type StartedApp, startApp, testTracer, unary } from './support/traced-apps.js';

const FIXTURE = 'test/tracing/fixtures/calls-chain';
const PROTO = 'test/fixtures/protos/calls.proto';
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

describe('tracing through krpc-app start: a relay → leaf of test.calls.Calls (client streaming, errors, framework events)', () => {
  let receiver: OtlpReceiver;
  let leaf: StartedApp | undefined;
  let relay: StartedApp | undefined;
  let client: Client;
  const tracer = testTracer();

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    leaf = await startApp(FIXTURE, otlpEnv(receiver.httpUrl, 'http/protobuf', 'leaf'));
    relay = await startApp(FIXTURE, {
      ...otlpEnv(receiver.grpcUrl, 'grpc', 'relay'),
      KRPC_MODULE: './app.module.mjs#RelayModule',
      KRPC_TARGET_TEST_CALLS_CALLS: `127.0.0.1:${leaf.port}`,
      // retried by grpc-js on UNAVAILABLE (its service config's retryPolicy)
      KRPC_CLIENTS: JSON.stringify({ 'test.calls.Calls': { methods: { Fail: { retryable: true } } } }),
    });
    client = grpcClient(PROTO, 'test.calls.Calls', relay.port);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await relay?.proc.stop();
    await leaf?.proc.stop();
    await receiver?.close();
    await tracer.shutdown();
  });

  const spansOf = (spans: readonly ReceivedSpan[], service: string, kind: number) =>
    spans.find((s) => s.resource['service.name'] === service && s.kind === kind) as ReceivedSpan;

  it('client streaming: one trace of four spans, correctly parented, the requests counted', async () => {
    const { result, span } = await tracer.traced('Sum', (md) => {
      return new Promise((resolve, reject) => {
        const call = (
          client as unknown as Record<string, (m: unknown, cb: (e: Error | null, r: unknown) => void) => NodeJS.WritableStream>
        ).sum(md, (error, reply) => (error ? reject(error) : resolve(reply)));
        for (const n of [1, 2, 3]) call.write({ text: 'x', n } as never);
        call.end();
      });
    });
    expect(result).toEqual({ text: 'sum', n: 6 });
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const relayServer = spansOf(spans, 'relay', SERVER);
    const relayClient = spansOf(spans, 'relay', CLIENT);
    const leafServer = spansOf(spans, 'leaf', SERVER);
    expect(relayServer.parentSpanId).toBe(span.spanContext().spanId);
    expect(relayClient.parentSpanId).toBe(relayServer.spanId);
    expect(leafServer.parentSpanId).toBe(relayClient.spanId);
    expect(leafServer.name).toBe('test.calls.Calls/Sum');
    expect(leafServer.attributes['rpc.messages.received']).toBe(3);
    expect(relayClient.attributes['rpc.messages.sent']).toBe(3);
  });

  it("the application's own log line, through the injected AppLogger, carries the call's trace and span ids", async () => {
    const { span } = await tracer.traced('Echo', (md) => unary(client, 'echo', { text: 'log', n: 7 }, md));
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const line = await leaf?.proc.waitForLog((l) => l.msg === 'order placed' && l.order === 7);
    expect(line).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: spansOf(spans, 'leaf', SERVER).spanId,
      rpc: '/test.calls.Calls/Echo',
    });
  });

  it("a span the application starts with the OpenTelemetry API inside a handler is a child of the call's server span", async () => {
    const { span } = await tracer.traced('Echo', (md) => unary(client, 'echo', { text: 'own-span' }, md));
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 4);
    const own = spans.find((s) => s.name === 'db.query');
    expect(own?.parentSpanId).toBe(spansOf(spans, 'leaf', SERVER).spanId);
  });

  it('a server fault (INTERNAL) marks every span an error and records the exception on the span, not on the wire', async () => {
    const { result, span } = await tracer.traced('Fail', (md) => unary(client, 'fail', { text: 'boom' }, md));
    expect((result as { code?: number; details?: string }).code).toBe(13);
    expect((result as { details?: string }).details).not.toContain('exploded');
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const leafServer = spansOf(spans, 'leaf', SERVER);
    for (const s of [spansOf(spans, 'relay', SERVER), spansOf(spans, 'relay', CLIENT), leafServer]) {
      expect(s.status.code).toBe(ERROR);
      expect(s.attributes['rpc.grpc.status_code']).toBe(13);
    }
    const exception = leafServer.events.find((e) => e.name === 'exception');
    expect(exception?.attributes['exception.message']).toBe('leaf exploded (an internal detail)');
    expect(String(exception?.attributes['exception.stacktrace'])).toContain('app.module.mjs');
  });

  it('a call grpc-js retried shows krpc.retried with the attempts before the one that answered', async () => {
    const { result, span } = await tracer.traced('Fail', (md) => unary(client, 'fail', { text: `flaky:${Date.now()}` }, md));
    expect(result).toEqual({ text: 'recovered', n: 2 });
    // the leaf's two attempts, the relay's two spans
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 4);
    const relayClient = spansOf(spans, 'relay', CLIENT);
    expect(relayClient.events.find((e) => e.name === 'krpc.retried')?.attributes['rpc.grpc.previous_attempts']).toBe(1);
    expect(relayClient.attributes['rpc.grpc.status_code']).toBe(0);
    const leafAttempts = spans.filter((s) => s.resource['service.name'] === 'leaf');
    expect(leafAttempts.map((s) => s.attributes['rpc.grpc.status_code']).sort()).toEqual([0, 14]);
    for (const attempt of leafAttempts) expect(attempt.parentSpanId).toBe(relayClient.spanId);
  });

  it('an outgoing call that takes the incoming deadline shows a krpc.deadline_clamped event on its client span', async () => {
    // the relay's client timeout is 20 s; the caller's deadline of 3 s is earlier and wins
    const { span } = await tracer.traced('Echo', (md) => unary(client, 'echo', { text: 'x' }, md, 3000));
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    const event = spansOf(spans, 'relay', CLIENT).events.find((e) => e.name === 'krpc.deadline_clamped');
    expect(event).toBeDefined();
    expect(Number(event?.attributes['krpc.deadline_remaining_ms'])).toBeLessThanOrEqual(3000);
    expect(spansOf(spans, 'relay', SERVER).events.map((e) => e.name)).not.toContain('krpc.deadline_clamped');
  });

  it('a call shed by the in-flight limit has a server span with a krpc.shed event and RESOURCE_EXHAUSTED', async () => {
    // an app of its own that allows one call in flight: a long Wait holds it, the next call is shed
    const limited = await startApp(FIXTURE, { ...otlpEnv(receiver.httpUrl, 'http/protobuf', 'limited'), KRPC_MAX_IN_FLIGHT: '1' });
    const limitedClient = grpcClient(PROTO, 'test.calls.Calls', limited.port);
    try {
      const holding = tracer.traced('Wait', (md) => unary(limitedClient, 'wait', { n: 1500 }, md));
      await limited.proc.waitForLog(/^waiting 1500$/);
      const { result, span } = await tracer.traced('Echo', (md) => unary(limitedClient, 'echo', { text: 'shed me' }, md));
      expect((result as { code?: number }).code).toBe(8);
      const [server] = await receiver.waitForTrace(span.spanContext().traceId, 1);
      expect(server?.kind).toBe(SERVER);
      expect(server?.events.map((e) => e.name)).toContain('krpc.shed');
      expect(server?.attributes['rpc.grpc.status_code']).toBe(8);
      await holding;
    } finally {
      limitedClient.close();
      await limited.proc.stop();
    }
  });

  it('a call whose deadline passes shows krpc.deadline_exceeded on the server span that was aborted, and DEADLINE_EXCEEDED on every span', async () => {
    const { result, span } = await tracer.traced('Wait', (md) => unary(client, 'wait', { n: 20_002 }, md, 1000));
    expect((result as { code?: number }).code).toBe(4);
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    // the leaf's handler ends only when the expired call is aborted; the relay's may end first through
    // its downstream call failing at the same deadline, and then its span has the status but no event
    expect(spansOf(spans, 'leaf', SERVER).events.map((e) => e.name)).toContain('krpc.deadline_exceeded');
    for (const s of [spansOf(spans, 'relay', SERVER), spansOf(spans, 'relay', CLIENT), spansOf(spans, 'leaf', SERVER)]) {
      expect(s.attributes['rpc.grpc.status_code']).toBe(4);
      expect(s.status.code).toBe(ERROR);
    }
  });

  it('a call its caller cancels shows krpc.cancelled on the server spans and the relay client span', async () => {
    const { span } = await tracer.traced('Wait', (md) => {
      return new Promise((resolve) => {
        const call = (
          client as unknown as Record<string, (r: object, m: unknown, cb: (e: Error | null) => void) => { cancel(): void }>
        ).wait({ n: 20_000 }, md, (error) => resolve(error));
        // cancel once the leaf serves the call
        void leaf?.proc.waitForLog(/^waiting 20000$/).then(() => call.cancel());
      });
    });
    const spans = await receiver.waitForTrace(span.spanContext().traceId, 3);
    expect(spansOf(spans, 'relay', SERVER).events.map((e) => e.name)).toContain('krpc.cancelled');
    expect(spansOf(spans, 'relay', CLIENT).events.find((e) => e.name === 'krpc.cancelled')?.attributes['krpc.cancelled_by']).toBe(
      'incoming_call',
    );
    expect(spansOf(spans, 'leaf', SERVER).events.map((e) => e.name)).toContain('krpc.cancelled');
  });

  it('a call still running when the drain times out shows krpc.drain_aborted, and the app flushes its spans before it exits', async () => {
    const draining = await startApp(FIXTURE, {
      ...otlpEnv(receiver.httpUrl, 'http/protobuf', 'draining'),
      // batches far apart: only the flush at exit can deliver the span in time
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      KRPC_DRAIN_DELAY_MS: '0',
      KRPC_SHUTDOWN_TIMEOUT_MS: '300',
    });
    const drainingClient = grpcClient(PROTO, 'test.calls.Calls', draining.port);
    try {
      const pending = tracer.traced('Wait', (md) => unary(drainingClient, 'wait', { n: 20_001 }, md));
      await draining.proc.waitForLog(/^waiting 20001$/);
      draining.proc.kill('SIGTERM');
      const { result, span } = await pending;
      expect((result as { code?: number }).code).toBe(14);
      expect(await draining.proc.exited).toBe(0);
      const [server] = await receiver.waitForTrace(span.spanContext().traceId, 1);
      expect(server?.events.map((e) => e.name)).toContain('krpc.drain_aborted');
      expect(server?.attributes['rpc.grpc.status_code']).toBe(14);
      expect(server?.status.code).toBe(ERROR);
    } finally {
      drainingClient.close();
      await draining.proc.stop();
    }
  });
});

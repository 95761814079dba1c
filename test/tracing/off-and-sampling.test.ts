import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, spawnKrpc, spawnNode } from '../support/krpc-process.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { grpcClient, otlpEnv, startApp, testTracer, unary } from './support/traced-apps.js';

const PROTO = 'samples/greeter/proto/helloworld.proto';
const RECORD_LOADS = join(import.meta.dirname, 'support/record-loads.mjs');

interface Loads {
  esm: string[];
  cjs: string[];
  parents: Record<string, string | undefined>;
}

/** The package name of a node_modules path or URL. */
const packageOf = (path: string) => /node_modules\/(@opentelemetry\/[^/]+)/.exec(path)?.[1];

describe('tracing off (the default) and sampling', () => {
  let receiver: OtlpReceiver;
  const tracer = testTracer();

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await tracer.shutdown();
  });

  it.each([
    ['metrics off', { KRPC_METRICS: 'false' }],
    ['the defaults (metrics on)', {}],
  ])(
    'with %s: a traced call is served, nothing is exported, and nothing of @opentelemetry is loaded but the API prom-client requires',
    async (_, extra) => {
      const loads = join(mkdtempSync(join(tmpdir(), 'krpc-loads-')), 'loads.json');
      // an endpoint is configured but no exporter: still off
      const proc = spawnNode(['--import', RECORD_LOADS, BIN, 'start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'], {
        KRPC_RUNTIME_PORT: '0',
        KRPC_TEST_LOADS_FILE: loads,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
        ...extra,
      });
      const line = await proc.waitForLog(/listening/, 60_000);
      const client = grpcClient(PROTO, 'helloworld.Greeter', Number(line.port));
      const { result } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'off' }, md));
      client.close();
      expect(result).toEqual({ message: 'Hello off' });
      proc.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      const { esm, cjs, parents } = JSON.parse(readFileSync(loads, 'utf8')) as Loads;
      // no ES module of @opentelemetry at all: nothing of the framework's tracing, no SDK, no exporter
      expect(esm.filter((url) => url.includes('@opentelemetry'))).toEqual([]);
      // prom-client 15 requires the no-op API (CommonJS) unconditionally from lib/metrics/processCpuTotal.js, metrics on or off
      expect([...new Set(cjs.map(packageOf).filter(Boolean))]).toEqual(['@opentelemetry/api']);
      const entry = Object.keys(parents).find((f) => f.endsWith('@opentelemetry/api/build/src/index.js')) ?? '';
      expect(parents[entry]).toMatch(/prom-client\/lib\/metrics\/processCpuTotal\.js$/);
      expect(proc.lines.some((l) => 'trace_id' in l)).toBe(false);
      expect(receiver.requests).toBe(0);
    },
    90_000,
  );

  it('always_off in the relay records nothing there and still propagates the trace: the greeter’s span joins the caller’s trace', async () => {
    const greeter = await startApp('samples/greeter', {
      ...otlpEnv(receiver.httpUrl, 'http/protobuf', 'greeter'),
      OTEL_TRACES_SAMPLER: 'always_on',
    });
    const relay = await startApp('samples/relay', {
      ...otlpEnv(receiver.grpcUrl, 'grpc', 'relay-unsampled'),
      OTEL_TRACES_SAMPLER: 'always_off',
      KRPC_TARGET_HELLOWORLD_GREETER: `127.0.0.1:${greeter.port}`,
    });
    const client = grpcClient(PROTO, 'helloworld.Greeter', relay.port);
    try {
      const { result, span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'unsampled' }, md));
      expect(result).toEqual({ message: 'relayed: Hello unsampled' });
      const [greeterServer] = await receiver.waitForTrace(span.spanContext().traceId, 1);
      expect(greeterServer?.resource['service.name']).toBe('greeter');
      // its parent is the relay's (unrecorded) client span, not the caller's span: the relay's hop is in the context
      expect(greeterServer?.parentSpanId).not.toBe(span.spanContext().spanId);
      expect(greeterServer?.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      client.close();
      relay.proc.kill('SIGTERM');
      await relay.proc.exited;
      await greeter.proc.stop();
    }
    expect(receiver.spans.filter((s) => s.resource['service.name'] === 'relay-unsampled')).toEqual([]);
  }, 120_000);
});

describe('bad tracing configuration fails at boot, naming the variable', () => {
  it.each([
    [
      { OTEL_TRACES_EXPORTER: 'zipkin' },
      /KRPC_TRACING_INVALID: Unknown trace exporter "zipkin" in environment variable OTEL_TRACES_EXPORTER/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      /Invalid OTLP endpoint "collector:4318" in environment variable OTEL_EXPORTER_OTLP_ENDPOINT/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      /Unknown OTLP protocol "http\/json" in environment variable OTEL_EXPORTER_OTLP_PROTOCOL/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      /Invalid sampler argument "2" in environment variable OTEL_TRACES_SAMPLER_ARG/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'parentbased_always' },
      /Unknown sampler "parentbased_always" in environment variable OTEL_TRACES_SAMPLER/,
    ],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_PROPAGATORS: 'b3' }, /Unknown propagator "b3" in environment variable OTEL_PROPAGATORS/],
    [{ KRPC_TRACING: '{"enabld":true}' }, /Unknown key "enabld" in the tracing section[\s\S]*did you mean "enabled"/],
  ])('%o', async (env, message) => {
    const proc = spawnKrpc(['start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'], { KRPC_RUNTIME_PORT: '0', ...env });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toMatch(message);
    expect(proc.stdout).not.toMatch(/listening/);
  });
});

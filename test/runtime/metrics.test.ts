import type { ClientDuplexStream, ClientReadableStream, ClientWritableStream } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/index.js';
import { Runtime, type RuntimeOptions } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { bootCallsApp, Gate } from './support/calls-app.js';
import { callsClient, unary } from './support/grpc-clients.js';
import { parseExposition, series } from './support/prom-text.js';

const SERVICE = 'test.calls.Calls';
const m = (kind: string, method: string) => ({ grpc_type: kind, grpc_service: SERVICE, grpc_method: method });

describe('runtime metrics over /metrics after known calls', () => {
  let runtime: Runtime;
  let app: RpcApplication;
  let client: ReturnType<typeof callsClient>;
  let scrape: () => Promise<Map<string, number>>;

  beforeAll(async () => {
    const booted = await bootCallsApp({ eventLoopWindowMs: 100 });
    ({ runtime, app } = booted);
    const { port, httpPort } = booted;
    runtime.markReady();
    client = callsClient(port);
    scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return parseExposition(await res.text());
    };
  });
  afterAll(async () => {
    client?.close();
    await app?.close({ timeoutMs: 100 });
    await runtime?.close();
  });

  it('counts started, handled per code, latency, messages and the custom metric', async () => {
    for (let i = 0; i < 3; i++) expect((await unary(client, 'echo', { text: 'x' })).code).toBe(0);
    for (let i = 0; i < 2; i++) expect((await unary(client, 'fail', {})).code).toBe(5);
    await new Promise<void>((resolve, reject) => {
      const stream = (client.count as (r: object) => ClientReadableStream<unknown>).call(client, { n: 4 });
      stream.on('data', () => {});
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      const stream = (client.sum as (cb: (e: Error | null) => void) => ClientWritableStream<object>).call(client, (e) =>
        e ? reject(e) : resolve(),
      );
      for (let i = 1; i <= 5; i++) stream.write({ n: i });
      stream.end();
    });
    await new Promise<void>((resolve, reject) => {
      const stream = (client.chat as () => ClientDuplexStream<object, unknown>).call(client);
      stream.on('data', () => {});
      stream.on('end', resolve);
      stream.on('error', reject);
      for (let i = 0; i < 2; i++) stream.write({ n: i });
      stream.end();
    });

    const v = await scrape();
    expect(v.get(series('grpc_server_started_total', m('unary', 'Echo')))).toBe(3);
    expect(v.get(series('grpc_server_handled_total', { ...m('unary', 'Echo'), grpc_code: 'OK' }))).toBe(3);
    expect(v.get(series('grpc_server_handled_total', { ...m('unary', 'Fail'), grpc_code: 'NOT_FOUND' }))).toBe(2);
    expect(v.get(series('grpc_server_handled_total', { ...m('unary', 'Fail'), grpc_code: 'OK' }))).toBe(0);
    expect(v.get(series('grpc_server_handling_seconds_count', m('unary', 'Echo')))).toBe(3);
    expect(v.get(series('grpc_server_handling_seconds_bucket', { ...m('unary', 'Echo'), le: '+Inf' }))).toBe(3);
    expect(v.get(series('grpc_server_handling_seconds_count', m('unary', 'Fail')))).toBe(2);
    expect(v.get(series('grpc_server_msg_received_total', m('unary', 'Echo')))).toBe(3);
    expect(v.get(series('grpc_server_msg_sent_total', m('unary', 'Echo')))).toBe(3);
    expect(v.get(series('grpc_server_msg_sent_total', m('server_stream', 'Count')))).toBe(4);
    expect(v.get(series('grpc_server_msg_received_total', m('client_stream', 'Sum')))).toBe(5);
    expect(v.get(series('grpc_server_msg_received_total', m('bidi_stream', 'Chat')))).toBe(2);
    expect(v.get(series('grpc_server_msg_sent_total', m('bidi_stream', 'Chat')))).toBe(2);
    expect(v.get(series('grpc_server_handled_total', { ...m('bidi_stream', 'Chat'), grpc_code: 'OK' }))).toBe(1);
    expect(v.get(series('calls_echo_total'))).toBe(3);
    expect(v.get(series('krpc_server_shed_total', m('unary', 'Echo')))).toBe(0);
    const elu = v.get(series('krpc_event_loop_utilization')) as number;
    expect(elu).toBeGreaterThanOrEqual(0);
    expect(elu).toBeLessThanOrEqual(1);
    expect(v.has(series('process_cpu_user_seconds_total'))).toBe(true);
    expect(v.has(series('nodejs_eventloop_lag_seconds'))).toBe(true);
  });

  it('reports in-flight calls while they are held open', async () => {
    const gate = app.container.get(Gate);
    const held = [unary(client, 'wait', {}), unary(client, 'wait', {})];
    await waitFor(() => gate.waiting === 2, { what: 'two held calls', timeoutMs: 10_000 });
    expect((await scrape()).get(series('krpc_server_in_flight_requests'))).toBe(2);
    expect(runtime.limiter.current).toBe(2);
    gate.releaseAll();
    expect((await Promise.all(held)).map((r) => r.code)).toEqual([0, 0]);
    const after = await scrape();
    expect(after.get(series('krpc_server_in_flight_requests'))).toBe(0);
    expect(after.get(series('grpc_server_handled_total', { ...m('unary', 'Wait'), grpc_code: 'OK' }))).toBe(2);
  });
});

describe("prom-client's default metrics (process_*, nodejs_*), kept off the start-up path", () => {
  const cpu = 'process_cpu_user_seconds_total';
  /** A runtime on its own registry (closed after `use`); with HTTP on unless `options` turn it off. */
  async function withRuntime(options: RuntimeOptions, use: (runtime: Runtime, registry: Registry) => Promise<void>): Promise<void> {
    const registry = new Registry();
    const runtime = new Runtime({ registry, host: '127.0.0.1', port: 0, env: {}, logger: silentLogger(), ...options });
    try {
      await use(runtime, registry);
    } finally {
      await runtime.close();
    }
  }
  const scrape = async (runtime: Runtime): Promise<Response> => fetch(`http://127.0.0.1:${(await runtime.listen())?.port}/metrics`);

  it('are not registered while starting, and are turned on shortly after markReady without any scrape', () =>
    withRuntime({ http: false }, async (runtime, registry) => {
      expect(registry.getSingleMetric(cpu)).toBeUndefined();
      runtime.markReady();
      await waitFor(() => registry.getSingleMetric(cpu) !== undefined, { what: 'the default metrics after markReady', timeoutMs: 10_000 });
      expect(registry.getSingleMetric('nodejs_eventloop_lag_seconds')).toBeDefined();
    }));

  it('are turned on by a scrape that comes before readiness', () =>
    withRuntime({}, async (runtime) => {
      expect(parseExposition(await (await scrape(runtime)).text()).has(series(cpu))).toBe(true);
      expect(runtime.phase).toBe('starting');
    }));

  it('do not break /metrics when the app already uses one of their names', () =>
    withRuntime({}, async (runtime) => {
      runtime.metrics.gauge({ name: 'nodejs_eventloop_lag_seconds', help: 'the app’s own' });
      const res = await scrape(runtime);
      expect(res.status).toBe(200);
      expect(parseExposition(await res.text()).has(series('nodejs_eventloop_lag_seconds'))).toBe(true);
    }));
});

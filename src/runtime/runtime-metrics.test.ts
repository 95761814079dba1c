import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/index.js';
import { Runtime } from './runtime.js';

const METHOD = ['grpc_type', 'grpc_service', 'grpc_method'];
const SERVER_HANDLING = 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.';
const CLIENT_HANDLING = 'Histogram of response latency (seconds) of the gRPC until it is finished by the application.';
/** Every family the runtime registers, as go-grpc-prometheus (and dashboards built on it) name them. */
const FAMILIES = [
  ['grpc_server_started_total', 'counter', 'Total number of RPCs started on the server.', METHOD],
  [
    'grpc_server_handled_total',
    'counter',
    'Total number of RPCs completed on the server, regardless of success or failure.',
    [...METHOD, 'grpc_code'],
  ],
  ['grpc_server_handling_seconds', 'histogram', SERVER_HANDLING, [...METHOD, 'le']],
  ['grpc_server_msg_received_total', 'counter', 'Total number of RPC stream messages received on the server.', METHOD],
  ['grpc_server_msg_sent_total', 'counter', 'Total number of gRPC stream messages sent by the server.', METHOD],
  [
    'krpc_server_shed_total',
    'counter',
    'Total number of RPCs refused with RESOURCE_EXHAUSTED because the server was overloaded (event loop late, or over its in-flight limit).',
    METHOD,
  ],
  ['krpc_server_in_flight_requests', 'gauge', 'Number of RPCs in progress on the server (all methods).', []],
  ['grpc_client_started_total', 'counter', 'Total number of RPCs started on the client.', METHOD],
  [
    'grpc_client_handled_total',
    'counter',
    'Total number of RPCs completed by the client, regardless of success or failure.',
    [...METHOD, 'grpc_code'],
  ],
  ['grpc_client_handling_seconds', 'histogram', CLIENT_HANDLING, [...METHOD, 'le']],
  ['grpc_client_msg_received_total', 'counter', 'Total number of RPC stream messages received by the client.', METHOD],
  ['grpc_client_msg_sent_total', 'counter', 'Total number of gRPC stream messages sent by the client.', METHOD],
  ['krpc_event_loop_utilization', 'gauge', 'Share of time the event loop was busy (0..1) over the last 1000 ms.', []],
] as const;

const info = {
  service: 'helloworld.Greeter',
  rpcName: 'SayHello',
  path: '/helloworld.Greeter/SayHello',
  kind: 'unary',
  className: 'GreeterService',
  propertyKey: 'sayHello',
} as const;
const labels = 'grpc_type="unary",grpc_service="helloworld.Greeter",grpc_method="SayHello"';
const runtimeOn = (registry: Registry) => new Runtime({ registry, env: {}, http: false, logger: silentLogger() });
/** `name{labels} value` lines of the exposition, keyed by everything before the value. */
const values = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)]),
  );

describe('the runtime metrics', () => {
  it('are the go-grpc-prometheus families (names, types, help, labels), every series of a bound method at zero', async () => {
    const registry = new Registry();
    const runtime = runtimeOn(registry);
    runtime.observers[0]?.forMethod(info);
    runtime.clientObservers[0]?.forMethod(info);
    const text = await registry.metrics();
    for (const [name, type, help, labelNames] of FAMILIES) {
      expect(text).toContain(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
      const series = text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) || l.startsWith(`${name}_bucket{`));
      const names = new Set(series.flatMap((l) => [...l.matchAll(/(\w+)="/g)].map((m) => m[1])));
      expect([...names].sort(), name).toEqual([...labelNames].sort());
    }
    const v = values(text);
    for (const side of ['server', 'client']) {
      const codes = [...v.keys()].filter((k) => k.startsWith(`grpc_${side}_handled_total{`));
      expect(codes).toHaveLength(17);
      for (const key of codes) expect(v.get(key)).toBe('0');
      expect(v.get(`grpc_${side}_started_total{${labels}}`)).toBe('0');
      expect(v.get(`grpc_${side}_handling_seconds_count{${labels}}`)).toBe('0');
      const buckets = [...v.keys()]
        .filter((k) => k.startsWith(`grpc_${side}_handling_seconds_bucket{`))
        .map((k) => /le="([^"]+)"/.exec(k)?.[1]);
      expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']);
    }
    expect(v.get(`krpc_server_shed_total{${labels}}`)).toBe('0');
    await runtime.close();
  });

  it('count a call once however often they are scraped', async () => {
    const registry = new Registry();
    const runtime = runtimeOn(registry);
    const observer = runtime.observers[0]?.forMethod(info);
    observer?.start();
    observer?.received();
    observer?.sent();
    observer?.end(5, performance.now() - 30);
    await registry.metrics();
    const v = values(await registry.metrics());
    expect(v.get(`grpc_server_started_total{${labels}}`)).toBe('1');
    expect(v.get(`grpc_server_handled_total{${labels},grpc_code="NOT_FOUND"}`)).toBe('1');
    expect(v.get(`grpc_server_handled_total{${labels},grpc_code="OK"}`)).toBe('0');
    expect(v.get(`grpc_server_msg_received_total{${labels}}`)).toBe('1');
    expect(v.get(`grpc_server_handling_seconds_count{${labels}}`)).toBe('1');
    expect(v.get(`grpc_server_handling_seconds_bucket{le="0.025",${labels}}`)).toBe('0');
    expect(v.get(`grpc_server_handling_seconds_bucket{le="0.05",${labels}}`)).toBe('1');
    await runtime.close();
  });

  it('are shared, not re-registered, by a second runtime on the same registry', async () => {
    const registry = new Registry();
    const first = runtimeOn(registry);
    const second = runtimeOn(registry);
    const a = first.observers[0]?.forMethod(info);
    a?.start();
    a?.end(0, performance.now());
    const b = second.observers[0]?.forMethod(info);
    b?.start();
    b?.end(0, performance.now());
    second.limiter.tryAcquire();
    const v = values(await registry.metrics());
    expect(v.get(`grpc_server_handled_total{${labels},grpc_code="OK"}`)).toBe('2');
    expect(v.get(`grpc_server_handling_seconds_count{${labels}}`)).toBe('2');
    // the in-flight gauge reads the runtime created last
    expect(v.get('krpc_server_in_flight_requests')).toBe('1');
    expect(second.metrics.counter({ name: 'app_total', help: 'App.' })).toBe(first.metrics.counter({ name: 'app_total', help: 'App.' }));
    expect(first.metrics.counter({ name: 'app_total', help: 'App.' })).toBeInstanceOf(Counter);
    expect(() => first.metrics.gauge({ name: 'app_total', help: 'App.' })).toThrow(/already registered with another type/);
    await first.close();
    await second.close();
  });
});

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ClientMetrics } from './client-metrics.js';
import { PreboundHistogram } from './prebound-histogram.js';
import { PreboundScalar, registerOnce } from './prebound-metric.js';

describe('pre-bound metrics', () => {
  it('expose counters and cumulative histogram buckets in the text format', async () => {
    const registry = new Registry();
    const counter = registerOnce(registry, new PreboundScalar('x_total', 'X.', 'counter', ['a']));
    counter.child('1').value += 2;
    const histogram = registerOnce(registry, new PreboundHistogram('x_seconds', 'X.', ['a'], [0.1, 1]));
    const cell = histogram.child('1');
    for (const v of [0.05, 0.1, 0.5, 3]) cell.observe(v);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE x_total counter\nx_total{a="1"} 2');
    expect(text).toContain('x_seconds_bucket{a="1",le="0.1"} 2');
    expect(text).toContain('x_seconds_bucket{a="1",le="1"} 3');
    expect(text).toContain('x_seconds_bucket{a="1",le="+Inf"} 4');
    expect(text).toContain('x_seconds_sum{a="1"} 3.65');
    expect(text).toContain('x_seconds_count{a="1"} 4');
    await registry.resetMetrics();
    expect(await registry.metrics()).toContain('x_total{a="1"} 0');
  });

  it('registering one name twice returns the first metric', () => {
    const registry = new Registry();
    const first = registerOnce(registry, new PreboundScalar('y_total', 'Y.', 'counter'));
    expect(registerOnce(registry, new PreboundScalar('y_total', 'Y.', 'counter'))).toBe(first);
    expect(() => registerOnce(registry, new PreboundScalar('y_total', 'Y.', 'gauge'))).toThrow(/another type/);
  });

  it('counts client calls as grpc_client_* with the status name', async () => {
    const registry = new Registry();
    const metrics = new ClientMetrics({ registry });
    const observer = metrics.forMethod({
      service: 'helloworld.Greeter',
      rpcName: 'SayHello',
      path: '/helloworld.Greeter/SayHello',
      kind: 'unary',
    });
    for (const code of [0, 0, 14]) {
      observer.start();
      observer.sent();
      if (code === 0) observer.received();
      observer.end(code, performance.now());
    }
    const text = await registry.metrics();
    const labels = 'grpc_type="unary",grpc_service="helloworld.Greeter",grpc_method="SayHello"';
    expect(text).toContain(`grpc_client_started_total{${labels}} 3`);
    expect(text).toContain(`grpc_client_handled_total{${labels},grpc_code="OK"} 2`);
    expect(text).toContain(`grpc_client_handled_total{${labels},grpc_code="UNAVAILABLE"} 1`);
    expect(text).toContain(`grpc_client_msg_sent_total{${labels}} 3`);
    expect(text).toContain(`grpc_client_msg_received_total{${labels}} 2`);
    expect(text).toContain(`grpc_client_handling_seconds_count{${labels}} 3`);
  });
});

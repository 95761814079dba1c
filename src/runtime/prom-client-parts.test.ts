import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as PromClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ensureDefaultMetrics, PROM_DEFAULT_METRICS_AFTER_CPU } from './default-metrics.js';
import { promGlobalRegistry, promMetricClasses, promRegistry } from './prom-client-parts.js';

const require = createRequire(import.meta.url);

describe('prom-client parts', () => {
  it('loads the very classes and global registry that prom-client exports (fails if an upgrade moves their files)', () => {
    expect(promRegistry()).toBe(PromClient.Registry);
    expect(promGlobalRegistry()).toBe(PromClient.register);
    expect(promMetricClasses()).toEqual({ Counter: PromClient.Counter, Gauge: PromClient.Gauge, Histogram: PromClient.Histogram });
    expect(new (promRegistry())()).toBeInstanceOf(PromClient.Registry);
  });
});

describe('the default metrics', () => {
  const shape = async (registry: PromClient.Registry) =>
    (await registry.getMetricsAsJSON()).map(({ name, help, type, aggregator }) => ({ name, help, type, aggregator }));

  it("are prom-client's modules in prom-client's order (fails if an upgrade adds, drops or moves one)", () => {
    const { metricsList } = require('prom-client/lib/defaultMetrics.js') as { metricsList: string[] };
    expect(['processCpuTotal', ...PROM_DEFAULT_METRICS_AFTER_CPU]).toEqual(metricsList);
  });

  it('register the metrics collectDefaultMetrics registers: the same names, help, types and order', async () => {
    const ours = new PromClient.Registry();
    const theirs = new PromClient.Registry();
    ensureDefaultMetrics(ours);
    PromClient.collectDefaultMetrics({ register: theirs });
    expect(await shape(ours)).toEqual(await shape(theirs));
    expect((await shape(ours)).length).toBeGreaterThan(20);
  });

  it('count CPU time: user + system = total, growing with work', async () => {
    const registry = new PromClient.Registry();
    ensureDefaultMetrics(registry);
    const read = async () => {
      const values = Object.fromEntries(
        (await registry.getMetricsAsJSON()).filter((m) => m.name.startsWith('process_cpu_')).map((m) => [m.name, m.values[0]?.value ?? 0]),
      );
      return values as Record<'process_cpu_user_seconds_total' | 'process_cpu_system_seconds_total' | 'process_cpu_seconds_total', number>;
    };
    const before = await read();
    const until = process.cpuUsage().user + 50_000;
    while (process.cpuUsage().user < until) JSON.stringify({ spin: Math.random() });
    const after = await read();
    expect(after.process_cpu_user_seconds_total - before.process_cpu_user_seconds_total).toBeGreaterThanOrEqual(0.05);
    expect(after.process_cpu_seconds_total).toBeCloseTo(after.process_cpu_user_seconds_total + after.process_cpu_system_seconds_total, 6);
  });

  it("load neither prom-client's index nor @opentelemetry/api (a child process on the built package scrapes /metrics)", async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { Runtime } from ${JSON.stringify(join(resolve('.'), 'dist', 'src', 'runtime', 'index.js'))};
      const require = createRequire(import.meta.url);
      const runtime = new Runtime({ host: '127.0.0.1', port: 0, env: {} });
      const { port } = await runtime.listen();
      const text = await (await fetch('http://127.0.0.1:' + port + '/metrics')).text();
      await runtime.close();
      const loaded = Object.keys(require.cache).filter((f) => /@opentelemetry|prom-client[\\\\/](index|lib[\\\\/](pushgateway|cluster|summary|defaultMetrics))\\.js$/.test(f));
      console.log(JSON.stringify({ cpu: /^process_cpu_seconds_total \\d/m.test(text), lag: /^nodejs_eventloop_lag_seconds /m.test(text), loaded }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 30_000,
      env: { ...process.env, KRPC_LOG_LEVEL: 'silent' },
    });
    expect(JSON.parse(stdout)).toEqual({ cpu: true, lag: true, loaded: [] });
  });
});

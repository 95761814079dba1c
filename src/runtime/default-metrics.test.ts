import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ensureDefaultMetrics } from './default-metrics.js';

describe('ensureDefaultMetrics', () => {
  it("registers prom-client's default metrics once per registry", async () => {
    const registry = new Registry();
    ensureDefaultMetrics(registry);
    ensureDefaultMetrics(registry);
    const text = await registry.metrics();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('leaves a registry alone on which the app already called collectDefaultMetrics', () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    expect(() => ensureDefaultMetrics(registry)).not.toThrow();
  });
});

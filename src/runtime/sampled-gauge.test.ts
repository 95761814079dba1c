import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { sampledGauge } from './sampled-gauge.js';

describe('sampledGauge', () => {
  it('is a prom-client Gauge read at every scrape; a second call on the registry repoints it', async () => {
    const registry = new Registry();
    let depth = 2;
    const gauge = sampledGauge(registry, 'queue_depth', 'Jobs waiting.', () => depth);
    expect(gauge).toBeInstanceOf(Gauge);
    expect(await registry.metrics()).toContain('# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth 2\n');
    depth = 5;
    expect(await registry.metrics()).toContain('queue_depth 5\n');
    expect(sampledGauge(registry, 'queue_depth', 'Jobs waiting.', () => 7)).toBe(gauge);
    expect(await registry.metrics()).toContain('queue_depth 7\n');
  });

  it('refuses a name another metric holds', () => {
    const registry = new Registry();
    new Gauge({ name: 'theirs', help: 'Theirs.', registers: [registry] });
    expect(() => sampledGauge(registry, 'theirs', 'Ours.', () => 1)).toThrow(/already registered by someone else/);
  });
});

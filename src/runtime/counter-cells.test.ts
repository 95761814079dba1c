import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterCells } from './counter-cells.js';

const line = (text: string, series: string) => text.split('\n').find((l) => l.startsWith(`${series} `));

describe('CounterCells', () => {
  it('exports each cell exactly through a prom-client Counter, a bound series at zero from the start', async () => {
    const registry = new Registry();
    const jobs = new CounterCells(registry, 'jobs_total', 'Jobs.', ['queue']);
    const fast = jobs.bind({ queue: 'fast' });
    jobs.bind({ queue: 'slow' });
    expect(registry.getSingleMetric('jobs_total')).toBeInstanceOf(Counter);
    let text = await registry.metrics();
    expect(text).toContain('# HELP jobs_total Jobs.\n# TYPE jobs_total counter\n');
    expect(line(text, 'jobs_total{queue="fast"}')).toBe('jobs_total{queue="fast"} 0');
    expect(line(text, 'jobs_total{queue="slow"}')).toBe('jobs_total{queue="slow"} 0');
    fast.value += 3;
    expect(line(await registry.metrics(), 'jobs_total{queue="fast"}')).toBe('jobs_total{queue="fast"} 3');
    fast.value++;
    text = await registry.metrics();
    expect(line(text, 'jobs_total{queue="fast"}')).toBe('jobs_total{queue="fast"} 4');
    expect(line(text, 'jobs_total{queue="slow"}')).toBe('jobs_total{queue="slow"} 0');
  });

  it('a second instance for the name shares the counter and the cells', async () => {
    const registry = new Registry();
    const first = new CounterCells(registry, 'jobs_total', 'Jobs.', ['queue']);
    const second = new CounterCells(registry, 'jobs_total', 'Jobs.', ['queue']);
    expect(second.counter).toBe(first.counter);
    const cell = first.bind({ queue: 'a' });
    expect(second.bind({ queue: 'a' })).toBe(cell);
    cell.value++;
    second.bind({ queue: 'b' }).value += 2;
    const text = await registry.metrics();
    expect(line(text, 'jobs_total{queue="a"}')).toBe('jobs_total{queue="a"} 1');
    expect(line(text, 'jobs_total{queue="b"}')).toBe('jobs_total{queue="b"} 2');
  });

  it('counts from zero again after a registry reset, its series still there', async () => {
    const registry = new Registry();
    const cell = new CounterCells(registry, 'jobs_total', 'Jobs.', ['queue']).bind({ queue: 'a' });
    cell.value += 2;
    await registry.metrics();
    registry.resetMetrics();
    expect(line(await registry.metrics(), 'jobs_total{queue="a"}')).toBe('jobs_total{queue="a"} 0');
    cell.value++;
    expect(line(await registry.metrics(), 'jobs_total{queue="a"}')).toBe('jobs_total{queue="a"} 1');
  });

  it('refuses a name another metric holds', () => {
    const registry = new Registry();
    new Counter({ name: 'theirs_total', help: 'Theirs.', registers: [registry] });
    expect(() => new CounterCells(registry, 'theirs_total', 'Ours.', [])).toThrow(/already registered by someone else/);
  });
});

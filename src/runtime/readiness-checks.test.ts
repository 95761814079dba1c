import { describe, expect, it } from 'vitest';
import { ReadinessChecks } from './readiness-checks.js';

describe('ReadinessChecks', () => {
  it('passes when every check passes and names the failed ones', async () => {
    const checks = new ReadinessChecks();
    checks.add('ok', () => true);
    checks.add('false', () => false, { cacheMs: 0 });
    checks.add('throws', async () => {
      throw new Error('down');
    });
    const report = await checks.run();
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok, c.error])).toEqual([
      ['ok', true, undefined],
      ['false', false, 'check returned false'],
      ['throws', false, 'down'],
    ]);
  });

  it('fails a check at its timeout and aborts its signal', async () => {
    const checks = new ReadinessChecks();
    let aborted: AbortSignal | undefined;
    checks.add(
      'hangs',
      (signal) => {
        aborted = signal;
        return new Promise(() => {});
      },
      { timeoutMs: 20 },
    );
    const report = await checks.run();
    expect(report.checks[0]).toMatchObject({ name: 'hangs', ok: false, error: 'timed out after 20 ms' });
    expect(aborted?.aborted).toBe(true);
  });

  it('runs a check once for a storm of concurrent probes and serves the cache afterwards', async () => {
    const checks = new ReadinessChecks();
    let runs = 0;
    checks.add(
      'db',
      async () => {
        runs++;
        await new Promise((r) => setImmediate(r));
      },
      { cacheMs: 60_000 },
    );
    const reports = await Promise.all(Array.from({ length: 50 }, () => checks.run()));
    expect(reports.every((r) => r.ok)).toBe(true);
    expect(runs).toBe(1);
    await checks.run();
    expect(runs).toBe(1);
  });

  it('re-runs a check once its cache expired', async () => {
    const checks = new ReadinessChecks();
    let runs = 0;
    checks.add(
      'db',
      () => {
        runs++;
      },
      { cacheMs: 0 },
    );
    await checks.run();
    await checks.run();
    expect(runs).toBe(2);
  });

  it('rejects a duplicate name and removes checks', () => {
    const checks = new ReadinessChecks();
    checks.add('a', () => true);
    expect(() => checks.add('a', () => true)).toThrow(/already registered/);
    expect(checks.remove('a')).toBe(true);
    expect(checks.names).toEqual([]);
  });
});

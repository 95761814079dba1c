import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/fault-cluster/wait.mjs';
import { OverloadShedder } from './overload-shedder.js';

/** Keeps the event loop busy for `ms`, the way a flood's turn does. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};

describe('OverloadShedder', () => {
  it('admits everything while the loop keeps up, and when off', () => {
    const off = new OverloadShedder({ maxLagMs: 0 });
    expect(off.enabled).toBe(false);
    busy(30);
    expect(off.admit()).toBe(true);
    const on = new OverloadShedder({ maxLagMs: 50 });
    busy(80);
    expect(on.shedRatio).toBe(0);
    expect(on.admit()).toBe(true);
    on.stop();
  });

  it('refuses a growing, capped share once the loop is late, and stops once it keeps up', async () => {
    const shedder = new OverloadShedder({ maxLagMs: 5, maxShedRatio: 0.3, step: 0.1, sustainMs: 50 }, 5);
    try {
      await waitFor(
        () => {
          busy(20);
          return shedder.shedRatio >= 0.3;
        },
        { what: 'the shed ratio at its cap', timeoutMs: 10_000, intervalMs: 1 },
      );
      expect(shedder.shedRatio).toBeCloseTo(0.3);
      const admitted = Array.from({ length: 2000 }, () => shedder.admit()).filter(Boolean).length;
      expect(admitted).toBeGreaterThan(1200);
      expect(admitted).toBeLessThan(1600);
      const pushback = shedder.pushbackMs();
      expect(pushback).toBeGreaterThan(0);
      expect(pushback).toBeLessThanOrEqual(2000);
      await waitFor(() => shedder.shedRatio === 0, { what: 'the shed ratio back to 0', timeoutMs: 10_000 });
      expect(shedder.admit()).toBe(true);
    } finally {
      shedder.stop();
    }
  });
});

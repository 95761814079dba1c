import { experimental, Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { LeastRequestConfig } from './least-request-config.js';
import { LeastRequestPicker, type WeightedChild } from './least-request-picker.js';

const args: experimental.PickArgs = { metadata: new Metadata(), extraPickInfo: {} };

function child(name: string, inFlight = 0): WeightedChild & { name: string } {
  const subchannel = { name } as unknown as experimental.PickResult['subchannel'];
  return {
    name,
    counter: { inFlight },
    picker: {
      pick: () => ({
        pickResultType: experimental.PickResultType.COMPLETE,
        subchannel,
        status: null,
        onCallStarted: null,
        onCallEnded: null,
      }),
    },
  };
}

describe('LeastRequestPicker', () => {
  it('sends the call to the less loaded of the sampled endpoints', () => {
    const idle = child('idle', 0);
    const busy = child('busy', 5);
    const samples = [0.9, 0.9, 0.1]; // busy, busy again (redrawn: samples are distinct), then idle
    const third = child('third', 9);
    const picker = new LeastRequestPicker([idle, busy, third, child('fourth', 9)], 2, () => samples.shift() ?? 0);
    expect(picker.choose()).toBe(idle);
    const next = [0.5, 0.5, 0.1];
    expect(new LeastRequestPicker([third, busy, idle], 2, () => next.shift() ?? 0).choose()).toBe(busy);
    expect(new LeastRequestPicker([busy, idle], 5, () => 0).choose()).toBe(idle);
  });

  it('counts calls in flight through onCallStarted / onCallEnded', () => {
    const only = child('only');
    const picker = new LeastRequestPicker([only], 2);
    const results = [picker.pick(args), picker.pick(args)];
    for (const r of results) r.onCallStarted?.();
    expect(only.counter.inFlight).toBe(2);
    results[0]?.onCallEnded?.(status.OK, '', new Metadata());
    expect(only.counter.inFlight).toBe(1);
  });

  it('shifts load away from a slow endpoint', () => {
    const children = [child('a'), child('b'), child('slow')];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const picker = new LeastRequestPicker(children, 2, random);
    const counts = new Map<string, number>();
    const open: experimental.PickResult[] = [];
    for (let i = 0; i < 3000; i++) {
      const result = picker.pick(args);
      result.onCallStarted?.();
      const name = (result.subchannel as unknown as { name: string }).name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (name === 'slow') open.push(result);
      else result.onCallEnded?.(status.OK, '', new Metadata());
      if (open.length > 20) open.shift()?.onCallEnded?.(status.OK, '', new Metadata());
    }
    // Two distinct samples always include a fast endpoint with fewer calls in flight; round_robin gives it 1,000.
    expect(counts.get('slow') ?? 0).toBeLessThan(30);
  });

  it('passes non-complete picks through untouched', () => {
    const queue: WeightedChild = {
      counter: { inFlight: 0 },
      picker: {
        pick: () => ({
          pickResultType: experimental.PickResultType.QUEUE,
          subchannel: null,
          status: null,
          onCallStarted: null,
          onCallEnded: null,
        }),
      },
    };
    expect(new LeastRequestPicker([queue], 2).pick(args).onCallStarted).toBeNull();
  });
});

describe('LeastRequestConfig', () => {
  it('parses choiceCount, clamped to 2..10', () => {
    expect(LeastRequestConfig.createFromJson({}).choiceCount).toBe(2);
    expect(LeastRequestConfig.createFromJson({ choiceCount: 50 }).choiceCount).toBe(10);
    expect(LeastRequestConfig.createFromJson({ choiceCount: 1 }).choiceCount).toBe(2);
    expect(() => LeastRequestConfig.createFromJson({ choiceCount: 'x' })).toThrow(/choiceCount/);
    expect(new LeastRequestConfig(3).toJsonObject()).toEqual({
      least_request: { choiceCount: 3, slowStart: { windowMs: 10_000, minWeightPercent: 10 } },
    });
  });

  it('parses slowStart and refuses values out of range with the key named', () => {
    expect(LeastRequestConfig.createFromJson({}).slowStart).toEqual({ windowMs: 10_000, minWeight: 0.1 });
    expect(LeastRequestConfig.createFromJson({ slowStart: { windowMs: 0 } }).slowStart.windowMs).toBe(0);
    expect(LeastRequestConfig.createFromJson({ slowStart: { windowMs: 3000, minWeightPercent: 25 } }).slowStart).toEqual({
      windowMs: 3000,
      minWeight: 0.25,
    });
    expect(() => LeastRequestConfig.createFromJson({ slowStart: { windowMs: -1 } })).toThrow(/slowStart.windowMs/);
    expect(() => LeastRequestConfig.createFromJson({ slowStart: { minWeightPercent: 0 } })).toThrow(/minWeightPercent/);
    expect(() => LeastRequestConfig.createFromJson({ slowStart: { window: 5 } })).toThrow(/no key "window"/);
    expect(() => LeastRequestConfig.createFromJson({ slowStart: 5 })).toThrow(/slowStart must be an object/);
  });
});

describe('LeastRequestPicker slow start', () => {
  /** Share of 4,000 picks that the returning endpoint gets at `at` ms after it came back, the others holding `load` calls. */
  function shareAt(at: number, load: number): number {
    const returning = { ...child('returning'), returnedAt: 0 };
    const children = [child('a', load), child('b', load), returning];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const picker = new LeastRequestPicker(children, 2, random, { windowMs: 10_000, minWeight: 0.1 }, () => at);
    let picked = 0;
    for (let i = 0; i < 4000; i++) if (picker.choose() === returning) picked++;
    return picked / 4000;
  }

  it('ramps an endpoint that came back from a tenth of a share to a full one over the window', () => {
    // Both others have 3 calls in flight: (3 + 1) / 1 = 4 against (0 + 1) / weight.
    expect(shareAt(0, 3)).toBe(0); // weight 0.1: score 10 loses to 4
    expect(shareAt(2000, 3)).toBe(0); // weight 0.2: score 5 still loses
    expect(shareAt(5000, 3)).toBeGreaterThan(0.6); // weight 0.5: score 2 wins whenever it is drawn (2 in 3)
    // Without slow start (or after the window) an idle endpoint wins whenever it is sampled.
    expect(shareAt(10_000, 3)).toBeCloseTo(2 / 3, 1);
  });

  it('treats endpoints without a return time as full weight, and ends the ramp by the clock', () => {
    let now = 0;
    const returning = { ...child('returning'), returnedAt: 0 };
    const busy = child('busy', 2);
    const picker = new LeastRequestPicker(
      [busy, returning],
      2,
      () => 0,
      { windowMs: 1000, minWeight: 0.1 },
      () => now,
    );
    expect(picker.choose()).toBe(busy); // 3 / 1 against 1 / 0.1
    now = 1000;
    expect(picker.choose()).toBe(returning); // the window is over: 1 against 3
  });
});

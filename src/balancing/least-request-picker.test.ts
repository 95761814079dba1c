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
    expect(new LeastRequestConfig(3).toJsonObject()).toEqual({ least_request: { choiceCount: 3 } });
  });
});

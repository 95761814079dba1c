import { describe, expect, it } from 'vitest';
import { type BackendAddress, mergeEndpointSlices } from './endpoint-slice.js';
import { preferZone } from './zone-preference.js';

const at = (host: string, zone?: string, forZones?: string[]): BackendAddress => ({
  host,
  port: 50051,
  ...(zone ? { zone } : {}),
  ...(forZones ? { forZones } : {}),
});
const hosts = (addresses: readonly BackendAddress[]) => addresses.map((a) => a.host);
const threeZones = [
  at('10.0.0.1', 'a'),
  at('10.0.0.2', 'a'),
  at('10.0.1.1', 'b'),
  at('10.0.1.2', 'b'),
  at('10.0.2.1', 'c'),
  at('10.0.2.2', 'c'),
];

describe('preferZone', () => {
  it('keeps calls in the own zone when every zone has its share', () => {
    expect(preferZone(threeZones, 'b')).toEqual({ addresses: [threeZones[2], threeZones[3]], mode: 'same-zone' });
  });

  it('spills over to every zone when the own zone has no ready endpoint', () => {
    const choice = preferZone(threeZones.slice(2), 'a');
    expect(choice.mode).toBe('all');
    expect(hosts(choice.addresses)).toHaveLength(4);
    expect(choice.reason).toMatch(/zone a has no ready endpoints/);
  });

  it('spills over when the own zone holds too few endpoints for its share (1 of 5 in 3 zones)', () => {
    const addresses = [threeZones[0] as BackendAddress, ...threeZones.slice(2)];
    expect(preferZone(addresses, 'a').mode).toBe('all');
    // 2 of 6 is exactly its share; 2 of 7 is within the 20% threshold
    expect(preferZone([...threeZones, at('10.0.2.3', 'c')], 'a').mode).toBe('same-zone');
  });

  it('follows hints when every endpoint has them, over zones', () => {
    const hinted = [at('10.0.0.1', 'a', ['a']), at('10.0.1.1', 'b', ['b', 'a']), at('10.0.2.1', 'c', ['c'])];
    expect(preferZone(hinted, 'a')).toEqual({ addresses: [hinted[0], hinted[1]], mode: 'hints' });
    // one endpoint without hints: the hints are ignored (as kube-proxy does) and zones decide
    expect(preferZone([...hinted, at('10.0.0.2', 'a')], 'a').mode).toBe('same-zone');
    // hints for other zones only: everything
    expect(preferZone(hinted, 'd').mode).toBe('all');
  });

  it('uses every endpoint when the endpoints carry no zone', () => {
    expect(preferZone([at('10.0.0.1'), at('10.0.0.2')], 'a')).toMatchObject({ mode: 'all', reason: 'the endpoints carry no zone' });
  });
});

describe('mergeEndpointSlices with zones', () => {
  it('keeps each endpoint zone and hints', () => {
    const merged = mergeEndpointSlices(
      [
        {
          ports: [{ name: 'grpc', port: 50051 }],
          endpoints: [
            { addresses: ['10.0.0.1'], zone: 'a', hints: { forZones: [{ name: 'a' }, { name: 'b' }] } },
            { addresses: ['10.0.0.2'], zone: 'b' },
            { addresses: ['10.0.0.3'] },
          ],
        },
      ],
      'grpc',
    );
    expect(merged).toEqual([
      { host: '10.0.0.1', port: 50051, zone: 'a', forZones: ['a', 'b'] },
      { host: '10.0.0.2', port: 50051, zone: 'b' },
      { host: '10.0.0.3', port: 50051 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { type EndpointSliceLike, mergeEndpointSlices, slicePort, toGrpcEndpoints } from './endpoint-slice.js';

const slice = (name: string, ports: EndpointSliceLike['ports'], endpoints: EndpointSliceLike['endpoints']): EndpointSliceLike => ({
  metadata: { name },
  addressType: 'IPv4',
  ports,
  endpoints,
});
const grpcPort = (port: number) => [
  { name: 'metrics', port: 9464, protocol: 'TCP' },
  { name: 'grpc', port, protocol: 'TCP' },
];

describe('mergeEndpointSlices', () => {
  it('keeps the endpoints of every slice, not just the last one seen', () => {
    const merged = mergeEndpointSlices(
      [
        slice('a', grpcPort(50051), [{ addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.1'] }]),
        slice('b', grpcPort(50051), [{ addresses: ['10.0.0.3'] }]),
      ],
      'grpc',
    );
    expect(merged).toEqual([
      { host: '10.0.0.1', port: 50051 },
      { host: '10.0.0.2', port: 50051 },
      { host: '10.0.0.3', port: 50051 },
    ]);
  });

  it('de-duplicates an endpoint that two slices list (as during a slice rebalance)', () => {
    const merged = mergeEndpointSlices(
      [slice('a', grpcPort(1), [{ addresses: ['10.0.0.1'] }]), slice('b', grpcPort(1), [{ addresses: ['10.0.0.1'] }])],
      'grpc',
    );
    expect(merged).toEqual([{ host: '10.0.0.1', port: 1 }]);
  });

  it('uses endpoints whose ready is not false, and drops terminating ones', () => {
    const merged = mergeEndpointSlices(
      [
        slice('a', grpcPort(1), [
          { addresses: ['10.0.0.1'], conditions: { ready: true } },
          { addresses: ['10.0.0.2'], conditions: {} },
          { addresses: ['10.0.0.3'] },
          { addresses: ['10.0.0.4'], conditions: { ready: false, serving: true } },
          { addresses: ['10.0.0.5'], conditions: { ready: null } },
          { addresses: ['10.0.0.6'], conditions: { ready: true, terminating: true } },
          { addresses: [] },
        ]),
      ],
      'grpc',
    );
    expect(merged.map((a) => a.host)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.5']);
  });

  it('resolves a port name per slice, so slices of different target ports mix (rolling update)', () => {
    const merged = mergeEndpointSlices(
      [
        slice('old', grpcPort(8080), [{ addresses: ['10.0.0.1'] }]),
        slice('new', grpcPort(9090), [{ addresses: ['10.0.0.2'] }]),
        slice('nameless', null, [{ addresses: ['10.0.0.3'] }]),
      ],
      'grpc',
    );
    expect(merged).toEqual([
      { host: '10.0.0.1', port: 8080 },
      { host: '10.0.0.2', port: 9090 },
    ]);
  });

  it('takes a numeric port as the pods’ port, whatever the slice lists', () => {
    expect(slicePort(slice('a', grpcPort(1), []), 7000)).toBe(7000);
    expect(slicePort(slice('a', [{ name: 'grpc', port: 5, protocol: 'UDP' }], []), 'grpc')).toBeUndefined();
    expect(mergeEndpointSlices([slice('a', null, [{ addresses: ['10.0.0.1'] }])], 7000)).toEqual([{ host: '10.0.0.1', port: 7000 }]);
  });

  it('handles IPv6 and empty slices, and maps to grpc-js endpoints', () => {
    const merged = mergeEndpointSlices([slice('v6', grpcPort(1), [{ addresses: ['fd00::1'] }]), slice('empty', grpcPort(1), null)], 'grpc');
    expect(toGrpcEndpoints(merged)).toEqual([{ addresses: [{ host: 'fd00::1', port: 1 }] }]);
    expect(mergeEndpointSlices([], 'grpc')).toEqual([]);
  });
});

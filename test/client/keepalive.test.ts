import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { defaultKeepalive, keepaliveChannelOptions } from '../../src/client/keepalive.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { type CallsService, DownstreamModule, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

describe('keepalive', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: new Probe() }] });
  });
  afterAll(() => t.close());

  it('is fast only for kubernetes:/// targets by default, and never pings idle connections', () => {
    expect(defaultKeepalive('kubernetes:///greeter.shop:50051')).toBe('fast');
    expect(defaultKeepalive('dns:///greeter:50051')).toBe('compatible');
    expect(keepaliveChannelOptions('fast')).toEqual({
      'grpc.keepalive_time_ms': 500,
      'grpc.keepalive_timeout_ms': 1000,
      'grpc.keepalive_permit_without_calls': 0,
    });
    expect(keepaliveChannelOptions('compatible')['grpc.keepalive_time_ms']).toBe(300_000);
  });

  // grpc-go and grpc-java would close this connection (too_many_pings) after three pings with no data.
  it('the framework server accepts pings far faster than the fast preset on a quiet call', async () => {
    const layer = standaloneLayer(t.app.protos, {
      services: { 'test.calls.Calls': { target: t.target, keepalive: { timeMs: 50, timeoutMs: 1000 } } },
    });
    try {
      const calls = layer.get<Client<CallsService>>('test.calls.Calls');
      expect((await calls.wait({ text: 'quiet', n: 1500 })).text).toBe('waited');
      expect((await calls.echo({ text: 'after', n: 1 })).text).toContain('after');
    } finally {
      layer.close();
    }
  });
});

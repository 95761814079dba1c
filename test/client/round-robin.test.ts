import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLeastRequestBalancer } from '../../src/balancing/index.js';
import type { Client } from '../../src/client/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { type CallsService, DownstreamModule, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

describe('round_robin is the default for multi-address targets', () => {
  const servers: { app: TestApp; probe: Probe }[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const probe = new Probe();
      servers.push({ probe, app: await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] }) });
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.app.close();
  });

  it('spreads 300 calls over an ipv4: list of 3 servers', async () => {
    const target = `ipv4:${servers.map((s) => s.app.target).join(',')}`;
    const layer = standaloneLayer((servers[0] as { app: TestApp }).app.app.protos, { services: { 'test.calls.Calls': { target } } });
    try {
      const calls = layer.get<Client<CallsService>>('test.calls.Calls');
      // warm up until every subchannel is connected (bounded)
      for (let i = 0; i < 300 && servers.some((s) => s.probe.seen.length === 0); i++) await calls.echo({ text: 'warm' });
      for (const s of servers) s.probe.seen.length = 0;
      for (let i = 0; i < 300; i++) await calls.echo({ text: 'x', n: i });
      const counts = servers.map((s) => s.probe.seen.length);
      console.info(`round_robin over 3 servers, 300 calls: ${counts.join(' / ')}`);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
      for (const count of counts) expect(count).toBeGreaterThanOrEqual(90);
    } finally {
      layer.close();
    }
  });

  it('passes a registered loadBalancing policy through (least_request)', async () => {
    registerLeastRequestBalancer();
    const target = `ipv4:${servers.map((s) => s.app.target).join(',')}`;
    const layer = standaloneLayer((servers[0] as { app: TestApp }).app.app.protos, {
      services: { 'test.calls.Calls': { target, loadBalancing: 'least_request' } },
    });
    try {
      const calls = layer.get<Client<CallsService>>('test.calls.Calls');
      for (const s of servers) s.probe.seen.length = 0;
      for (let i = 0; i < 300 && servers.some((s) => s.probe.seen.length === 0); i++) await calls.echo({ text: 'warm' });
      for (const s of servers) s.probe.seen.length = 0;
      for (let i = 0; i < 90; i++) await calls.echo({ text: 'x', n: i });
      const counts = servers.map((s) => s.probe.seen.length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(90);
      for (const count of counts) expect(count).toBeGreaterThan(0);
    } finally {
      layer.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLeastRequestBalancer } from '../../src/balancing/index.js';
import type { Client } from '../../src/client/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { type CallsService, DownstreamModule, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

describe('calls spread over a multi-address target', () => {
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

  /** Sends 300 sequential calls through a client of `target` with `options`; the calls each server got. */
  const spread = async (options: Record<string, unknown>): Promise<number[]> => {
    const target = `ipv4:${servers.map((s) => s.app.target).join(',')}`;
    const layer = standaloneLayer((servers[0] as { app: TestApp }).app.app.protos, {
      services: { 'test.calls.Calls': { target, ...options } },
    });
    try {
      const calls = layer.get<Client<CallsService>>('test.calls.Calls');
      // warm up until every subchannel is connected (bounded)
      for (let i = 0; i < 300 && servers.some((s) => s.probe.seen.length === 0); i++) await calls.echo({ text: 'warm' });
      for (const s of servers) s.probe.seen.length = 0;
      for (let i = 0; i < 300; i++) await calls.echo({ text: 'x', n: i });
      const counts = servers.map((s) => s.probe.seen.length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
      return counts;
    } finally {
      layer.close();
    }
  };

  it('round_robin takes them in turn: 300 calls over an ipv4: list of 3 servers, ~100 each', async () => {
    const counts = await spread({ loadBalancing: 'round_robin' });
    console.info(`round_robin over 3 servers, 300 calls: ${counts.join(' / ')}`);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(90);
  });

  it('the default (least_request under outlier detection) spreads them too: one call at a time, a random pick among equals', async () => {
    const counts = await spread({});
    console.info(`the default over 3 servers, 300 calls: ${counts.join(' / ')}`);
    // binomial(300, 1/3): 60 is about 5 standard deviations below the mean
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(60);
  });

  it('passes a registered loadBalancing policy through: least_request sends less to a slow server', async () => {
    registerLeastRequestBalancer();
    const slow = new Probe();
    const slowServer = await createTestApp(DownstreamModule, {
      overrides: [{ provide: PROBE, useValue: slow }],
      interceptors: [
        async (_ctx, next) => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return next();
        },
      ],
    });
    const fast = servers.slice(0, 2);
    const target = `ipv4:${[...fast.map((s) => s.app.target), slowServer.target].join(',')}`;
    const share = async (loadBalancing: string) => {
      const layer = standaloneLayer(slowServer.app.protos, { services: { 'test.calls.Calls': { target, loadBalancing } } });
      try {
        const calls = layer.get<Client<CallsService>>('test.calls.Calls');
        for (let i = 0; i < 300 && [slow, ...fast.map((s) => s.probe)].some((p) => p.seen.length === 0); i++)
          await calls.echo({ text: 'warm' });
        for (const p of [slow, ...fast.map((s) => s.probe)]) p.seen.length = 0;
        // 16 callers in closed loops: a server's share of calls then follows its speed only if the picker looks at load
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            for (let i = 0; i < 20; i++) await calls.echo({ text: 'x', n: i });
          }),
        );
        const total = slow.seen.length + fast.reduce((n, s) => n + s.probe.seen.length, 0);
        expect(total).toBe(320);
        return slow.seen.length / total;
      } finally {
        layer.close();
      }
    };
    try {
      const roundRobin = await share('round_robin');
      const leastRequest = await share('least_request');
      console.info(`slow server's share of calls: round_robin ${roundRobin.toFixed(2)}, least_request ${leastRequest.toFixed(2)}`);
      expect(roundRobin).toBeGreaterThan(0.25);
      expect(leastRequest).toBeLessThan(roundRobin / 2);
    } finally {
      await slowServer.close();
    }
  });
});

import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client/index.js';
import { Injectable, InjectClient } from '../../src/decorators/index.js';
import { type RpcError, Status } from '../../src/errors/index.js';
import { type Interceptor, type RpcContext } from '../../src/server/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { CallsService, DownstreamModule, ForwardingService, PROBE, Probe, upstreamModule } from './support/calls-fixture.js';

describe('propagation from the call being served to the calls it makes', () => {
  let downstream: TestApp;
  let upstream: TestApp;
  const probe = new Probe();

  /** A server interceptor that itself calls downstream (its scope is the incoming call's). */
  @Injectable()
  class AuditInterceptor implements Interceptor {
    constructor(@InjectClient('test.calls.Calls') private readonly downstream: Client<CallsService>) {}
    async intercept(ctx: RpcContext, next: () => Promise<unknown>): Promise<unknown> {
      if (ctx.header('x-audit') === 'yes') await this.downstream.echo({ text: 'audit' });
      return next();
    }
  }

  beforeAll(async () => {
    downstream = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] });
    upstream = await createTestApp(upstreamModule(downstream.target), { interceptors: [AuditInterceptor] });
  });
  afterAll(async () => {
    await upstream.close();
    await downstream.close();
  });

  it('the downstream sees a deadline no later than the caller’s, across awaits', async () => {
    const calls = upstream.client(ForwardingService);
    probe.seen.length = 0;
    const sentAt = Date.now();
    const callerDeadline = sentAt + 1500;
    await calls.echo({ text: 'x' }, { deadline: callerDeadline });
    const tookMs = Date.now() - sentAt;
    const seen = probe.seen.find((s) => s.method === 'Echo');
    expect(seen?.hasDeadline).toBe(true);
    expect(seen?.remainingMs).toBeGreaterThan(0);
    // grpc-timeout is relative, so each hop's transit moves the deadline later by at most the time the whole call took
    expect(seen?.deadline).toBeLessThanOrEqual(callerDeadline + tookMs + 1);
    expect(seen?.deadline).toBeGreaterThanOrEqual(callerDeadline - 1);
  });

  it('without an incoming deadline the client default applies (30 s)', async () => {
    const calls = upstream.client(ForwardingService);
    probe.seen.length = 0;
    await calls.echo({ text: 'x' }, { timeoutMs: 600_000 });
    const seen = probe.seen.find((s) => s.method === 'Echo');
    expect(seen?.remainingMs).toBeLessThanOrEqual(30_000);
    expect(seen?.remainingMs).toBeGreaterThan(25_000);
  });

  it('the incoming deadline passing ends the downstream call too', async () => {
    const calls = upstream.client(ForwardingService);
    const error = (await calls.wait({ n: 0 }, { timeoutMs: 300 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    await expect
      .poll(() => probe.aborted.includes(`Wait:${Status.DEADLINE_EXCEEDED}`) || probe.aborted.includes(`Wait:${Status.CANCELLED}`), {
        timeout: 5000,
      })
      .toBe(true);
  });

  it('cancelling the upstream call aborts the downstream handler’s signal', async () => {
    const calls = upstream.client(ForwardingService);
    const controller = new AbortController();
    probe.aborted.length = 0;
    const started = probe.started();
    const pending = calls.wait({ n: 0 }, { signal: controller.signal, timeoutMs: 20_000 });
    await started;
    controller.abort();
    expect(((await pending.catch((e: unknown) => e)) as RpcError).code).toBe(Status.CANCELLED);
    await expect.poll(() => probe.aborted, { timeout: 5000 }).toContain(`Wait:${Status.CANCELLED}`);
  });

  it('cancellation propagates into streams relayed by an async generator', async () => {
    const calls = upstream.client(ForwardingService);
    probe.aborted.length = 0;
    const started = probe.started();
    for await (const m of calls.count({ text: 'hang', n: 1 }, { timeoutMs: 20_000 })) {
      expect(m.n).toBe(1);
      await started;
      break;
    }
    await expect.poll(() => probe.aborted, { timeout: 5000 }).toContain('Count');
  });

  it('forwards x-request-id and traceparent, and nothing else', async () => {
    const calls = upstream.client(ForwardingService);
    probe.seen.length = 0;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await calls.echo({ text: 'x' }, { metadata: { 'x-request-id': 'req-42', traceparent, 'x-private': 'secret' } });
    const headers = probe.seen.find((s) => s.method === 'Echo')?.headers ?? {};
    expect(headers['x-request-id']).toBe('req-42');
    expect(headers.traceparent).toBe(traceparent);
    expect(headers['x-private']).toBeUndefined();
  });

  it('propagate: false opts a call out (no deadline inherited, no headers forwarded)', async () => {
    const calls = upstream.client(ForwardingService);
    probe.seen.length = 0;
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-43');
    // ForwardingService.fail calls downstream echo with { propagate: false, timeoutMs: 5000 }
    await calls.fail({ text: 'x' }, { metadata, timeoutMs: 200 });
    const seen = probe.seen.find((s) => s.method === 'Echo');
    expect(seen?.headers['x-request-id']).toBeUndefined();
    expect(seen?.remainingMs).toBeGreaterThan(1000);
  });

  it('calls made in a server interceptor propagate too', async () => {
    const calls = upstream.client(ForwardingService);
    probe.seen.length = 0;
    await calls.echo({ text: 'x' }, { timeoutMs: 2000, metadata: { 'x-audit': 'yes', 'x-request-id': 'req-44' } });
    const audit = probe.seen[0];
    expect(probe.seen.map((s) => s.method)).toEqual(['Echo', 'Echo']);
    expect(audit?.headers['x-request-id']).toBe('req-44');
    expect(audit?.remainingMs).toBeLessThanOrEqual(2000);
  });
});

describe('direct calls outside a handler', () => {
  it('carry only their own options', async () => {
    const probe = new Probe();
    const t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] });
    try {
      await t.client(CallsService).echo({ text: 'x' }, { deadline: Date.now() + 4000 });
      expect(probe.seen[0]?.remainingMs).toBeLessThanOrEqual(4000);
      expect(probe.seen[0]?.remainingMs).toBeGreaterThan(2000);
    } finally {
      await t.close();
    }
  });
});

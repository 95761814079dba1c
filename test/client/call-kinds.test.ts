import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError, Status } from '../../src/errors/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { CallsService, DownstreamModule, type Msg, PROBE, Probe } from './support/calls-fixture.js';

describe('proxies: every call kind against a real server', () => {
  let t: TestApp;
  const probe = new Probe();
  beforeAll(async () => {
    t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] });
  });
  afterAll(() => t.close());

  it('unary resolves with the response', async () => {
    const calls = t.client<CallsService>('test.calls.Calls');
    expect(await calls.echo({ text: 'hi', n: 7 })).toEqual({ text: 'hi', n: 7 });
  });

  it('unary .withMeta() exposes response headers and trailers', async () => {
    const calls = t.client(CallsService);
    const reply = await calls.echo.withMeta({ text: 'meta' });
    expect(reply.message.text).toBe('meta');
    expect(reply.headers.get('x-header')).toEqual(['h1']);
    expect(reply.trailers.get('x-trailer')).toEqual(['t1']);
  });

  it('server streaming yields every message, with headers and trailers', async () => {
    const calls = t.client(CallsService);
    const stream = calls.count({ n: 4 });
    const got: number[] = [];
    for await (const m of stream) got.push(m.n);
    expect(got).toEqual([1, 2, 3, 4]);
    expect(await stream.trailers).toBeInstanceOf(Metadata);
    expect(await stream.headers).toBeInstanceOf(Metadata);
  });

  it('client streaming takes an array or an async generator', async () => {
    const calls = t.client(CallsService);
    expect(
      await calls.sum([
        { n: 1, text: 'a' },
        { n: 2, text: 'b' },
      ]),
    ).toEqual({ text: 'ab', n: 3 });
    async function* gen() {
      for (let i = 1; i <= 100; i++) yield { n: i, text: '' };
    }
    const withMeta = await calls.sum.withMeta(gen());
    expect(withMeta.message.n).toBe(5050);
    expect(withMeta.trailers.get('x-count')).toEqual(['done']);
  });

  it('bidi streaming answers each request', async () => {
    const calls = t.client(CallsService);
    async function* reqs() {
      yield { text: 'a', n: 1 };
      yield { text: 'b', n: 2 };
    }
    const replies: Msg[] = [];
    for await (const r of calls.chat(reqs())) replies.push(r);
    expect(replies).toEqual([
      { text: 're:a', n: 2 },
      { text: 're:b', n: 4 },
    ]);
  });

  it('errors reject with RpcError carrying code, message, details and trailers', async () => {
    const calls = t.client(CallsService);
    const error = await calls.fail({ text: 'fly' }).catch((e: unknown) => e);
    expect(RpcError.is(error)).toBe(true);
    const rpc = error as RpcError;
    expect(rpc.code).toBe(Status.FAILED_PRECONDITION);
    expect(rpc.rawMessage).toBe('cannot fly');
    expect(rpc.details).toHaveLength(1);
    expect(rpc.details[0]?.typeUrl).toBe('type.googleapis.com/google.rpc.ErrorInfo');
    expect(Buffer.from(rpc.details[0]?.value ?? []).toString()).toBe('reason-bytes');
    expect(rpc.metadata.get('x-why')).toEqual(['because']);
  });

  it('a stream that fails after some messages yields them, then throws the RpcError', async () => {
    const calls = t.client(CallsService);
    const got: number[] = [];
    const error = await (async () => {
      for await (const m of calls.count({ text: 'fail-at', n: 5 })) got.push(m.n);
    })().catch((e: unknown) => e);
    expect(got).toEqual([1, 2]);
    expect((error as RpcError).code).toBe(Status.ABORTED);
  });

  it('breaking out of a server stream cancels the call on the server', async () => {
    const calls = t.client(CallsService);
    const started = probe.started();
    const before = probe.aborted.length;
    for await (const m of calls.count({ text: 'hang', n: 1 })) {
      expect(m.n).toBe(1);
      await started;
      break;
    }
    await expect.poll(() => probe.aborted.length, { timeout: 5000 }).toBe(before + 1);
  });

  it('an AbortSignal cancels a unary call with CANCELLED', async () => {
    const calls = t.client(CallsService);
    const controller = new AbortController();
    const started = probe.started();
    const pending = calls.wait({ n: 0 }, { signal: controller.signal });
    await started;
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Status.CANCELLED);
    expect(error.rawMessage).toContain('AbortSignal');
  });

  it('a timeout ends the call with DEADLINE_EXCEEDED naming the target', async () => {
    const calls = t.client(CallsService);
    const error = (await calls.wait({ n: 0 }, { timeoutMs: 100 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(error.message).toContain(t.target);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RpcError, Status } from '../../src/errors/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { type CallsService, DownstreamModule, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

describe('retries follow the service config retryPolicy, only where configured', () => {
  let t: TestApp;
  const probe = new Probe();
  beforeAll(async () => {
    t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] });
  });
  afterAll(() => t.close());

  const callFlaky = async (options: Parameters<typeof standaloneLayer>[1]['services']) => {
    probe.attempts = 0;
    const layer = standaloneLayer(t.app.protos, { services: options });
    try {
      const calls = layer.get<import('../../src/client/index.js').Client<CallsService>>('test.calls.Calls');
      const result = await calls.fail({ text: 'flaky' }).then(
        (r) => r.text,
        (e: RpcError) => e.code,
      );
      return { result, attempts: probe.attempts };
    } finally {
      layer.close();
    }
  };

  it('are off by default', async () => {
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target } })).toEqual({ result: Status.UNAVAILABLE, attempts: 1 });
  });

  it('retry the configured method up to maxAttempts', async () => {
    const retry = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 };
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target, methods: { Fail: { retry } } } })).toEqual({
      result: 'ok',
      attempts: 3,
    });
  });

  it('do not retry other methods, nor codes not listed', async () => {
    const retry = { maxAttempts: 3, initialBackoffMs: 10, retryableCodes: ['RESOURCE_EXHAUSTED'] };
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target, methods: { Fail: { retry } } } })).toEqual({
      result: Status.UNAVAILABLE,
      attempts: 1,
    });
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target, methods: { Echo: { retry: { maxAttempts: 3 } } } } })).toEqual({
      result: Status.UNAVAILABLE,
      attempts: 1,
    });
  });

  it('a per-method retry: false turns off a service-wide policy', async () => {
    const retry = { maxAttempts: 2, initialBackoffMs: 10 };
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target, retry } })).toEqual({ result: Status.UNAVAILABLE, attempts: 2 });
    expect(await callFlaky({ 'test.calls.Calls': { target: t.target, retry, methods: { Fail: { retry: false } } } })).toEqual({
      result: Status.UNAVAILABLE,
      attempts: 1,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientInterceptor, ClientInterceptorInstance, OutgoingCall } from '../../src/client/index.js';
import { RpcError, Status } from '../../src/errors/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { type CallsService, DownstreamModule, type Msg, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

describe('client interceptors', () => {
  let t: TestApp;
  const probe = new Probe();
  beforeAll(async () => {
    t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: probe }] });
  });
  afterAll(() => t.close());

  const order: string[] = [];
  const named =
    (name: string): ClientInterceptor =>
    async (call, next) => {
      order.push(`${name}>${call.method.rpcName}`);
      try {
        return await next();
      } finally {
        order.push(`<${name}`);
      }
    };
  class AddHeader implements ClientInterceptorInstance {
    async intercept(call: OutgoingCall, next: () => Promise<unknown>): Promise<unknown> {
      call.metadata.set('x-from-interceptor', 'yes');
      return next();
    }
  }
  const countMessages: ClientInterceptor = async (call, next) => {
    const result = await next();
    if (call.method.kind !== 'server_stream' && call.method.kind !== 'bidi_stream') return result;
    return (async function* () {
      for await (const m of result as AsyncIterable<Msg>) yield { ...m, text: `${m.text}!` };
    })();
  };

  it('run in onion order for every call kind, may add headers and wrap streams', async () => {
    const layer = standaloneLayer(t.app.protos, {
      interceptors: [named('outer'), AddHeader, countMessages],
      services: { 'test.calls.Calls': { target: t.target, interceptors: [named('inner')] } },
    });
    try {
      const calls = layer.get<Client<CallsService>>('test.calls.Calls');
      probe.seen.length = 0;
      order.length = 0;
      await calls.echo({ text: 'a' });
      expect(order).toEqual(['outer>Echo', 'inner>Echo', '<inner', '<outer']);
      expect(probe.seen[0]?.headers['x-from-interceptor']).toBe('yes');
      const texts: string[] = [];
      for await (const m of calls.count({ n: 2 })) texts.push(m.text);
      expect(texts).toEqual(['#1!', '#2!']);
      expect(await calls.sum([{ n: 2 }, { n: 3 }])).toEqual({ text: '', n: 5 });
      const bidi: string[] = [];
      for await (const m of calls.chat([{ text: 'q' }])) bidi.push(m.text);
      expect(bidi).toEqual(['re:q!']);
      expect(order.filter((o) => o.startsWith('outer>'))).toEqual(['outer>Echo', 'outer>Count', 'outer>Sum', 'outer>Chat']);
    } finally {
      layer.close();
    }
  });

  it('see the deadline and may answer without calling next', async () => {
    let deadline: Date | undefined;
    const cache: ClientInterceptor = async (call, next) => {
      deadline = call.deadline;
      if ((call.request as Msg).text === 'cached') return { text: 'from cache', n: 0 };
      return next();
    };
    const failing: ClientInterceptor = async () => {
      throw new RpcError(Status.PERMISSION_DENIED, 'no');
    };
    const layer = standaloneLayer(t.app.protos, { interceptors: [cache], services: { 'test.calls.Calls': { target: t.target } } });
    const denied = standaloneLayer(t.app.protos, { interceptors: [failing], services: { 'test.calls.Calls': { target: t.target } } });
    try {
      const before = Date.now();
      expect(await layer.get<Client<CallsService>>('test.calls.Calls').echo({ text: 'cached' }, { timeoutMs: 1000 })).toEqual({
        text: 'from cache',
        n: 0,
      });
      expect(deadline?.getTime()).toBeGreaterThanOrEqual(before + 1000);
      expect(deadline?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      const error = (await denied
        .get<Client<CallsService>>('test.calls.Calls')
        .count({ n: 1 })
        [Symbol.asyncIterator]()
        .next()
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code).toBe(Status.PERMISSION_DENIED);
    } finally {
      layer.close();
      denied.close();
    }
  });
});

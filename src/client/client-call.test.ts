import { EventEmitter, getEventListeners } from 'node:events';
import { join } from 'node:path';
import { type Client as GrpcClient, Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { runInCallScope } from '../context/index.js';
import { RpcError, Status } from '../errors/index.js';
import { loadProtos } from '../proto/index.js';
import { DEFAULT_TIMEOUT_MS, prepareCall } from './client-call.js';
import type { ClientInterceptor, OutgoingCall } from './client-interceptor.js';
import type { ClientMethodInfo } from './client-observer.js';
import { createProxy } from './client-proxy.js';

const info: ClientMethodInfo = { service: 'helloworld.Greeter', rpcName: 'SayHello', path: '/helloworld.Greeter/SayHello', kind: 'unary' };
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

function scopeOf(deadline?: Date) {
  const controller = new AbortController();
  const metadata = new Metadata();
  metadata.set('x-request-id', 'r-1');
  metadata.set('x-other', 'no');
  return { controller, scope: { deadline, signal: controller.signal, metadata } };
}

describe('prepared outgoing calls', () => {
  it('send the deadline as a number and show it as a Date that interceptors may replace', () => {
    const before = Date.now();
    const call = prepareCall(info, 't', {}, { timeoutMs: 5000 });
    const sent = call.grpcDeadline() as number;
    expect(sent).toBeGreaterThanOrEqual(before + 5000);
    expect(sent).toBeLessThanOrEqual(Date.now() + 5000);
    expect(call.deadline).toEqual(new Date(sent));
    expect(call.deadline).toBe(call.deadline);
    const later = new Date(sent + 5000);
    call.deadline = later;
    expect(call.grpcDeadline()).toBe(later);
    call.deadline = undefined;
    expect(call.grpcDeadline()).toBe(Number.POSITIVE_INFINITY);
  });

  it('send the default timeout as their deadline when neither the call nor the client gives one, served or not', () => {
    const before = Date.now();
    const call = prepareCall(info, 't', {}, {});
    expect(call.grpcDeadline()).toBeGreaterThanOrEqual(before + DEFAULT_TIMEOUT_MS);
    expect(call.grpcDeadline()).toBeLessThanOrEqual(Date.now() + DEFAULT_TIMEOUT_MS);
    expect(call.deadline).toEqual(new Date(call.grpcDeadline() as number));
    const { scope } = scopeOf();
    const served = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}), undefined);
    expect(served.grpcDeadline()).toBeGreaterThanOrEqual(before + DEFAULT_TIMEOUT_MS);
    const streaming = prepareCall({ ...info, kind: 'server_stream' }, 't', {}, {});
    expect(streaming.grpcDeadline()).toBe(Number.POSITIVE_INFINITY);
  });

  it('take the earliest of their own deadline, their timeout and the incoming one', () => {
    const now = Date.now();
    expect(prepareCall(info, 't', {}, {}, { deadline: now + 1000, timeoutMs: 5000 }).grpcDeadline()).toBe(now + 1000);
    expect(prepareCall(info, 't', {}, {}, { deadline: new Date(now + 9000), timeoutMs: 50 }).grpcDeadline()).toBeLessThan(now + 1000);
    expect(prepareCall(info, 't', {}, { timeoutMs: 100 }).grpcDeadline()).toBeLessThan(now + 1000);
    expect(prepareCall(info, 't', {}, {}, { deadline: Number.NaN }).deadline).toBeUndefined();
    expect(prepareCall(info, 't', {}, { methods: { SayHello: { timeoutMs: 700 } } }).grpcDeadline()).toBeLessThan(now + 1000);
    const streaming = { ...info, kind: 'server_stream' } as const;
    expect(prepareCall(streaming, 't', {}, {}).grpcDeadline()).toBe(Number.POSITIVE_INFINITY);
    const { scope } = scopeOf(new Date(now + 2000));
    const inside = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}, { timeoutMs: 60_000 }), undefined);
    expect(inside.grpcDeadline()).toBe(now + 2000);
    const optedOut = runInCallScope(
      'async',
      scope,
      () => prepareCall(info, 't', {}, {}, { timeoutMs: 60_000, propagate: false }),
      undefined,
    );
    expect(optedOut.grpcDeadline()).toBeGreaterThan(now + 50_000);
  });

  it('carry client defaults, forwarded incoming headers, then their own', () => {
    const { scope } = scopeOf();
    const call = runInCallScope(
      'async',
      scope,
      () => prepareCall(info, 't', {}, { metadata: { 'x-client': 'c', 'x-request-id': 'default' } }, { metadata: { 'x-own': 'o' } }),
      undefined,
    );
    expect(call.metadata.getMap()).toEqual({ 'x-client': 'c', 'x-request-id': 'r-1', 'x-own': 'o' });
    expect(prepareCall(info, 't', {}, {}, { waitForReady: true }).metadata.getOptions().waitForReady).toBe(true);
  });

  it('listen to no signal when nothing can cancel them, and build their own signal only when read', () => {
    const call = prepareCall(info, 't', {}, {});
    expect(call.cancelReason).toBeUndefined();
    expect(call.signal.aborted).toBe(false);
    call.settle();
  });

  it("are cancelled by the caller's signal, first come first served", () => {
    const caller = new AbortController();
    const { controller, scope } = scopeOf();
    const call = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}, { signal: caller.signal }), undefined);
    expect(listeners(caller.signal)).toBe(1);
    expect(listeners(scope.signal)).toBe(1);
    const signal = call.signal;
    let cancelled = 0;
    call.start({ cancel: () => cancelled++, getPeer: () => '' });
    caller.abort('stop');
    controller.abort(new RpcError(Status.DEADLINE_EXCEEDED, 'late'));
    expect(cancelled).toBe(1);
    expect(call.cancelReason?.code).toBe(Status.CANCELLED);
    expect(call.cancelReason?.cause).toBe('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(call.cancelReason);
    call.settle();
    expect(listeners(caller.signal)).toBe(0);
    expect(listeners(scope.signal)).toBe(0);
  });

  it('are cancelled by the incoming call, with its deadline as DEADLINE_EXCEEDED', () => {
    const { controller, scope } = scopeOf();
    const call = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}), undefined);
    controller.abort(new RpcError(Status.DEADLINE_EXCEEDED, 'late'));
    expect(call.cancelReason?.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(call.cancelReason?.message).toContain('the call being served ended: late');
    expect(call.signal.reason).toBe(call.cancelReason);
  });

  it('share one listener on the incoming signal, however many calls follow it', () => {
    const { controller, scope } = scopeOf();
    const calls = Array.from({ length: 50 }, () => runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}), undefined));
    expect(listeners(scope.signal)).toBe(1);
    const done = calls.slice(0, 10);
    let cancelled = 0;
    for (const call of calls) call.start({ cancel: () => cancelled++, getPeer: () => '' });
    for (const call of done) call.settle();
    controller.abort();
    expect(cancelled).toBe(40);
    expect(done.every((call) => call.cancelReason === undefined)).toBe(true);
    expect(calls.slice(10).every((call) => call.cancelReason?.code === Status.CANCELLED)).toBe(true);
    expect(listeners(scope.signal)).toBe(0);
  });

  it('start cancelled when a signal already was, without listening; the caller wins when both were', () => {
    const { controller, scope } = scopeOf();
    controller.abort();
    const caller = AbortSignal.abort('mine');
    const call = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}, { signal: caller }), undefined);
    expect(call.cancelReason?.message).toContain("caller's AbortSignal");
    expect(listeners(scope.signal)).toBe(0);
    const incoming = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}), undefined);
    expect(incoming.cancelReason?.message).toContain('it was aborted');
  });

  it('passed the same signal twice (ctx.signal as the caller signal) count it as the caller', () => {
    const { controller, scope } = scopeOf();
    const call = runInCallScope('async', scope, () => prepareCall(info, 't', {}, {}, { signal: scope.signal }), undefined);
    controller.abort();
    expect(call.cancelReason?.message).toContain("caller's AbortSignal");
    call.settle();
    expect(listeners(scope.signal)).toBe(0);
  });
});

describe('the unary proxy method', () => {
  const root = join(import.meta.dirname, '..', '..');
  const service = loadProtos([join(root, 'samples/greeter/proto/helloworld.proto')], { root }).services.get('helloworld.Greeter');
  if (!service) throw new Error('no greeter proto');

  class FakeCall extends EventEmitter {
    cancelled = 0;
    cancel() {
      this.cancelled++;
    }
  }

  function fakeChannel(answer: 'ok' | 'fail' | 'hang') {
    const calls: { call: FakeCall; metadata: Metadata; options: { deadline?: unknown } }[] = [];
    const client = {
      makeUnaryRequest(
        _p: string,
        _s: unknown,
        _d: unknown,
        _r: unknown,
        metadata: Metadata,
        options: { deadline?: unknown },
        callback: (e: unknown, r?: unknown) => void,
      ) {
        const call = new FakeCall();
        calls.push({ call, metadata, options });
        const end = (code: number, details: string) => {
          const trailers = new Metadata();
          trailers.set('x-trailer', 't');
          if (code === status.OK) callback(null, { message: 'hi' });
          else callback(Object.assign(new Error(details), { code, details, metadata: trailers }));
          call.emit('status', { code, details, metadata: trailers });
        };
        if (answer === 'hang')
          call.cancel = () => {
            call.cancelled++;
            queueMicrotask(() => end(status.CANCELLED, 'Cancelled on client'));
          };
        else
          queueMicrotask(() => {
            const headers = new Metadata();
            headers.set('x-header', 'h');
            call.emit('metadata', headers);
            end(answer === 'ok' ? status.OK : status.NOT_FOUND, 'nope');
          });
        return call;
      },
    };
    return { client: client as unknown as GrpcClient, calls };
  }

  const proxyOf = (channel: GrpcClient, interceptors: ClientInterceptor[] = []) =>
    createProxy({
      settings: { service, target: 'fake:1', targetFrom: 'test', options: {}, interceptors: [] },
      channel,
      interceptors,
      observers: [],
    }) as unknown as {
      sayHello: ((req: unknown, opts?: object) => Promise<{ message: string }>) & {
        withMeta(req: unknown, opts?: object): Promise<{ message: { message: string }; headers: Metadata; trailers: Metadata }>;
      };
    };

  it('sends a numeric deadline, answers, and with .withMeta() keeps headers and trailers', async () => {
    const { client, calls } = fakeChannel('ok');
    const proxy = proxyOf(client);
    expect(await proxy.sayHello({ name: 'a' }, { timeoutMs: 1000 })).toEqual({ message: 'hi' });
    expect(calls[0]?.options.deadline).toBeGreaterThan(Date.now());
    expect(calls[0]?.options.deadline).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await proxy.sayHello({ name: 'a' })).toEqual({ message: 'hi' });
    expect(calls[1]?.options.deadline).toBeGreaterThan(Date.now() + DEFAULT_TIMEOUT_MS - 5000);
    const full = await proxy.sayHello.withMeta({ name: 'a' });
    expect(full.message).toEqual({ message: 'hi' });
    expect(full.headers.get('x-header')).toEqual(['h']);
    expect(full.trailers.get('x-trailer')).toEqual(['t']);
    const error = (await proxyOf(fakeChannel('fail').client)
      .sayHello({}, {})
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Status.NOT_FOUND);
    expect(error.metadata.get('x-trailer')).toEqual(['t']);
  });

  it('rejects an already aborted call without sending it, and a bad header as a rejection', async () => {
    const { client, calls } = fakeChannel('ok');
    const proxy = proxyOf(client);
    const error = (await proxy.sayHello({}, { signal: AbortSignal.abort() }).catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Status.CANCELLED);
    expect(calls).toHaveLength(0);
    await expect(proxy.sayHello({}, { metadata: { 'Bad Header': 'x' } })).rejects.toThrow();
  });

  it('cancels on the wire when the caller aborts, and lets go of the caller signal once settled', async () => {
    for (const interceptors of [[], [(_c: OutgoingCall, next: () => Promise<unknown>) => next()]]) {
      const { client, calls } = fakeChannel('hang');
      const caller = new AbortController();
      const pending = proxyOf(client, interceptors)
        .sayHello({}, { signal: caller.signal })
        .catch((e: unknown) => e);
      expect(listeners(caller.signal)).toBe(1);
      caller.abort();
      const error = (await pending) as RpcError;
      expect(error.code).toBe(Status.CANCELLED);
      expect(error.message).toContain("caller's AbortSignal");
      expect(calls[0]?.call.cancelled).toBe(1);
      expect(listeners(caller.signal)).toBe(0);
    }
  });

  it('gives interceptors a signal that follows the caller and a deadline they may change', async () => {
    const { client, calls } = fakeChannel('hang');
    const seen: AbortSignal[] = [];
    const later = new Date(Date.now() + 123_456);
    const proxy = proxyOf(client, [
      (call, next) => {
        seen.push(call.signal);
        expect(call.deadline).toBeInstanceOf(Date);
        call.deadline = later;
        return next();
      },
    ]);
    const caller = new AbortController();
    const pending = proxy.sayHello({}, { signal: caller.signal }).catch((e: unknown) => e);
    expect(calls[0]?.options.deadline).toBe(later);
    expect(seen[0]?.aborted).toBe(false);
    caller.abort();
    expect(seen[0]?.aborted).toBe(true);
    expect(((await pending) as RpcError).code).toBe(Status.CANCELLED);
  });
});

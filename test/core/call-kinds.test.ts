import { type Client, Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeStatusDetails, RpcError, Status } from '../../src/errors/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { memoryLogger } from '../support/memory-logger.js';
import { rawClient } from '../support/raw-client.js';
import { CallsModule, globalInterceptor, type Msg, seen } from './fixtures.js';

type Callback<T> = (err: ServiceError | null, res: T) => void;
interface CallsClient extends Client {
  echo(req: Partial<Msg>, md: Metadata, opts: object, cb: Callback<Msg>): import('@grpc/grpc-js').ClientUnaryCall;
  fail(req: Partial<Msg>, cb: Callback<Msg>): void;
  wait(req: Partial<Msg>, md: Metadata, opts: object, cb: Callback<Msg>): import('@grpc/grpc-js').ClientUnaryCall;
  count(req: Partial<Msg>, md?: Metadata): import('@grpc/grpc-js').ClientReadableStream<Msg>;
  sum(cb: Callback<Msg>): import('@grpc/grpc-js').ClientWritableStream<Msg>;
  chat(): import('@grpc/grpc-js').ClientDuplexStream<Msg, Msg>;
}

const logger = memoryLogger();
let app: RpcApplication;
let client: CallsClient;

beforeAll(async () => {
  app = await RpcApplication.create(CallsModule, { logger, interceptors: [globalInterceptor], callScope: 'async' });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  client = rawClient(app.protos.packageDefinition, 'test.calls.Calls', port) as unknown as CallsClient;
});
afterAll(async () => {
  client.close();
  await app.close();
});
beforeEach(() => seen.reset());

function statusOf(fn: (cb: Callback<Msg>) => void): Promise<ServiceError> {
  return new Promise((resolve, reject) =>
    fn((err, res) => (err ? resolve(err) : reject(new Error(`expected an error, got ${JSON.stringify(res)}`)))),
  );
}

describe('unary', () => {
  it('carries metadata in, headers and trailers out, and runs interceptors global → class → method', async () => {
    const md = new Metadata();
    md.set('x-in', 'abc');
    let headers: Metadata | undefined;
    let trailers: Metadata | undefined;
    const reply = await new Promise<Msg>((resolve, reject) => {
      const call = client.echo({ text: 'hi', n: 41 }, md, {}, (err, res) => (err ? reject(err) : resolve(res)));
      call.on('metadata', (m) => {
        headers = m;
      });
      call.on('status', (s) => {
        trailers = s.metadata;
      });
    });
    expect(reply).toEqual({ text: 'hi', n: 42 });
    await waitFor(() => trailers !== undefined, { what: 'status', timeoutMs: 5000 });
    expect(headers?.get('x-header')).toEqual(['h1']);
    expect(trailers?.get('x-out')).toEqual(['abc-back']);
    expect(seen.currentFromHelper).toEqual(['abc']);
    expect(seen.order).toEqual([
      'global:before',
      'class:before',
      'method:before',
      'handler',
      'method:after',
      'class:after',
      'global:after',
    ]);
  });

  it('sends an RpcError as its status, with rich details and trailers', async () => {
    const err = await statusOf((cb) => client.fail({ text: 'rpc' }, cb));
    expect(err.code).toBe(Status.NOT_FOUND);
    expect(err.details).toBe('no such thing');
    expect(err.metadata.get('x-trailer-on-error')).toEqual(['yes']);
    const bin = err.metadata.get('grpc-status-details-bin')[0] as Buffer;
    expect(decodeStatusDetails(bin)).toEqual([{ typeUrl: 'type.googleapis.com/test.Detail', value: new Uint8Array([1, 2, 3]) }]);
    expect(RpcError.fromStatus(err).details[0]?.typeUrl).toBe('type.googleapis.com/test.Detail');
  });

  it.each(['throw', 'reject'])('answers an unexpected %s with INTERNAL, a generic message and a full server log line', async (text) => {
    const before = logger.lines.length;
    const err = await statusOf((cb) => client.fail({ text }, cb));
    expect(err.code).toBe(Status.INTERNAL);
    expect(err.details).toBe('Internal error');
    expect(err.details).not.toMatch(/hunter2|secret|\/srv/);
    const line = logger.lines.slice(before).find((l) => l.level === 'error');
    expect(line?.fields.service).toBe('test.calls.Calls');
    expect(line?.fields.method).toBe('Fail');
    expect(String((line?.fields.err as Error | undefined)?.stack)).toMatch(/fixtures\.ts/);
  });

  it('aborts the handler signal with DEADLINE_EXCEEDED when the deadline passes', async () => {
    const err = await statusOf((cb) => client.wait({ text: 'deadline' }, new Metadata(), { deadline: Date.now() + 200 }, cb));
    expect(err.code).toBe(Status.DEADLINE_EXCEEDED);
    await waitFor(() => seen.aborts.length === 1, { what: 'handler abort', timeoutMs: 5000 });
    expect((seen.aborts[0]?.reason as RpcError | undefined)?.code).toBe(Status.DEADLINE_EXCEEDED);
  });

  it('aborts the handler signal with CANCELLED when the client cancels', async () => {
    const call = client.wait({ text: 'cancel' }, new Metadata(), {}, () => {});
    await waitFor(() => app.inFlight === 1, { what: 'call in flight', timeoutMs: 5000 });
    call.cancel();
    await waitFor(() => seen.aborts.length === 1, { what: 'handler abort', timeoutMs: 5000 });
    expect((seen.aborts[0]?.reason as RpcError | undefined)?.code).toBe(Status.CANCELLED);
    await waitFor(() => app.inFlight === 0, { what: 'call finished', timeoutMs: 5000 });
  });
});

describe('streams', () => {
  it('server streaming sends every message in order, with back-pressure on a large stream', async () => {
    const got: number[] = [];
    const call = client.count({ text: 'x'.repeat(1000), n: 3000 });
    await new Promise<void>((resolve, reject) => {
      call.on('data', (m: Msg) => got.push(m.n));
      call.on('end', resolve);
      call.on('error', reject);
    });
    expect(got).toHaveLength(3000);
    expect(got.every((n, i) => n === i)).toBe(true);
  });

  it('server streaming pauses the generator while the client does not read, and closes it on cancel', async () => {
    const md = new Metadata();
    md.set('x-in', 'stream-ctx');
    const call = client.count({ text: 'y'.repeat(1024), n: 1_000_000 }, md);
    let received = 0;
    call.on('data', () => {
      received++;
      call.pause();
    });
    call.on('error', () => {});
    await waitFor(() => received === 1, { what: 'first message', timeoutMs: 5000 });
    // Wait until production stops: the HTTP/2 window and stream buffers are full.
    let last = -1;
    let stableFor = 0;
    await waitFor(
      () => {
        stableFor = seen.produced === last ? stableFor + 1 : 0;
        last = seen.produced;
        return stableFor >= 20;
      },
      { what: 'production to stop', timeoutMs: 20_000 },
    );
    expect(seen.produced).toBeLessThan(2_000);
    expect(received).toBe(1);
    expect(seen.order).toEqual(['global:before', 'class:before']);
    expect(seen.currentFromHelper).toEqual(['stream-ctx']);
    call.cancel();
    await waitFor(() => seen.generatorClosed, { what: 'generator closed', timeoutMs: 5000 });
    await waitFor(() => seen.order.length === 4, { what: 'interceptors unwound', timeoutMs: 5000 });
    expect(seen.order).toEqual(['global:before', 'class:before', 'class:after', 'global:after']);
  });

  it('server streaming ends with the status the generator throws', async () => {
    const call = client.count({ text: 'fail-midway', n: 2 });
    const got: Msg[] = [];
    const err = await new Promise<ServiceError>((resolve) => {
      call.on('data', (m: Msg) => got.push(m));
      call.on('error', resolve);
    });
    expect(got).toHaveLength(2);
    expect(err.code).toBe(Status.ABORTED);
    expect(err.details).toBe('stopped midway');
  });

  it('client streaming sums what the client sent', async () => {
    const reply = await new Promise<Msg>((resolve, reject) => {
      const call = client.sum((err, res) => (err ? reject(err) : resolve(res)));
      for (let i = 1; i <= 100; i++) call.write({ text: i % 10 === 0 ? '.' : '', n: i });
      call.end();
    });
    expect(reply).toEqual({ text: '..........', n: 5050 });
  });

  it('bidi streaming answers each message as it arrives, before the client half-closes', async () => {
    const call = client.chat();
    const replies: Msg[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      call.on('end', resolve);
      call.on('error', reject);
    });
    call.on('data', (m: Msg) => replies.push(m));
    for (const [i, text] of ['a', 'b', 'c'].entries()) {
      call.write({ text, n: i + 1 });
      await waitFor(() => replies.length === i + 1, { what: `reply ${i + 1}`, timeoutMs: 5000 });
    }
    call.end();
    await ended;
    expect(replies.map((r) => r.text)).toEqual(['A', 'B', 'C']);
    expect(replies.map((r) => r.n)).toEqual([2, 4, 6]);
  });
});

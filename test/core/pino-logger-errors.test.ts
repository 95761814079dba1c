import { type Client, type ClientDuplexStream, type ClientWritableStream, Metadata, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { RpcError, Status } from '../../src/errors/index.js';
import { RpcApplication, type RpcContext, type ServerInterceptor } from '../../src/server/index.js';
import { jsonLines } from '../support/json-lines.js';
import { rawClient } from '../support/raw-client.js';

interface Msg {
  text: string;
  n: number;
}

/** What each request text makes the handler (or the interceptor, with `x-throw-in: interceptor`) throw. */
function fault(text: string): unknown {
  switch (text) {
    case 'internal-with-cause':
      return new RpcError(Status.INTERNAL, 'db down', { cause: new Error('connect ECONNREFUSED 10.0.0.7:5432') });
    case 'not-found-with-cause':
      return new RpcError(Status.NOT_FOUND, 'no such user', { cause: new Error('row missing') });
    case 'plain':
      return new RpcError(Status.FAILED_PRECONDITION, 'not yet');
    case 'unexpected':
      return new TypeError('Cannot read properties of undefined (secret /srv/app/config.ts)');
    default:
      return undefined;
  }
}

/** The status, message and server log line each fault must give. */
const EXPECTED: Record<string, { code: Status; details: string; logLevel?: 'error' | 'debug'; logged?: RegExp }> = {
  'internal-with-cause': { code: Status.INTERNAL, details: 'db down', logLevel: 'error', logged: /ECONNREFUSED/ },
  'not-found-with-cause': { code: Status.NOT_FOUND, details: 'no such user', logLevel: 'debug', logged: /row missing/ },
  plain: { code: Status.FAILED_PRECONDITION, details: 'not yet' },
  unexpected: { code: Status.INTERNAL, details: 'Internal error', logLevel: 'error', logged: /secret \/srv\/app\/config\.ts/ },
};

const throwing: ServerInterceptor = async (ctx, next) => {
  if (ctx.header('x-throw-in') === 'interceptor') {
    await Promise.resolve();
    throw fault(ctx.header('x-fault') ?? '');
  }
  return next();
};

function maybeThrow(text: string): void {
  const error = fault(text);
  if (error !== undefined) throw error;
}

@RpcService('test.calls.Calls', { allowUnimplemented: true })
class FaultyCalls {
  @RpcMethod()
  async echo(req: Msg): Promise<Msg> {
    await Promise.resolve();
    maybeThrow(req.text);
    return req;
  }

  @RpcMethod()
  fail(req: Msg): Msg {
    maybeThrow(req.text);
    return req;
  }

  @RpcMethod()
  async *count(req: Msg): AsyncIterable<Msg> {
    yield { text: 'first', n: 0 };
    maybeThrow(req.text);
  }

  @RpcMethod()
  async sum(reqs: AsyncIterable<Msg>): Promise<Msg> {
    for await (const r of reqs) maybeThrow(r.text);
    return { text: 'sum', n: 0 };
  }

  @RpcMethod()
  async *chat(reqs: AsyncIterable<Msg>, _ctx: RpcContext): AsyncIterable<Msg> {
    for await (const r of reqs) {
      maybeThrow(r.text);
      yield r;
    }
  }
}

@Module({ protos: ['test/fixtures/protos/calls.proto'], services: [FaultyCalls] })
class FaultyModule {}

type Callback = (err: ServiceError | null, res?: Msg) => void;
type Raw = Client & Record<string, (...args: unknown[]) => unknown>;

const { destination, lines } = jsonLines();
let app: RpcApplication;
let client: Raw;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  app = await RpcApplication.create(FaultyModule, { logger: pino({ level: 'debug' }, destination), interceptors: [throwing] });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  client = rawClient(app.protos.packageDefinition, 'test.calls.Calls', port) as Raw;
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  client.close();
  await app.close();
});

/** Makes one call of `kind` that fails with the fault named `text`, thrown where `where` says, and resolves with its status. */
function failingCall(kind: string, where: 'handler' | 'interceptor', text: string): Promise<ServiceError> {
  const md = new Metadata();
  md.set('x-throw-in', where);
  md.set('x-fault', text);
  const request = { text: where === 'handler' ? text : 'ok', n: 1 };
  const options = { deadline: Date.now() + 10_000 };
  return new Promise((resolve, reject) => {
    const done: Callback = (err, res) => (err ? resolve(err) : reject(new Error(`expected an error, got ${JSON.stringify(res)}`)));
    if (kind === 'unary' || kind === 'unary-sync') {
      client[kind === 'unary' ? 'echo' : 'fail'](request, md, options, done);
      return;
    }
    if (kind === 'client_stream') {
      const call = client.sum(md, options, done) as ClientWritableStream<Msg>;
      call.write(request);
      call.end();
      return;
    }
    const call = (kind === 'server_stream' ? client.count(request, md, options) : client.chat(md, options)) as ClientDuplexStream<Msg, Msg>;
    call.on('data', () => {});
    call.on('error', (err: ServiceError) => resolve(err));
    call.on('end', () => reject(new Error('stream ended without an error')));
    if (kind === 'bidi_stream') {
      call.write(request);
      call.end();
    }
  });
}

describe('a real pino logger', () => {
  for (const kind of ['unary', 'unary-sync', 'server_stream', 'client_stream', 'bidi_stream']) {
    for (const where of ['handler', 'interceptor'] as const) {
      for (const [text, expected] of Object.entries(EXPECTED)) {
        it(`${kind}: ${where} throwing ${text} answers ${Status[expected.code]} and logs it`, async () => {
          const before = lines.length;
          const status = await failingCall(kind, where, text);
          expect(status.code).toBe(expected.code);
          expect(status.details).toBe(expected.details);
          expect(status.details).not.toMatch(/secret|ECONNREFUSED|row missing/);
          if (expected.logLevel) {
            const level = expected.logLevel === 'error' ? 50 : 20;
            const line = lines.slice(before).find((l) => l.level === level && expected.logged?.test(JSON.stringify(l.err)));
            expect(line, `a level-${expected.logLevel} line with the cause`).toBeDefined();
            expect(String((line?.err as { stack?: string } | undefined)?.stack)).toMatch(/at /);
          }
          expect(unhandled).toEqual([]);
        });
      }
    }
  }

  it('keeps serving after all of them', async () => {
    const reply = await new Promise<Msg>((resolve, reject) =>
      client.echo({ text: 'still here', n: 2 }, new Metadata(), {}, (err: ServiceError | null, res: Msg) =>
        err ? reject(err) : resolve(res),
      ),
    );
    expect(reply).toEqual({ text: 'still here', n: 2 });
  });
});

import { Metadata } from '@grpc/grpc-js';
import { Injectable, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { RpcError, Status } from '../../src/errors/index.js';
import { RpcContext, type ServerInterceptor, UseInterceptors } from '../../src/server/index.js';

export interface Msg {
  text: string;
  n: number;
}

/** What the test service saw, for assertions. */
export const seen = {
  order: [] as string[],
  aborts: [] as { text: string; reason: unknown }[],
  currentFromHelper: [] as (string | undefined)[],
  produced: 0,
  generatorClosed: false,
  reset() {
    this.produced = 0;
    this.generatorClosed = false;
    this.order.length = 0;
    this.aborts.length = 0;
    this.currentFromHelper.length = 0;
  },
};

const tracer =
  (name: string): ServerInterceptor =>
  async (_ctx, next) => {
    seen.order.push(`${name}:before`);
    try {
      return await next();
    } finally {
      seen.order.push(`${name}:after`);
    }
  };

export const globalInterceptor = tracer('global');

@Injectable()
export class ClassInterceptor {
  intercept(ctx: RpcContext, next: () => Promise<unknown>) {
    return tracer('class')(ctx, next);
  }
}

/** Reads the current call from deep inside the call, with no ctx parameter. */
function helperThatReadsCurrentContext(): string | undefined {
  return RpcContext.current()?.header('x-in');
}

@UseInterceptors(ClassInterceptor)
@RpcService('test.calls.Calls')
export class CallsService {
  @UseInterceptors(tracer('method'))
  @RpcMethod()
  async echo(req: Msg, ctx: RpcContext): Promise<Msg> {
    seen.order.push('handler');
    await Promise.resolve();
    seen.currentFromHelper.push(helperThatReadsCurrentContext());
    const header = new Metadata();
    header.set('x-header', 'h1');
    ctx.sendHeader(header);
    ctx.setTrailer('x-out', `${ctx.header('x-in') ?? ''}-back`);
    return { text: req.text, n: req.n + 1 };
  }

  @RpcMethod()
  fail(req: Msg, ctx: RpcContext): Msg {
    ctx.setTrailer('x-trailer-on-error', 'yes');
    if (req.text === 'rpc') {
      throw new RpcError(Status.NOT_FOUND, 'no such thing', {
        details: [{ typeUrl: 'type.googleapis.com/test.Detail', value: Buffer.from([1, 2, 3]) }],
      });
    }
    if (req.text === 'reject') return Promise.reject(new Error('db password is hunter2')) as never;
    throw new TypeError('Cannot read properties of undefined (secret path /srv/app/config.ts)');
  }

  @RpcMethod()
  async *count(req: Msg, ctx: RpcContext): AsyncIterable<Msg> {
    seen.currentFromHelper.push(helperThatReadsCurrentContext());
    try {
      for (let i = 0; i < req.n; i++) {
        if (ctx.aborted) return;
        seen.produced++;
        yield { text: req.text, n: i };
      }
    } finally {
      seen.generatorClosed = true;
    }
    if (req.text === 'fail-midway') throw new RpcError(Status.ABORTED, 'stopped midway');
  }

  @RpcMethod()
  async sum(reqs: AsyncIterable<Msg>): Promise<Msg> {
    let total = 0;
    let text = '';
    for await (const r of reqs) {
      total += r.n;
      text += r.text;
    }
    return { text, n: total };
  }

  @RpcMethod()
  async *chat(reqs: AsyncIterable<Msg>): AsyncIterable<Msg> {
    for await (const r of reqs) yield { text: r.text.toUpperCase(), n: r.n * 2 };
  }

  @RpcMethod()
  async wait(req: Msg, ctx: RpcContext): Promise<Msg> {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    seen.aborts.push({ text: req.text, reason: ctx.signal.reason });
    return { text: 'too late', n: 0 };
  }
}

@Module({ protos: ['test/fixtures/protos/calls.proto'], services: [CallsService] })
export class CallsModule {}

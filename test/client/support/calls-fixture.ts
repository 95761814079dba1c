import { resolve } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import type { Client } from '../../../src/client/index.js';
import { Inject, InjectClient, Module, RpcMethod, RpcService } from '../../../src/decorators/index.js';
import { RpcError, Status } from '../../../src/errors/index.js';
import { type RpcContext } from '../../../src/server/index.js';

export const CALLS_PROTO = resolve(import.meta.dirname, '../../fixtures/protos/calls.proto');
export const HELLO_PROTO = resolve(import.meta.dirname, '../../fixtures/protos/helloworld.proto');

export interface Msg {
  text: string;
  n: number;
}

/** What the downstream service saw, for assertions. */
export class Probe {
  readonly seen: {
    method: string;
    remainingMs: number;
    deadline: number | undefined;
    headers: Record<string, string>;
    hasDeadline: boolean;
  }[] = [];
  readonly aborted: string[] = [];
  attempts = 0;
  private waiters: (() => void)[] = [];
  /** Resolves once a Wait handler has started. */
  started(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
  notifyStarted(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  record(method: string, ctx: RpcContext): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.metadata.getMap())) if (typeof v === 'string') headers[k] = v;
    this.seen.push({
      method,
      remainingMs: ctx.remainingMs(),
      deadline: ctx.deadline?.getTime(),
      headers,
      hasDeadline: ctx.deadline !== undefined,
    });
  }
}

export const PROBE = 'PROBE';

/** The downstream: every call kind of test.calls.Calls. */
@RpcService('test.calls.Calls')
export class CallsService {
  constructor(@Inject(PROBE) private readonly probe: Probe) {}

  @RpcMethod()
  echo(req: Msg, ctx: RpcContext): Msg {
    this.probe.record('Echo', ctx);
    ctx.sendHeader({ 'x-header': 'h1' });
    ctx.setTrailer('x-trailer', 't1');
    return { text: req.text, n: req.n };
  }

  @RpcMethod()
  fail(req: Msg, ctx: RpcContext): Msg {
    this.probe.attempts++;
    this.probe.record('Fail', ctx);
    if (req.text === 'flaky' && this.probe.attempts < 3) throw new RpcError(Status.UNAVAILABLE, 'try again');
    if (req.text === 'flaky') return { text: 'ok', n: this.probe.attempts };
    const metadata = new Metadata();
    metadata.set('x-why', 'because');
    throw new RpcError(Status.FAILED_PRECONDITION, `cannot ${req.text}`, {
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo', value: Buffer.from('reason-bytes') }],
      metadata,
    });
  }

  @RpcMethod()
  async *count(req: Msg, ctx: RpcContext): AsyncIterable<Msg> {
    this.probe.record('Count', ctx);
    for (let i = 1; i <= req.n; i++) {
      if (req.text === 'fail-at' && i === 3) throw new RpcError(Status.ABORTED, 'stopped at 3');
      yield { text: `#${i}`, n: i };
    }
    if (req.text === 'hang') {
      ctx.signal.addEventListener('abort', () => this.probe.aborted.push('Count'));
      this.probe.notifyStarted();
      await new Promise((r) => ctx.signal.addEventListener('abort', r));
    }
  }

  @RpcMethod()
  async sum(reqs: AsyncIterable<Msg>, ctx: RpcContext): Promise<Msg> {
    this.probe.record('Sum', ctx);
    let total = 0;
    let texts = '';
    for await (const r of reqs) {
      total += r.n;
      texts += r.text;
    }
    ctx.setTrailer('x-count', 'done');
    return { text: texts, n: total };
  }

  @RpcMethod()
  async *chat(reqs: AsyncIterable<Msg>, ctx: RpcContext): AsyncIterable<Msg> {
    this.probe.record('Chat', ctx);
    for await (const r of reqs) yield { text: `re:${r.text}`, n: r.n * 2 };
  }

  @RpcMethod()
  async wait(req: Msg, ctx: RpcContext): Promise<Msg> {
    this.probe.record('Wait', ctx);
    ctx.signal.addEventListener('abort', () => this.probe.aborted.push(`Wait:${(ctx.signal.reason as RpcError).code}`));
    this.probe.notifyStarted();
    await new Promise<void>((r) => {
      const timer = setTimeout(r, req.n > 0 ? req.n : 60_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        r();
      });
    });
    return { text: 'waited', n: 0 };
  }
}

@Module({ protos: [CALLS_PROTO], services: [CallsService] })
export class DownstreamModule {}

/**
 * The upstream: serves test.calls.Calls by forwarding to a downstream test.calls.Calls through
 * an injected proxy (so each call is made while serving one).
 */
@RpcService('test.calls.Calls', { allowUnimplemented: true })
export class ForwardingService {
  constructor(@InjectClient('test.calls.Calls') private readonly downstream: Client<CallsService>) {}

  @RpcMethod()
  async echo(req: Msg): Promise<Msg> {
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    return this.downstream.echo(req);
  }

  @RpcMethod()
  async wait(req: Msg): Promise<Msg> {
    return this.downstream.wait(req);
  }

  @RpcMethod()
  async *count(req: Msg): AsyncIterable<Msg> {
    yield* this.downstream.count(req);
  }

  @RpcMethod()
  async fail(req: Msg): Promise<Msg> {
    return this.downstream.echo(req, { propagate: false, timeoutMs: 5000 });
  }
}

export const upstreamModule = (target: string) => {
  @Module({ protos: [CALLS_PROTO], services: [ForwardingService], clients: [{ service: 'test.calls.Calls', target }] })
  class UpstreamModule {}
  return UpstreamModule;
};

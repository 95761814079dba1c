import { type Counter, Registry } from 'prom-client';
import { Injectable, Module, RpcMethod, RpcService } from '../../../src/decorators/index.js';
import type { OnInit } from '../../../src/di/index.js';
import { RpcError, Status } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { MetricsService, ReadinessChecks, Runtime, type RuntimeOptions } from '../../../src/runtime/index.js';
import { RpcApplication, type RpcContext } from '../../../src/server/index.js';

type Msg = { text?: string; n?: number };

/** Holds `Wait` calls until released (or until their call is aborted). */
@Injectable()
export class Gate {
  private waiters: (() => void)[] = [];
  /** How many calls are waiting. */
  get waiting(): number {
    return this.waiters.length;
  }
  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
  releaseAll(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** A readiness check the test flips. */
@Injectable()
export class Dependency implements OnInit {
  ok = true;
  runs = 0;
  constructor(private readonly checks: ReadinessChecks) {}
  onInit(): void {
    this.checks.add(
      'dependency',
      () => {
        this.runs++;
        if (!this.ok) throw new Error('dependency unreachable');
      },
      { cacheMs: 0, timeoutMs: 1000 },
    );
  }
}

@RpcService('test.calls.Calls')
export class CallsService {
  private readonly echoes: Counter;
  constructor(
    private readonly gate: Gate,
    metrics: MetricsService,
  ) {
    this.echoes = metrics.counter({ name: 'calls_echo_total', help: 'Echo calls handled.' });
  }

  @RpcMethod()
  echo(req: Msg): Msg {
    this.echoes.inc();
    return { text: req.text, n: req.n };
  }

  @RpcMethod()
  fail(): Msg {
    throw new RpcError(Status.NOT_FOUND, 'nothing here');
  }

  @RpcMethod()
  async *count(req: Msg): AsyncIterable<Msg> {
    for (let i = 0; i < (req.n ?? 0); i++) yield { n: i };
  }

  @RpcMethod()
  async sum(reqs: AsyncIterable<Msg>): Promise<Msg> {
    let n = 0;
    for await (const r of reqs) n += r.n ?? 0;
    return { n };
  }

  @RpcMethod()
  async *chat(reqs: AsyncIterable<Msg>): AsyncIterable<Msg> {
    for await (const r of reqs) yield r;
  }

  @RpcMethod()
  async wait(req: Msg, ctx: RpcContext): Promise<Msg> {
    await this.gate.wait(ctx.signal);
    return req;
  }
}

@Module({ protos: ['test/fixtures/protos/calls.proto'], services: [CallsService], providers: [Gate, Dependency] })
export class CallsModule {}

/** The calls app under a runtime, both listening on free loopback ports. */
export interface BootedCallsApp {
  readonly runtime: Runtime;
  readonly app: RpcApplication;
  /** The gRPC port. */
  readonly port: number;
  /** The runtime's HTTP port (`undefined` with `http: false`). */
  readonly httpPort: number | undefined;
}

/**
 * Boots {@link CallsModule} the way `krpc-app start` wires it: a runtime (own registry, no
 * environment, loopback, free port; `options` on top) attached to the app, the runtime's HTTP
 * endpoint listening, then the gRPC port. Readiness is left to the test (`runtime.markReady()`).
 */
export async function bootCallsApp(options: RuntimeOptions = {}): Promise<BootedCallsApp> {
  const runtime = new Runtime({ logger: silentLogger(), registry: new Registry(), env: {}, port: 0, host: '127.0.0.1', ...options });
  const app = await RpcApplication.create(CallsModule, {
    logger: silentLogger(),
    observers: runtime.observers,
    globalProviders: runtime.providers,
  });
  runtime.attach(app);
  const httpPort = (await runtime.listen())?.port;
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  return { runtime, app, port, httpPort };
}

import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { type KrpcProcess, spawnKrpc } from '../support/krpc-process.js';

type Callback = (e: ServiceError | null, r: { message: string }) => void;
type Greeter = { sayHello(req: object, options: object, cb: Callback): void; close(): void };
interface Outcome {
  readonly code: number;
  readonly replica?: string;
  readonly details?: string;
}

const WORKERS = 8;

/** `krpc-app start samples/greeter` whose replies start with its name (GREETER_SALUTATION). */
async function replica(name: string, port = 0): Promise<{ proc: KrpcProcess; port: number }> {
  const proc = spawnKrpc(['start', 'samples/greeter', '--host', '127.0.0.1'], {
    KRPC_PORT: String(port),
    KRPC_RUNTIME_PORT: '0',
    KRPC_DRAIN_DELAY_MS: '300',
    KRPC_SHUTDOWN_TIMEOUT_MS: '5000',
    GREETER_SALUTATION: name,
  });
  const line = await proc.waitForLog(/krpc-app listening/);
  return { proc, port: line.port as number };
}

describe('drain under load: two greeter replicas behind a round_robin client', () => {
  const procs: KrpcProcess[] = [];
  let client: Greeter | undefined;
  afterAll(async () => {
    client?.close();
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
  });

  it('loses no call when one replica is stopped, nor during a rolling restart of both', async () => {
    const a = await replica('A');
    const b = await replica('B');
    procs.push(a.proc, b.proc);
    const def = loadSync('samples/greeter/proto/helloworld.proto');
    const pkg = loadPackageDefinition(def) as unknown as { helloworld: { Greeter: new (t: string, c: unknown, o: object) => Greeter } };
    client = new pkg.helloworld.Greeter(`ipv4:127.0.0.1:${a.port},127.0.0.1:${b.port}`, credentials.createInsecure(), {
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
      // a replacement on the same port is found within a fraction of a second
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 300,
    });
    const greeter = client;
    const results: (Outcome & { at: number })[] = [];
    const call = (): Promise<Outcome> =>
      new Promise((resolve) =>
        greeter.sayHello({ name: 'load' }, { deadline: Date.now() + 5000 }, (e, r) =>
          resolve(e ? { code: e.code, details: e.details } : { code: 0, replica: r.message.split(' ')[0] }),
        ),
      );
    let running = true;
    const workers = Array.from({ length: WORKERS }, async () => {
      while (running) results.push({ ...(await call()), at: performance.now() });
    });
    const served = (name: string, after = 0) => results.filter((r) => r.replica === name && r.at > after).length;
    const stop = async (proc: KrpcProcess) => {
      proc.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      return performance.now();
    };

    await waitFor(() => served('A') >= 50 && served('B') >= 50, { what: 'both replicas to serve', timeoutMs: 30_000 });

    // 1. stop A: B carries everything, nothing fails
    const aGone = await stop(a.proc);
    await waitFor(() => served('B', aGone) >= 100, { what: 'B alone to serve', timeoutMs: 30_000 });

    // 2. rolling restart: A's replacement binds A's port, then B is stopped and replaced likewise
    const a2 = await replica('A2', a.port);
    procs.push(a2.proc);
    const a2Up = performance.now();
    await waitFor(() => served('A2', a2Up) >= 50, { what: 'the client to find A2 on the old port', timeoutMs: 30_000 });
    const bGone = await stop(b.proc);
    await waitFor(() => served('A2', bGone) >= 100, { what: 'A2 alone to serve', timeoutMs: 30_000 });
    const b2 = await replica('B2', b.port);
    procs.push(b2.proc);
    const b2Up = performance.now();
    await waitFor(() => served('A2', b2Up) >= 50 && served('B2', b2Up) >= 50, { what: 'both replacements to serve', timeoutMs: 30_000 });

    running = false;
    await Promise.all(workers);
    const failed = results.filter((r) => r.code !== 0);
    const byReplica = Object.fromEntries(['A', 'B', 'A2', 'B2'].map((n) => [n, served(n)]));
    process.stdout.write(`drain under load: ${results.length} calls, ${failed.length} failed, by replica ${JSON.stringify(byReplica)}\n`);
    expect(failed.slice(0, 5)).toEqual([]);
    for (const p of [a2.proc, b2.proc]) p.kill('SIGTERM');
    expect(await a2.proc.exited).toBe(0);
    expect(await b2.proc.exited).toBe(0);
  });
});

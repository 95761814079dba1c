import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { type KrpcProcess, spawnProcess } from '../support/krpc-process.js';
import { buildDist } from './support/build-dist.js';

const FIXTURE = 'test/runtime/fixtures/serve-greeter.mjs';
const DRAIN_DELAY_MS = 1000;
const SHUTDOWN_TIMEOUT_MS = 5000;
const LONG_CALL_MS = 2500;

type Callback = (e: ServiceError | null, r: { message: string }) => void;
type Greeter = { sayHello(req: object, cb: Callback): void; sayHelloAgain(req: object, cb: Callback): void; close(): void };

function greeter(target: string, options: Record<string, string> = {}): Greeter {
  const def = loadSync('test/fixtures/protos/helloworld.proto', { keepCase: true, defaults: true });
  const pkg = loadPackageDefinition(def) as unknown as { helloworld: { Greeter: new (t: string, c: unknown, o: object) => Greeter } };
  return new pkg.helloworld.Greeter(target, credentials.createInsecure(), options);
}

function sayHello(
  client: Greeter,
  name: string,
  method: 'sayHello' | 'sayHelloAgain' = 'sayHello',
): Promise<{ code: number; replica?: string; details?: string }> {
  return new Promise((resolve) =>
    client[method]({ name }, (e, r) => resolve(e ? { code: e.code, details: e.details } : { code: 0, replica: r.message })),
  );
}

describe('graceful drain of one of two replicas under load', () => {
  let dist: string;
  const replicas: KrpcProcess[] = [];
  const clients: Greeter[] = [];

  beforeAll(() => {
    dist = buildDist();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const r of replicas) await r.stop();
  });

  const start = async (name: string, delayMs = DRAIN_DELAY_MS, timeoutMs = SHUTDOWN_TIMEOUT_MS) => {
    const env = {
      KRPC_DIST: dist,
      REPLICA: name,
      KRPC_RUNTIME_PORT: '0',
      KRPC_DRAIN_DELAY_MS: String(delayMs),
      KRPC_SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
    };
    const child = spawnProcess(process.execPath, [FIXTURE], env);
    replicas.push(child);
    const line = await child.waitForLog((l) => l.ready === true, 30_000);
    return { child, port: line.port as number, runtimePort: line.runtimePort as number };
  };

  it('loses no call: SIGTERM one, its in-flight calls complete, it exits 0 within delay + timeout', async () => {
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const serviceConfig = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });
    const balanced = greeter(`ipv4:127.0.0.1:${a.port},127.0.0.1:${b.port}`, { 'grpc.service_config': serviceConfig });
    const direct = greeter(`127.0.0.1:${a.port}`);
    clients.push(balanced, direct);

    const results: { code: number; replica?: string; details?: string; at: number }[] = [];
    let running = true;
    const workers = Array.from({ length: 8 }, async () => {
      while (running) results.push({ ...(await sayHello(balanced, 'slow:20')), at: performance.now() });
    });
    const served = (replica: string, after = 0) => results.filter((r) => r.replica === replica && r.at > after).length;
    await waitFor(() => served('a') >= 20 && served('b') >= 20, { what: 'both replicas to serve', timeoutMs: 30_000 });

    // three long calls (SayHelloAgain) straight to a, in flight when it gets SIGTERM
    const longStartedAt = performance.now();
    const long = Array.from({ length: 3 }, () => sayHello(direct, `slow:${LONG_CALL_MS}`, 'sayHelloAgain'));
    const startedLine = 'grpc_server_started_total{grpc_type="unary",grpc_service="helloworld.Greeter",grpc_method="SayHelloAgain"} 3';
    await waitFor(async () => (await (await fetch(`http://127.0.0.1:${a.runtimePort}/metrics`)).text()).includes(startedLine), {
      what: 'the long calls to reach a',
      timeoutMs: 10_000,
    });
    const sigtermAt = performance.now();
    a.child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${a.runtimePort}/readyz`)).status === 503, {
      what: 'a to report not ready',
      timeoutMs: 2000,
    });
    expect((await fetch(`http://127.0.0.1:${a.runtimePort}/livez`)).status).toBe(200);

    const exit = await a.child.exit;
    const exitAfterMs = exit.at - sigtermAt;
    const longResults = await Promise.all(long);
    await waitFor(() => served('b', exit.at) >= 50, { what: 'b to keep serving after a exited', timeoutMs: 30_000 });
    running = false;
    await Promise.all(workers);

    const failed = results.filter((r) => r.code !== 0);
    const servedByADuringDrain = served('a', sigtermAt);
    console.info(
      `drain: ${results.length} calls, ${failed.length} failed; a served ${servedByADuringDrain} after SIGTERM; a exited ${exit.code} after ${Math.round(exitAfterMs)} ms`,
    );
    expect(failed).toEqual([]);
    expect(longResults).toEqual(Array(3).fill({ code: 0, replica: 'a' }));
    expect(servedByADuringDrain).toBeGreaterThan(0);
    expect(exit.code).toBe(0);
    expect(exit.at - longStartedAt).toBeGreaterThanOrEqual(LONG_CALL_MS);
    expect(exitAfterMs).toBeLessThan(DRAIN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 2000);
  });

  it('aborts what remains at the shutdown timeout (UNAVAILABLE) and still exits 0', async () => {
    const c = await start('c', 0, 500);
    const client = greeter(`127.0.0.1:${c.port}`);
    clients.push(client);
    const stuck = sayHello(client, 'slow:60000');
    const line = 'grpc_server_started_total{grpc_type="unary",grpc_service="helloworld.Greeter",grpc_method="SayHello"} 1';
    await waitFor(async () => (await (await fetch(`http://127.0.0.1:${c.runtimePort}/metrics`)).text()).includes(line), {
      what: 'the call to reach c',
      timeoutMs: 10_000,
    });
    const sigtermAt = performance.now();
    c.child.kill('SIGTERM');
    const exit = await c.child.exit;
    expect(await stuck).toMatchObject({ code: 14 });
    expect(exit.code).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(500 + 2000);
  });

  it('exits at once on a second signal', async () => {
    const d = await start('d', 60_000, 60_000);
    d.child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${d.runtimePort}/readyz`)).status === 503, {
      what: 'd to be draining',
      timeoutMs: 5000,
    });
    d.child.kill('SIGTERM');
    const exit = await d.child.exit;
    expect(exit.code).toBe(143);
  });
});

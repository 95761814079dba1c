import type { ClientReadableStream } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { bootCallsApp, Dependency } from './support/calls-app.js';
import { healthClient } from './support/grpc-clients.js';

type Health = ReturnType<typeof healthClient>;

function check(client: Health, service: string): Promise<string> {
  return new Promise((resolve) => {
    (client.check as (r: object, cb: (e: { code: number } | null, r: { status: string }) => void) => void).call(
      client,
      { service },
      (e, r) => resolve(e ? `error:${e.code}` : r.status),
    );
  });
}

/** Longer than the runtime's readiness re-evaluation interval (1 s), with room for a loaded machine. */
const PROMPTLY_MS = 3000;

/** Polls Check on `service` until it answers `status`. */
async function answers(client: Health, service: string, status: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => (await check(client, service)) === status, {
    what: `Check ${JSON.stringify(service)} to answer ${status}`,
    timeoutMs: timeoutMs,
  });
}

async function boot(runtimeOptions: ConstructorParameters<typeof Runtime>[0] = {}) {
  const { runtime, app, port, httpPort } = await bootCallsApp(runtimeOptions);
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${httpPort}${path}`);
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  return { runtime, app, port, get };
}

describe('runtime probes and grpc.health.v1', () => {
  const cleanups: (() => unknown)[] = [];

  /** Opens a Watch on `service` (cancelled at cleanup): the statuses it sees, and the code it ended with. */
  const watchHealth = (client: Health, service: string) => {
    const seen: string[] = [];
    let code: number | undefined;
    const watch = (client.watch as (r: object) => ClientReadableStream<{ status: string }>).call(client, { service });
    cleanups.push(() => watch.cancel());
    watch.on('data', (m) => seen.push(m.status));
    watch.on('error', (e: { code: number }) => {
      code = e.code;
    });
    return { seen, endedWith: () => code };
  };
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('answers /livez, /readyz and 404 over HTTP through the lifecycle', async () => {
    const { runtime, app, get } = await boot();
    cleanups.push(
      () => app.close({ timeoutMs: 100 }),
      () => runtime.close(),
    );
    expect((await get('/livez')).status).toBe(200);
    const starting = await get('/readyz');
    expect(starting.status).toBe(503);
    expect(starting.json()).toEqual({ status: 'starting' });
    runtime.markReady();
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', failed: [] });
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/metrics')).status).toBe(200);

    app.container.get(Dependency).ok = false;
    const failing = await get('/readyz');
    expect(failing.status).toBe(503);
    expect(failing.json()).toMatchObject({ status: 'not_ready', failed: ['dependency'] });
    expect(JSON.stringify(failing.json())).toContain('dependency unreachable');
    app.container.get(Dependency).ok = true;
    expect((await get('/readyz')).status).toBe(200);
  });

  it('serves grpc.health.v1 Check for "", each service, liveness and readiness, following the lifecycle', async () => {
    const { runtime, app, port } = await boot();
    cleanups.push(
      () => app.close({ timeoutMs: 100 }),
      () => runtime.close(),
    );
    const client = healthClient(port);
    cleanups.push(() => client.close());
    expect(await check(client, '')).toBe('NOT_SERVING');
    expect(await check(client, 'readiness')).toBe('NOT_SERVING');
    expect(await check(client, 'liveness')).toBe('SERVING');
    expect(await check(client, 'no.such.Service')).toBe('error:5');
    runtime.markReady();
    for (const name of ['', 'test.calls.Calls', 'liveness', 'readiness']) await answers(client, name, 'SERVING');
    app.container.get(Dependency).ok = false;
    // no /readyz probe: the runtime re-evaluates the checks while serving
    await answers(client, 'readiness', 'NOT_SERVING', PROMPTLY_MS);
    expect(await check(client, 'test.calls.Calls')).toBe('NOT_SERVING');
    expect(await check(client, 'liveness')).toBe('SERVING');
    app.container.get(Dependency).ok = true;
    await answers(client, '', 'SERVING', PROMPTLY_MS);
  });

  it('pushes a failing readiness check to open Watch streams without any probe', async () => {
    const { runtime, app, port } = await boot();
    cleanups.push(
      () => app.close({ timeoutMs: 100 }),
      () => runtime.close(),
    );
    runtime.markReady();
    const client = healthClient(port);
    cleanups.push(() => client.close());
    const { seen } = watchHealth(client, 'readiness');
    await waitFor(() => seen.at(-1) === 'SERVING', { what: 'Watch to see SERVING', timeoutMs: 10_000 });
    app.container.get(Dependency).ok = false;
    await waitFor(() => seen.at(-1) === 'NOT_SERVING', { what: 'Watch to see NOT_SERVING', timeoutMs: PROMPTLY_MS });
    app.container.get(Dependency).ok = true;
    await waitFor(() => seen.at(-1) === 'SERVING', { what: 'Watch to see SERVING again', timeoutMs: PROMPTLY_MS });
  });

  it('drains: 503 and NOT_SERVING at once, /livez stays 200, Watch sees NOT_SERVING then ends', async () => {
    const { runtime, app, port, get } = await boot({ drainDelayMs: 0, shutdownTimeoutMs: 10_000 });
    cleanups.push(
      () => app.close({ timeoutMs: 100 }),
      () => runtime.close(),
    );
    runtime.markReady();
    const client = healthClient(port);
    cleanups.push(() => client.close());
    const { seen, endedWith } = watchHealth(client, '');
    await waitFor(() => seen.includes('SERVING'), { what: 'Watch to see SERVING', timeoutMs: 10_000 });

    const closed = holdClose(runtime, app);
    await waitFor(() => endedWith() !== undefined, { what: 'Watch to end', timeoutMs: 10_000 });
    expect(endedWith()).toBe(14);
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
    expect(runtime.phase).toBe('draining');
    expect((await get('/readyz')).json()).toEqual({ status: 'draining' });
    expect((await get('/readyz')).status).toBe(503);
    expect((await get('/livez')).status).toBe(200);
    expect(await check(client, 'liveness')).toBe('SERVING');
    expect(await check(client, 'test.calls.Calls')).toBe('NOT_SERVING');
    const released = performance.now();
    closed.release();
    await closed.done;
    // the graceful close did not wait for the shutdown timeout (10 s): no Watch held it open
    expect(performance.now() - released).toBeLessThan(5000);
    expect(runtime.phase).toBe('stopped');
  });
});

// Drains, holding app.close until the test has looked at the draining state.
function holdClose(runtime: Runtime, app: RpcApplication) {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  const done = runtime.drain({
    close: async (options) => {
      await released;
      return app.close(options);
    },
  });
  return { done, release: () => release() };
}

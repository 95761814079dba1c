import { connect, type Socket } from 'node:net';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { requirePeer } from '../support/peers.js';
import { PROTOC, probeService, WKT_INCLUDE } from './support/probe-descriptors.js';
import { PROBE_APP, startWebApp, type WebApp } from './support/web-app.js';

const hasProtoc = requirePeer(
  'protoc',
  PROTOC !== undefined && WKT_INCLUDE !== undefined,
  'apt-get install protobuf-compiler python3-grpc-tools',
);

interface SlowClient {
  slow(request: { ms: number }): Promise<{ outcome: string }>;
}

/** One HTTP/1.1 keep-alive request on a raw socket; resolves with the socket (left open) once the reply arrived. */
function keepAliveCall(port: number): Promise<{ socket: Socket; closed: Promise<void>; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let reply = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n\r\n') && reply.endsWith('}')) resolve({ socket, closed, reply });
    });
    socket.write('POST /webtest.Probe/Echo HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
  });
}

describe.skipIf(!hasProtoc)('SIGTERM drains the web port with the gRPC port', () => {
  let app: WebApp | undefined;
  afterAll(async () => {
    await app?.proc.stop();
  });

  it('in-flight web calls (HTTP/1.1 and h2c) finish, idle keep-alive connections close, new connections are refused, exit 0', async () => {
    app = await startWebApp(PROBE_APP, { KRPC_DRAIN_DELAY_MS: '300', KRPC_SHUTDOWN_TIMEOUT_MS: '8000' });
    const { base, webPort } = app;
    const Probe = probeService();
    const h1 = createClient(Probe, createConnectTransport({ baseUrl: base, httpVersion: '1.1' })) as unknown as SlowClient;
    const h2 = createClient(Probe, createConnectTransport({ baseUrl: base, httpVersion: '2' })) as unknown as SlowClient;
    const idle = await keepAliveCall(webPort);
    expect(idle.reply).toMatch(/^HTTP\/1\.1 200/);
    const inFlight = [h1.slow({ ms: 2000 }), h2.slow({ ms: 2000 })];
    const metrics = `http://127.0.0.1:${app.runtimePort}/metrics`;
    await waitFor(async () => /krpc_server_in_flight_requests 2/.test(await (await fetch(metrics)).text()), {
      what: 'both slow calls in flight',
      timeoutMs: 10_000,
    });
    const signalled = performance.now();
    app.proc.kill('SIGTERM');
    await idle.closed;
    const idleClosedAfter = performance.now() - signalled;
    expect(await Promise.all(inFlight)).toEqual([{ outcome: 'done' }, { outcome: 'done' }].map((r) => expect.objectContaining(r)));
    const exit = await app.proc.exit;
    expect(exit.code).toBe(0);
    // the drain delay, then the listener stops: the idle connection goes long before the slow calls end
    expect(idleClosedAfter).toBeLessThan(1900);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(webPort, '127.0.0.1');
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('a web call still running at the shutdown timeout is aborted with unavailable', async () => {
    app = await startWebApp(PROBE_APP, { KRPC_DRAIN_DELAY_MS: '0', KRPC_SHUTDOWN_TIMEOUT_MS: '500' });
    const client = createClient(probeService(), createConnectTransport({ baseUrl: app.base, httpVersion: '1.1' })) as unknown as SlowClient;
    const running = client.slow({ ms: 20_000 }).then(
      (reply) => reply.outcome,
      (error: unknown) => ConnectError.from(error).code,
    );
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${app?.runtimePort}/metrics`)).text().then((t) => /krpc_server_in_flight_requests 1/.test(t)),
      {
        what: 'the slow call in flight',
        timeoutMs: 10_000,
      },
    );
    app.proc.kill('SIGTERM');
    const outcome = await running;
    expect(outcome).toBe(Code.Unavailable);
    expect((await app.proc.exit).code).toBe(0);
  });
});

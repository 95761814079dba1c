import { connect as h2connect } from 'node:http2';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continuationFlood, memory, openFds, rapidReset, slowloris, unreadStreams } from '../support/fault-cluster/attacks.mjs';
import { callOnce } from '../support/fault-cluster/load.mjs';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { type KrpcProcess, spawnKrpc } from '../support/krpc-process.js';

const HANDSHAKE_MS = 1000;
const IDLE_MS = 2000;
/** Slack over a timer's nominal time on a loaded 2-core machine. */
const SLACK_MS = 8000;
const PREFACE_AND_SETTINGS = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]), // an empty SETTINGS frame
]);

/** Resolves with the ms until the server closes `socket`. */
const closedAfter = (socket: ReturnType<typeof connect>) => {
  const started = performance.now();
  return new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
};

/** `krpc-app start samples/greeter` with `env`, answering; its ports, pid and fd/RSS baseline. */
async function startGreeter(env: Record<string, string> = {}) {
  const proc = spawnKrpc(['start', 'samples/greeter', '--host', '127.0.0.1'], { KRPC_PORT: '0', KRPC_RUNTIME_PORT: '0', ...env });
  const ready = await proc.waitForLog(/krpc-app listening/);
  const port = ready.port as number;
  const pid = proc.child.pid as number;
  expect((await callOnce(`127.0.0.1:${port}`, { deadlineMs: 5000 })).code).toBe(0);
  return { proc, port, runtimePort: ready.runtimePort as number, pid, baseline: { fds: openFds(pid), rssMb: memory(pid).rssMb } };
}

describe('connection attacks on krpc-app start samples/greeter (handshake timeout, idle limit)', () => {
  let proc: KrpcProcess;
  let port: number;
  let pid: number;
  let baseline: { fds: number; rssMb: number };
  const target = () => `127.0.0.1:${port}`;
  const backToBaseline = (what: string) =>
    waitFor(() => openFds(pid) <= baseline.fds + 2, {
      what: `fds back to baseline after ${what}`,
      timeoutMs: IDLE_MS + SLACK_MS,
      intervalMs: 100,
    });

  beforeAll(async () => {
    ({ proc, port, pid, baseline } = await startGreeter({
      KRPC_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_MS),
      KRPC_MAX_CONNECTION_IDLE_MS: String(IDLE_MS),
    }));
  });
  afterAll(async () => {
    proc?.kill('SIGTERM');
    expect(await proc?.exited).toBe(0);
  });

  it('closes 500 slowloris connections (16 bytes of the preface) at the handshake timeout, serving meanwhile', async () => {
    const attack = await slowloris('127.0.0.1', port, { count: 500 });
    try {
      expect((await callOnce(target(), { deadlineMs: 5000 })).code).toBe(0);
      await waitFor(() => attack.open() === 0, { what: 'every slowloris connection closed', timeoutMs: HANDSHAKE_MS + SLACK_MS });
    } finally {
      attack.destroy();
    }
    await backToBaseline('slowloris');
  });

  it('closes a connection that sent the preface and SETTINGS but never a call, at the idle limit', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.write(PREFACE_AND_SETTINGS);
    const ms = await closedAfter(socket);
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS * 0.9);
    expect(ms).toBeLessThan(IDLE_MS + SLACK_MS);
    await backToBaseline('an idle connection');
  });

  it('sends GOAWAY to an HTTP/2 client that never makes a call, at the idle limit', async () => {
    const session = h2connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const goaway = new Promise<number>((resolve) => session.once('goaway', resolve));
    await new Promise((resolve) => session.once('connect', resolve));
    const started = performance.now();
    expect(await goaway).toBe(0);
    expect(performance.now() - started).toBeLessThan(IDLE_MS + SLACK_MS);
    session.destroy();
    await backToBaseline('an idle session');
  });

  it('reclaims rapid-reset connections the attacker dropped', async () => {
    const attack = await rapidReset('127.0.0.1', port, { connections: 5 });
    expect(attack.goaway).toBe(5);
    await backToBaseline('rapid reset');
    expect((await callOnce(target(), { deadlineMs: 5000 })).code).toBe(0);
  });

  it('has its fds and RSS back near the baseline after every attack', async () => {
    // the last test's own call closed its connection just now: the server sees it close soon after
    await backToBaseline('every attack');
    expect(memory(pid).rssMb).toBeLessThan(baseline.rssMb + 100);
  });
});

/** One SayHello over a fresh node:http2 session with `headers` added: how the stream ended. */
function rawHello(port: number, headers: Record<string, string>) {
  return new Promise<{ grpcStatus?: string; rstCode?: number; sessionError?: string }>((resolve) => {
    const session = h2connect(`http://127.0.0.1:${port}`, { maxSendHeaderBlockLength: 100_000_000, maxHeaderListPairs: 100_000 });
    const out: { grpcStatus?: string; rstCode?: number; sessionError?: string } = {};
    session.on('error', (e: NodeJS.ErrnoException) => {
      out.sessionError = e.code ?? e.message;
    });
    const stream = session.request({
      ':method': 'POST',
      ':path': '/helloworld.Greeter/SayHello',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    stream.on('error', () => {});
    stream.on('trailers', (t) => {
      out.grpcStatus = String(t['grpc-status']);
    });
    stream.on('close', () => {
      out.rstCode = stream.rstCode;
      session.destroy();
      resolve(out);
    });
    stream.end(Buffer.from([0, 0, 0, 0, 5, 0x0a, 0x03, 0x41, 0x64, 0x61]));
    stream.resume();
  });
}

describe('HTTP/2 abuse on krpc-app start samples/greeter: unread streams and header floods', () => {
  let proc: KrpcProcess;
  let port: number;
  let pid: number;
  let runtimePort: number;
  let baseline: { fds: number; rssMb: number };
  const target = () => `127.0.0.1:${port}`;

  beforeAll(async () => {
    ({ proc, port, runtimePort, pid, baseline } = await startGreeter());
  });
  afterAll(async () => {
    proc?.kill('SIGTERM');
    expect(await proc?.exited).toBe(0);
  });

  it('holds 5,000 unread streams (window 0) at a bounded cost, serving others, and lets go when the attacker leaves', async () => {
    const attack = await unreadStreams('127.0.0.1', port, { connections: 5, streams: 1000 });
    try {
      expect(attack.streams).toBe(5000);
      // every stream reached the server (the handler ran and its replies wait in the window)
      const text = async () => (await (await fetch(`http://127.0.0.1:${runtimePort}/metrics`)).text()) as string;
      await waitFor(async () => /grpc_server_started_total\{[^}]*SayHelloStreamReply[^}]*\} 5000/.test(await text()), {
        what: 'the server to have started all 5,000 unread streams',
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      expect((await callOnce(target(), { deadlineMs: 5000 })).code).toBe(0);
      // measured ~10.7 KB per held stream (grpc-js's and the framework's call objects, the buffered replies)
      const perStreamKb = ((memory(pid).rssMb - baseline.rssMb) * 1024) / attack.streams;
      expect(perStreamKb).toBeLessThan(40);
    } finally {
      attack.destroy();
    }
    await waitFor(() => openFds(pid) <= baseline.fds + 2, {
      what: 'fds back to baseline after unread streams',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect((await callOnce(target(), { deadlineMs: 5000 })).code).toBe(0);
  });

  it('refuses header floods: too many headers, a header block over the limit, a CONTINUATION flood', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) many[`x-h${i}`] = 'v';
    // nghttp2 limits: 128 header pairs by default (the stream is reset ENHANCE_YOUR_CALM), ~64 KiB of header block
    expect((await rawHello(port, many)).rstCode).toBe(11);
    const huge = await rawHello(port, { 'x-huge': 'a'.repeat(1_000_000) });
    expect(huge.grpcStatus).toBeUndefined();
    expect(huge.rstCode).not.toBe(0);
    expect((await rawHello(port, { 'x-fine': 'a'.repeat(4000) })).grpcStatus).toBe('0');

    const flood = await continuationFlood('127.0.0.1', port, { timeoutMs: 10_000 });
    expect(flood.closed, 'the server closed the CONTINUATION flood').toBe(true);
    expect(flood.sentBytes).toBeLessThan(4 * 1024 * 1024);

    expect((await callOnce(target(), { deadlineMs: 5000 })).code).toBe(0);
    await waitFor(() => openFds(pid) <= baseline.fds + 2, {
      what: 'fds back to baseline after header floods',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(memory(pid).rssMb).toBeLessThan(baseline.rssMb + 200);
  });
});

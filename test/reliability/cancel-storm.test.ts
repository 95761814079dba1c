import { type ClientReadableStream, Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../src/errors/index.js';
import type { KrpcProcess } from '../support/krpc-process.js';
import { type FaultyClient, type FaultyStats, faultyClient, spawnFaulty, waitForStats } from './support/faulty-app.js';
import { processTrouble } from './support/leak-check.js';

const CALLS = 10_000;
const WAVE = 250;
const WARMUP = 500;
/**
 * Connections the storm is spread over. Cancelling thousands of streams a second on ONE
 * connection is what an HTTP/2 rapid-reset attack looks like, and Node's nghttp2 closes such a
 * connection (reset burst 1000, then ~33/s; see concurrent-streams.test.ts). Twelve connections
 * keep each under the burst, so every call here is a plain client cancel.
 */
const CONNECTIONS = 12;
/** Heap may end a little above the baseline (JIT code, grown internal tables), never by a leak's worth. */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024;

describe(`${CALLS} server streams cancelled mid-stream`, () => {
  let proc: KrpcProcess;
  let client: FaultyClient;
  let port: number;

  const settledStats = (expected: (s: FaultyStats) => boolean): Promise<FaultyStats> =>
    waitForStats(client, expected, { what: 'the server to settle', timeoutMs: 20_000 });
  /** Starts Hold, waits for its first reply (the handler is running), cancels; resolves with the code seen. */
  const holdAndCancel = (on: FaultyClient): Promise<number> =>
    new Promise((resolve) => {
      const call = on.hold({ text: 'x' }, new Metadata()) as ClientReadableStream<unknown>;
      call.once('data', () => call.cancel());
      call.on('error', (e: ServiceError) => resolve(e.code));
      call.on('end', () => resolve(Status.OK));
    });
  /** Runs `count` hold-and-cancel calls in waves over fresh connections, then closes them. */
  const storm = async (count: number): Promise<Map<number, number>> => {
    const channels = Array.from({ length: CONNECTIONS }, () => faultyClient(port, { 'grpc.use_local_subchannel_pool': 1 }));
    const codes = new Map<number, number>();
    let wave = 0;
    for (let done = 0; done < count; done += WAVE, wave++) {
      const on = channels[wave % CONNECTIONS] as FaultyClient;
      const results = await Promise.all(Array.from({ length: Math.min(WAVE, count - done) }, () => holdAndCancel(on)));
      for (const code of results) codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    for (const c of channels) c.close();
    return codes;
  };

  beforeAll(async () => {
    proc = spawnFaulty();
    port = (await proc.waitForLog(/krpc-app listening/)).port as number;
    client = faultyClient(port);
  });
  afterAll(async () => {
    client?.close();
    proc?.kill('SIGKILL');
    await proc?.exited;
  });

  it('fires every handler signal, leaves nothing in flight, and returns heap and handles to the baseline', async () => {
    await storm(WARMUP);
    // baseline: the warm-up's connections closed, only the stats client's remains
    const baseline = await settledStats(
      (s) => s.settled === WARMUP && s.inFlight === 1 && s.resourceTypes.filter((t) => t === 'TCPSocketWrap').length === 1,
    );
    expect(baseline.aborted).toBe(WARMUP);

    const startedAt = performance.now();
    const codes = await storm(CALLS);
    const elapsedMs = performance.now() - startedAt;
    expect(Object.fromEntries(codes)).toEqual({ [Status.CANCELLED]: CALLS });

    const after = await settledStats((s) => s.settled === WARMUP + CALLS && s.inFlight === 1 && s.resources <= baseline.resources);
    const report = {
      elapsedMs: Math.round(elapsedMs),
      heapBaselineMiB: +(baseline.heapUsed / 2 ** 20).toFixed(2),
      heapAfterMiB: +(after.heapUsed / 2 ** 20).toFixed(2),
      resourcesBaseline: baseline.resources,
      resourcesAfter: after.resources,
      resourceTypesAfter: after.resourceTypes,
    };
    process.stdout.write(`cancel storm: ${JSON.stringify(report)}\n`);
    expect(after.started - baseline.started).toBe(CALLS);
    expect(after.aborted - baseline.aborted).toBe(CALLS);
    expect(after.settled - baseline.settled).toBe(CALLS);
    expect(after.inFlight).toBe(1); // the Stats call itself
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(HEAP_SLACK_BYTES);
    expect(after.resources).toBeLessThanOrEqual(baseline.resources);
    expect(proc.child.exitCode).toBeNull();
    expect(processTrouble(proc.stderr)).toEqual([]);
  });
});

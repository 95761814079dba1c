import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../src/errors/index.js';
import type { KrpcProcess } from '../support/krpc-process.js';
import { rawClient } from '../support/raw-client.js';
import { FAULTY_APP, type FaultyStats, spawnFaulty } from './support/faulty-app.js';
import { leaksIn, processTrouble, SECRET_ENV } from './support/leak-check.js';

type Reply = { text: string };
type Outcome = { code: number; details: string; replies: string[] };

describe('handlers that fail: throw, reject, throw in a generator or an interceptor, never settle', () => {
  let proc: KrpcProcess;
  let client: ReturnType<typeof rawClient>;
  const messages: string[] = [];

  const unary = (method: string, deadlineMs = 5000): Promise<Outcome> =>
    new Promise((resolve) => {
      client[method]({ text: 'x' }, new Metadata(), { deadline: Date.now() + deadlineMs }, (e: ServiceError | null, r: Reply) => {
        if (e) messages.push(e.details);
        resolve(e ? { code: e.code, details: e.details, replies: [] } : { code: 0, details: '', replies: [r.text] });
      });
    });
  const stream = (method: string, requests: string[] | undefined, deadlineMs = 5000): Promise<Outcome> =>
    new Promise((resolve) => {
      const options = { deadline: Date.now() + deadlineMs };
      const call =
        requests === undefined ? client[method]({ text: 'x' }, new Metadata(), options) : client[method](new Metadata(), options);
      const replies: string[] = [];
      call.on('data', (r: Reply) => replies.push(r.text));
      call.on('error', (e: ServiceError) => {
        messages.push(e.details);
        resolve({ code: e.code, details: e.details, replies });
      });
      call.on('end', () => resolve({ code: 0, details: '', replies }));
      if (requests !== undefined) {
        for (const text of requests) call.write({ text });
        call.end();
      }
    });
  const upload = (method: string, requests: string[], deadlineMs = 5000): Promise<Outcome> =>
    new Promise((resolve) => {
      const call = client[method](new Metadata(), { deadline: Date.now() + deadlineMs }, (e: ServiceError | null, r: Reply) => {
        if (e) messages.push(e.details);
        resolve(e ? { code: e.code, details: e.details, replies: [] } : { code: 0, details: '', replies: [r.text] });
      });
      for (const text of requests) call.write({ text });
    });
  const stats = async (): Promise<FaultyStats> => JSON.parse((await unary('stats')).replies[0] as string) as FaultyStats;
  const healthy = async () => {
    expect(await unary('ok')).toEqual({ code: 0, details: '', replies: ['ok x'] });
    expect(proc.child.exitCode).toBeNull();
  };

  beforeAll(async () => {
    proc = spawnFaulty(SECRET_ENV);
    const { port } = await proc.waitForLog(/krpc-app listening/);
    const def = loadSync('proto/faulty.proto', { includeDirs: [FAULTY_APP] });
    client = rawClient(def, 'reliability.Faulty', port as number);
  });
  afterAll(async () => {
    client?.close();
    proc?.kill('SIGKILL');
    await proc?.exited;
  });

  it('answers INTERNAL "Internal error" for a handler that throws synchronously', async () => {
    expect(await unary('throwSync')).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    await healthy();
  });

  it('answers INTERNAL for a handler whose promise rejects', async () => {
    expect(await unary('reject')).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    await healthy();
  });

  it('ends a stream with INTERNAL when its async generator throws after a reply', async () => {
    expect(await stream('throwInGenerator', undefined)).toEqual({ code: Status.INTERNAL, details: 'Internal error', replies: ['one'] });
    await healthy();
  });

  it('answers INTERNAL when an interceptor throws synchronously (does not crash the process)', async () => {
    expect(await unary('throwInInterceptor')).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    await healthy();
  });

  it('answers INTERNAL for errors shaped like a gRPC status and for a throwing bidi stream', async () => {
    expect(await unary('leak')).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    expect(await unary('leakStatusLike')).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    expect(await stream('leakInStream', ['a', 'boom', 'c'])).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
    await healthy();
  });

  it('ends handlers that never settle at the deadline, and no longer counts them in flight', async () => {
    const before = await stats();
    const outcomes = await Promise.all([
      unary('neverSettles', 300),
      stream('neverEndingStream', undefined, 300),
      upload('neverEndingUpload', ['a'], 300),
    ]);
    expect(outcomes.map((o) => o.code)).toEqual([Status.DEADLINE_EXCEEDED, Status.DEADLINE_EXCEEDED, Status.DEADLINE_EXCEEDED]);
    const deadline = Date.now() + 5000;
    let after = await stats();
    while (after.inFlight !== 1 && Date.now() < deadline) after = await stats(); // the Stats call itself is in flight
    expect(after.started - before.started).toBe(3);
    expect(after.inFlight).toBe(1);
    await healthy();
  });

  it('sent no stack, path or secret in any status message, and logged no unhandled rejection', () => {
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const m of messages) expect(leaksIn(m), m).toEqual([]);
    expect(processTrouble(proc.stderr)).toEqual([]);
    expect(proc.stdout).not.toMatch(/unhandledRejection|uncaughtException/);
    // the handlers' errors are logged inside (with their stacks) — that is where they belong
    expect(proc.stdout).toContain('Unhandled error in FaultyService.throwSync');
  });
});

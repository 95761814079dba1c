import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSucceeds, requirePeer } from '../support/peers.js';
import { curl, PROBE_APP, postJson, startWebApp, type WebApp } from './support/web-app.js';

const hasCurl = requirePeer('curl', commandSucceeds('/usr/bin/curl', ['--version']), 'apt-get install curl');

const SAMPLE = {
  displayName: 'Ada',
  big: '9007199254740993',
  unsignedBig: '18446744073709551615',
  color: 'GREEN',
  blob: 'AAEC',
  at: '2026-12-02T01:00:00.500Z',
  took: '1.500s',
  extra: { a: [1, 'x', null, true] },
  maybe: 'perhaps',
  nums: [1, 2],
  counts: { k: 3 },
  number: 7,
};

describe.skipIf(!hasCurl)('curl against the web port of krpc-app start (Connect protocol)', () => {
  let app: WebApp;
  const url = (rpc: string) => `${app.base}/webtest.Probe/${rpc}`;

  beforeAll(async () => {
    app = await startWebApp(PROBE_APP, { KRPC_WEB: JSON.stringify({ maxBodyBytes: 64 * 1024 }) });
  });
  afterAll(async () => {
    await app?.proc.stop();
  });

  it('POSTs JSON to a unary rpc: canonical proto3 JSON back, the handler saw the gRPC port objects, the interceptor and metadata ran', async () => {
    const res = await postJson(url('Echo'), SAMPLE, ['-H', 'x-caller: curl-test']);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body);
    expect(body.sample).toEqual(SAMPLE);
    expect(body.caller).toBe('curl-test');
    // proto-loader's shape, as on the gRPC port: longs and enums as strings, Timestamps as messages, oneof virtual field
    const seen = JSON.parse(body.seen);
    expect(seen).toMatchObject({
      displayName: 'Ada',
      big: '9007199254740993',
      unsignedBig: '18446744073709551615',
      color: 'GREEN',
      blob: { type: 'Buffer', data: [0, 1, 2] },
      at: { seconds: '1796173200', nanos: 500_000_000 },
      took: { seconds: '1', nanos: 500_000_000 },
      maybe: { value: 'perhaps' },
      counts: { k: 3 },
      number: 7,
      choice: 'number',
    });
    expect(res.headers['trailer-x-intercepted']).toBe('Echo');
  });

  it('GETs a NO_SIDE_EFFECTS rpc, and refuses GET for one without it', async () => {
    const get = await curl([
      '-G',
      '--data-urlencode',
      'connect=v1',
      '--data-urlencode',
      'encoding=json',
      '--data-urlencode',
      `message=${JSON.stringify({ displayName: 'via GET' })}`,
      url('Echo'),
    ]);
    expect(get.status).toBe(200);
    expect(JSON.parse(get.body).sample).toEqual({ displayName: 'via GET' });
    const refused = await curl([
      '-G',
      '--data-urlencode',
      'connect=v1',
      '--data-urlencode',
      'encoding=json',
      '--data-urlencode',
      'message={}',
      url('Slow'),
    ]);
    expect(refused.status).toBe(405);
  });

  it('answers over h2c (prior knowledge) on the same port', async () => {
    const res = await postJson(url('Echo'), { displayName: 'h2' }, ['--http2-prior-knowledge']);
    expect(res.status).toBe(200);
    expect(res.headers['trailer-x-intercepted']).toBe('Echo');
    expect(JSON.parse(res.body).sample).toEqual({ displayName: 'h2' });
  });

  it('reads the Connect error JSON of an RpcError: code name, message, details, metadata as headers', async () => {
    const res = await postJson(url('Fail'), { how: 'rpc' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      code: 'failed_precondition',
      message: 'failing as asked',
      details: [{ type: 'google.protobuf.StringValue', value: 'CgNhYmM' }],
    });
    expect(res.headers['x-reason']).toBe('asked');
  });

  it('keeps an unexpected error generic on the wire', async () => {
    const res = await postJson(url('Fail'), { how: 'crash' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ code: 'internal', message: 'Internal error' });
    expect(res.body).not.toContain('passwd');
    await app.proc.waitForLog(/Unhandled error in Probe\.fail/);
  });

  it('enforces the caller deadline (connect-timeout-ms): deadline_exceeded, the handler aborted', async () => {
    const started = performance.now();
    const res = await postJson(url('Slow'), { ms: 20_000 }, ['-H', 'connect-timeout-ms: 300']);
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body)).toEqual({ code: 'deadline_exceeded', message: 'Deadline exceeded' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('turns bad input into invalid_argument, 415 or resource_exhausted with a clear message, and answers the next call', async () => {
    const unknown = await postJson(url('Echo'), { displayNam: 'typo' });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('"displayNam" is unknown'),
    });

    const malformed = await postJson(url('Echo'), '{"displayName":');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('cannot decode message webtest.Sample from JSON'),
    });

    const wrongType = await postJson(url('Echo'), { big: 'not a number' });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).code).toBe('invalid_argument');

    const plain = await curl(['-H', 'content-type: text/plain', '--data-binary', 'hello', url('Echo')]);
    expect(plain.status).toBe(415);

    const big = join(tmpdir(), `krpc-web-big-${process.pid}.json`);
    writeFileSync(big, JSON.stringify({ displayName: 'x'.repeat(100 * 1024) }));
    const oversized = await curl(['-H', 'content-type: application/json', '--data-binary', `@${big}`, url('Echo')]);
    expect(oversized.status).toBe(429);
    expect(JSON.parse(oversized.body)).toMatchObject({
      code: 'resource_exhausted',
      message: expect.stringContaining('larger than configured readMaxBytes 65536'),
    });

    const unimplementedPath = await postJson(`${app.base}/webtest.Probe/Nope`, {});
    expect(unimplementedPath.status).toBe(404);

    const next = await postJson(url('Echo'), { displayName: 'still here' });
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body).sample).toEqual({ displayName: 'still here' });
  });

  it('streams a server-streaming rpc over the Connect protocol (enveloped JSON, end-of-stream frame)', async () => {
    const request = JSON.stringify({ count: 3 });
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, request.length]), Buffer.from(request)]);
    const file = join(tmpdir(), `krpc-web-stream-${process.pid}.bin`);
    writeFileSync(file, frame);
    const res = await curl(['-H', 'content-type: application/connect+json', '--data-binary', `@${file}`, url('Ticks')]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/connect+json');
    const frames = envelopes(Buffer.from(res.body, 'latin1'));
    expect(frames.map((f) => f.flags)).toEqual([0, 0, 0, 2]);
    expect(frames.slice(0, 3).map((f) => f.text)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(JSON.parse(frames[3]?.text ?? '')).toEqual({ metadata: { 'x-intercepted': ['Ticks'] } });
  });
});

/** The Connect streaming envelopes (flags byte, 4-byte length, payload) of a response body. */
function envelopes(body: Buffer): { flags: number; text: string }[] {
  const frames: { flags: number; text: string }[] = [];
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    frames.push({ flags: body[at] as number, text: body.subarray(at + 5, at + 5 + length).toString('utf8') });
    at += 5 + length;
  }
  return frames;
}

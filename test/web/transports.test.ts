import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type CallOptions, Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, series } from '../runtime/support/prom-text.js';
import { requirePeer } from '../support/peers.js';
import { PROTOC, probeService, WKT_INCLUDE } from './support/probe-descriptors.js';
import { PROBE_APP, startWebApp, type WebApp } from './support/web-app.js';

const hasProtoc = requirePeer(
  'protoc',
  PROTOC !== undefined && WKT_INCLUDE !== undefined,
  'apt-get install protobuf-compiler python3-grpc-tools',
);

type Transport = ReturnType<typeof createGrpcWebTransport>;
type Init = Record<string, unknown>;
interface Sample {
  displayName: string;
  big: bigint;
  at?: { nanos: number };
  choice: unknown;
}
/** The typed client of webtest.Probe, written out: its descriptor comes from protoc at run time. */
interface ProbeClient {
  echo(request: Init, options?: CallOptions): Promise<{ sample?: Sample; seen: string; caller: string }>;
  slow(request: Init, options?: CallOptions): Promise<{ outcome: string }>;
  fail(request: Init, options?: CallOptions): Promise<{ outcome: string }>;
  ticks(request: Init, options?: CallOptions): AsyncIterable<{ n: number }>;
  upload(requests: AsyncIterable<Init>, options?: CallOptions): Promise<{ outcome: string }>;
}

describe.skipIf(!hasProtoc)('Connect and gRPC-Web clients (connect-node) against the web port', () => {
  let app: WebApp;
  let Probe: ReturnType<typeof probeService>;
  const transports: Record<string, () => Transport> = {
    'gRPC-Web over HTTP/1.1': () => createGrpcWebTransport({ baseUrl: app.base, httpVersion: '1.1' }),
    'gRPC-Web over h2c': () => createGrpcWebTransport({ baseUrl: app.base, httpVersion: '2' }),
    'Connect binary over h2c': () => createConnectTransport({ baseUrl: app.base, httpVersion: '2', useBinaryFormat: true }),
    'Connect JSON over HTTP/1.1': () => createConnectTransport({ baseUrl: app.base, httpVersion: '1.1' }),
  };

  beforeAll(async () => {
    Probe = probeService();
    app = await startWebApp(PROBE_APP, { KRPC_MAX_IN_FLIGHT: '2' });
  });
  afterAll(async () => {
    await app?.proc.stop();
  });

  for (const [name, make] of Object.entries(transports)) {
    it(`${name}: unary with well-known types, server streaming, RpcError with details, generic internal error, deadline`, async () => {
      const client = createClient(Probe, make()) as unknown as ProbeClient;
      const at = timestampFromDate(new Date('2026-12-02T01:00:00.5Z'));
      const reply = await client.echo(
        {
          displayName: 'Ada',
          big: 9007199254740993n,
          color: 2,
          blob: new Uint8Array([0, 1, 2]),
          at,
          maybe: 'perhaps',
          counts: { k: 3 },
          choice: { case: 'number', value: 7 },
        },
        { headers: { 'x-caller': name } },
      );
      expect(reply.sample?.displayName).toBe('Ada');
      expect(reply.sample?.big).toBe(9007199254740993n);
      expect(reply.sample?.at?.nanos).toBe(500_000_000);
      expect(reply.sample?.choice).toEqual({ case: 'number', value: 7 });
      expect(reply.caller).toBe(name);
      expect(JSON.parse(reply.seen)).toMatchObject({ big: '9007199254740993', color: 'GREEN', counts: { k: 3 }, choice: 'number' });

      const ticks: number[] = [];
      for await (const tick of client.ticks({ count: 4 })) ticks.push(tick.n);
      expect(ticks).toEqual([1, 2, 3, 4]);

      const failed = await client.fail({ how: 'rpc' }).catch((e: unknown) => ConnectError.from(e));
      expect(failed).toBeInstanceOf(ConnectError);
      const rpcError = failed as ConnectError;
      expect(rpcError.code).toBe(Code.FailedPrecondition);
      expect(rpcError.rawMessage).toBe('failing as asked');
      expect(rpcError.metadata.get('x-reason')).toBe('asked');
      expect(rpcError.details).toHaveLength(1);

      const crashed = ConnectError.from(await client.fail({ how: 'crash' }).catch((e: unknown) => e));
      expect(crashed.code).toBe(Code.Internal);
      expect(crashed.rawMessage).toBe('Internal error');

      const started = performance.now();
      const late = ConnectError.from(await client.slow({ ms: 20_000 }, { timeoutMs: 300 }).catch((e: unknown) => e));
      expect(late.code).toBe(Code.DeadlineExceeded);
      expect(performance.now() - started).toBeLessThan(10_000);
    });
  }

  it('gRPC-Web text (base64) answers with base64 frames and the status in a trailer frame', async () => {
    const request = toBinary(Probe.method.echo.input, create(Probe.method.echo.input, { displayName: 'text' }));
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, request.length]), request]);
    const res = await fetch(`${app.base}/webtest.Probe/Echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web-text', 'x-grpc-web': '1' },
      body: frame.toString('base64'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/grpc-web-text+proto');
    // one base64 segment per chunk written, each padded, as grpc-web clients read them (four characters at a time)
    const text = await res.text();
    const body = Buffer.concat(Array.from({ length: text.length / 4 }, (_, i) => Buffer.from(text.slice(i * 4, i * 4 + 4), 'base64')));
    const length = body.readUInt32BE(1);
    const message = fromBinary(Probe.method.echo.output, body.subarray(5, 5 + length)) as unknown as { sample?: Sample };
    expect(message.sample?.displayName).toBe('text');
    const trailer = body.subarray(5 + length);
    expect(trailer[0]).toBe(0x80);
    expect(trailer.subarray(5).toString()).toMatch(/grpc-status: ?0/);
  });

  it('client streams are refused on the web port with a clear unimplemented', async () => {
    const client = createClient(Probe, transports['Connect binary over h2c']?.() as Transport) as unknown as ProbeClient;
    const error = ConnectError.from(
      await client
        .upload(
          (async function* () {
            yield { n: 1 };
          })(),
        )
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe(Code.Unimplemented);
    expect(error.rawMessage).toContain('call it on the gRPC port');
  });

  it('shares the in-flight limiter with the gRPC port: over the limit, a web call is shed with resource_exhausted', async () => {
    const def = loadSync(`${PROBE_APP}/probe.proto`, {});
    const pkg = loadPackageDefinition(def) as unknown as {
      webtest: { Probe: new (t: string, c: unknown) => { slow(r: object, cb: (e: ServiceError | null) => void): void; close(): void } };
    };
    const grpcClient = new pkg.webtest.Probe(`127.0.0.1:${app.port}`, credentials.createInsecure());
    const web = createClient(Probe, createConnectTransport({ baseUrl: app.base, httpVersion: '1.1' })) as unknown as ProbeClient;
    const holds = [
      new Promise<void>((resolve) => grpcClient.slow({ ms: 1500 }, () => resolve())),
      web.slow({ ms: 1500 }).then(() => undefined),
    ];
    const metrics = `http://127.0.0.1:${app.runtimePort}/metrics`;
    const { waitFor } = await import('../support/fault-cluster/wait.mjs');
    await waitFor(async () => parseExposition(await (await fetch(metrics)).text()).get(series('krpc_server_in_flight_requests')) === 2, {
      what: 'two calls in flight',
      timeoutMs: 10_000,
    });
    const shed = ConnectError.from(await web.echo({ displayName: 'over' }).catch((e: unknown) => e));
    expect(shed.code).toBe(Code.ResourceExhausted);
    await Promise.all(holds);
    grpcClient.close();
    const after = await web.echo({ displayName: 'after' });
    expect(after.sample?.displayName).toBe('after');

    const text = await (await fetch(metrics)).text();
    const values = parseExposition(text);
    const labels = { grpc_service: 'webtest.Probe', grpc_method: 'Echo' };
    expect(values.get(series('krpc_web_handled_total', { ...labels, protocol: 'connect', grpc_code: 'RESOURCE_EXHAUSTED' }))).toBe(1);
    expect(values.get(series('krpc_web_handled_total', { ...labels, protocol: 'grpc_web', grpc_code: 'OK' }))).toBeGreaterThanOrEqual(2);
    expect(values.get(series('grpc_server_handled_total', { ...labels, grpc_type: 'unary', grpc_code: 'OK' }))).toBeGreaterThanOrEqual(5);
  });
});

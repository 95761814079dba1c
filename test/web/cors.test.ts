import { cors } from '@connectrpc/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, series } from '../runtime/support/prom-text.js';
import { commandSucceeds, requirePeer } from '../support/peers.js';
import { curl, PROBE_APP, postJson, startWebApp, type WebApp } from './support/web-app.js';

const hasCurl = requirePeer('curl', commandSucceeds('/usr/bin/curl', ['--version']), 'apt-get install curl');
const ALLOWED = 'https://app.example.com';

describe.skipIf(!hasCurl)('CORS on the web port (curl)', () => {
  let app: WebApp;
  const url = () => `${app.base}/webtest.Probe/Echo`;

  beforeAll(async () => {
    app = await startWebApp(PROBE_APP, {
      KRPC_WEB: JSON.stringify({ corsOrigins: [ALLOWED], corsAllowedHeaders: ['x-caller'], corsExposedHeaders: ['trailer-x-intercepted'] }),
    });
  });
  afterAll(async () => {
    await app?.proc.stop();
  });

  const preflight = (origin: string) =>
    curl([
      '-X',
      'OPTIONS',
      '-H',
      `Origin: ${origin}`,
      '-H',
      'Access-Control-Request-Method: POST',
      '-H',
      'Access-Control-Request-Headers: content-type,connect-protocol-version,x-caller',
      url(),
    ]);

  it('answers the preflight of an allowed origin with the Connect, gRPC-Web and app headers', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toBe(cors.allowedMethods.join(', '));
    const allowed = res.headers['access-control-allow-headers']?.split(', ') ?? [];
    expect(allowed).toEqual(expect.arrayContaining([...cors.allowedHeaders, 'x-caller']));
    expect(res.headers['access-control-max-age']).toBe('7200');
    expect(res.headers.vary).toBe('Origin');
  });

  it('exposes the protocol and app headers on an allowed call', async () => {
    const res = await postJson(url(), { displayName: 'cors' }, ['-H', `Origin: ${ALLOWED}`]);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-expose-headers']?.split(', ')).toEqual(
      expect.arrayContaining([...cors.exposedHeaders, 'trailer-x-intercepted']),
    );
  });

  it('refuses another origin with 403, preflight or call, before any handler runs, and serves calls without Origin (curl, servers)', async () => {
    const handled = async () => {
      const values = parseExposition(await (await fetch(`http://127.0.0.1:${app.runtimePort}/metrics`)).text());
      return values.get(series('grpc_server_started_total', { grpc_type: 'unary', grpc_service: 'webtest.Probe', grpc_method: 'Echo' }));
    };
    const before = await handled();
    const refusedPreflight = await preflight('https://evil.example.com');
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const refusedCall = await postJson(url(), { displayName: 'evil' }, ['-H', 'Origin: https://evil.example.com']);
    expect(refusedCall.status).toBe(403);
    expect(refusedCall.body).toContain('web.corsOrigins');
    expect(await handled()).toBe(before);
    const plain = await postJson(url(), { displayName: 'no origin' });
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });
});

import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../samples/web/generate.mjs';
import { type KrpcProcess, spawnNode } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { PROTOC, WKT_INCLUDE } from './support/probe-descriptors.js';
import { PROBE_APP, startWebApp, type WebApp } from './support/web-app.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const hasPeers =
  requirePeer('chromium', CHROMIUM !== undefined, 'apt-get install chromium') &&
  requirePeer('protoc', PROTOC !== undefined && WKT_INCLUDE !== undefined, 'apt-get install protobuf-compiler python3-grpc-tools');

interface Outcome {
  ok: boolean;
  value?: unknown;
  code?: string;
  message?: string;
}

describe.skipIf(!hasPeers)('a real browser (headless Chromium) calling the greeter through @connectrpc/connect-web', () => {
  let page: KrpcProcess;
  let pagePort: number;
  let greeter: WebApp;
  let probe: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    const extra = mkdtempSync(join(tmpdir(), 'krpc-web-page-'));
    generate(join(PROBE_APP, 'probe.proto'), extra, [WKT_INCLUDE]);
    for (const file of ['probe-checks.js', 'google-grpc-web-checks.js'])
      copyFileSync(`test/web/fixtures/browser/${file}`, join(extra, file));
    page = spawnNode(['samples/web/serve.mjs', '0'], { SAMPLE_EXTRA_DIR: extra });
    pagePort = (await page.waitForLog((line) => typeof line.port === 'number')).port as number;
    const origins = [`http://127.0.0.1:${pagePort}`];
    // the app's own trailer is a header in Connect unary responses: a browser reads it only once exposed
    const probeWeb = { corsOrigins: origins, corsExposedHeaders: ['trailer-x-intercepted'] };
    [greeter, probe] = await Promise.all([
      startWebApp('samples/greeter', { KRPC_WEB: JSON.stringify({ corsOrigins: origins }) }),
      startWebApp(PROBE_APP, { KRPC_WEB: JSON.stringify(probeWeb) }),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([greeter?.proc.stop(), probe?.proc.stop(), page?.stop()]);
  });

  const open = async (origin: string) => {
    const tab = await browser.newPage();
    await tab.goto(`${origin}/?api=${greeter.base}`);
    await tab.waitForFunction(() => typeof (globalThis as unknown as { greeterChecks?: unknown }).greeterChecks === 'function');
    return tab;
  };

  it('calls unary and server streaming over Connect JSON, Connect binary and gRPC-Web, and reads an error status, cross-origin (CORS allowed)', async () => {
    const tab = await open(`http://127.0.0.1:${pagePort}`);
    const methods = new Set<string>();
    tab.on('request', (request) => {
      if (request.url().startsWith(`${greeter.base}/helloworld.Greeter/SayHello`)) methods.add(request.method());
    });
    const results = (await tab.evaluate(
      (api) => (globalThis as unknown as { greeterChecks(api: string): Promise<unknown> }).greeterChecks(api),
      greeter.base,
    )) as Record<string, Record<string, Outcome>>;
    // SayHello is NO_SIDE_EFFECTS: the Connect transport GETs it (useHttpGet), gRPC-Web POSTs
    expect(methods).toEqual(new Set(['GET', 'POST']));
    for (const kind of ['connect-json', 'connect-binary', 'grpc-web']) {
      expect(results[kind]?.unary).toEqual({ ok: true, value: `Hello ${kind}` });
      expect(results[kind]?.stream).toEqual({ ok: true, value: [1, 2, 3].map((n) => `Hello ${kind} #${n}`) });
      expect(results[kind]?.error).toEqual({ ok: false, code: 'InvalidArgument', message: 'name is required' });
    }
    await tab.close();
  });

  it('keeps a deadline, reads trailers and the proto3 JSON of well-known types from the browser', async () => {
    const tab = await open(`http://127.0.0.1:${pagePort}`);
    // a string, so that the test runner's transform leaves the page's dynamic import alone
    const results = (await tab.evaluate(
      `import('/extra/probe-checks.js').then((checks) => checks.run(${JSON.stringify(probe.base)}))`,
    )) as Record<string, Record<string, Outcome & number>>;
    for (const kind of ['connect-json', 'grpc-web']) {
      const r = results[kind] as Record<string, Outcome>;
      expect(r.deadline).toMatchObject({ ok: false, code: 'DeadlineExceeded' });
      expect(r.deadlineMs as unknown as number).toBeLessThan(10_000);
      expect(r.echo).toMatchObject({
        ok: true,
        value: { displayName: 'browser', big: '9007199254740993', seen: { big: '9007199254740993', at: { seconds: '1796173200' } } },
      });
      expect(r.trailer).toEqual({ ok: true, value: 'Echo' });
    }
    await tab.close();
  });

  it("Google's grpc-web client (text and binary mode) calls unary and server streaming and reads an error status", async () => {
    const tab = await open(`http://127.0.0.1:${pagePort}`);
    const types = new Set<string>();
    tab.on('request', (request) => {
      if (request.url().startsWith(greeter.base)) types.add(request.headers()['content-type'] ?? '');
    });
    const results = (await tab.evaluate(
      `import('/extra/google-grpc-web-checks.js').then((checks) => checks.run(${JSON.stringify(greeter.base)}))`,
    )) as Record<string, Record<string, Outcome>>;
    for (const format of ['text', 'binary']) {
      expect(results[format]?.unary).toEqual({ ok: true, value: `Hello google ${format}` });
      expect(results[format]?.stream).toEqual({ ok: true, value: [1, 2, 3].map((n) => `Hello google ${format} #${n}`) });
      expect(results[format]?.error).toEqual({ ok: false, code: 3, message: 'name is required' });
    }
    expect(types).toEqual(new Set(['application/grpc-web-text', 'application/grpc-web+proto']));
    await tab.close();
  });

  it('refuses calls from an origin CORS does not allow: every request fails in the browser', async () => {
    const tab = await open(`http://localhost:${pagePort}`);
    const failed: string[] = [];
    tab.on('requestfailed', (request) => {
      if (request.url().startsWith(greeter.base)) failed.push(request.failure()?.errorText ?? '');
    });
    const results = (await tab.evaluate(
      (api) => (globalThis as unknown as { greeterChecks(api: string): Promise<unknown> }).greeterChecks(api),
      greeter.base,
    )) as Record<string, Record<string, Outcome>>;
    for (const kind of ['connect-json', 'connect-binary', 'grpc-web']) {
      expect(results[kind]?.unary?.ok).toBe(false);
      expect(results[kind]?.unary?.code).toBe('Unknown');
    }
    expect(failed.length).toBeGreaterThanOrEqual(9);
    await tab.close();
  });
});

import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/index.js';
import { Runtime } from '../../src/runtime/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { CallsModule, type CallsService } from './support/calls-app.js';
import { parseExposition, series } from './support/prom-text.js';

describe('grpc_client_* metrics through the real client layer', () => {
  let runtime: Runtime;
  let t: TestApp;
  beforeAll(async () => {
    runtime = new Runtime({ logger: silentLogger(), registry: new Registry(), env: {}, http: false });
    t = await createTestApp(CallsModule, {
      logger: silentLogger(),
      observers: runtime.observers,
      globalProviders: runtime.providers,
      testClients: { observers: runtime.clientObservers },
    });
  });
  afterAll(async () => {
    await t?.close();
    await runtime?.close();
  });

  it('counts outgoing calls per code next to the server side', async () => {
    const calls = t.client<CallsService>('test.calls.Calls');
    await calls.echo({ text: 'a' });
    await calls.echo({ text: 'b' });
    await expect(calls.fail({})).rejects.toMatchObject({ code: 5 });
    const v = parseExposition(await runtime.registry.metrics());
    const echo = { grpc_type: 'unary', grpc_service: 'test.calls.Calls', grpc_method: 'Echo' };
    const fail = { ...echo, grpc_method: 'Fail' };
    expect(v.get(series('grpc_client_started_total', echo))).toBe(2);
    expect(v.get(series('grpc_client_handled_total', { ...echo, grpc_code: 'OK' }))).toBe(2);
    expect(v.get(series('grpc_client_handled_total', { ...fail, grpc_code: 'NOT_FOUND' }))).toBe(1);
    expect(v.get(series('grpc_client_handling_seconds_count', echo))).toBe(2);
    expect(v.get(series('grpc_client_msg_sent_total', echo))).toBe(2);
    expect(v.get(series('grpc_client_msg_received_total', echo))).toBe(2);
    expect(v.get(series('grpc_server_handled_total', { ...fail, grpc_code: 'NOT_FOUND' }))).toBe(1);
  });
});

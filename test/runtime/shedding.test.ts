import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { bootCallsApp, Gate } from './support/calls-app.js';
import { callsClient, unary } from './support/grpc-clients.js';
import { parseExposition, series } from './support/prom-text.js';

const N = 3;
const K = 4;

describe('load shedding', () => {
  let runtime: Runtime;
  let app: RpcApplication;
  let client: ReturnType<typeof callsClient>;
  let metricsPort: number | undefined;

  beforeAll(async () => {
    const booted = await bootCallsApp({ env: { KRPC_MAX_IN_FLIGHT: String(N) } });
    ({ runtime, app } = booted);
    metricsPort = booted.httpPort;
    client = callsClient(booted.port);
    runtime.markReady();
  });
  afterAll(async () => {
    client?.close();
    await app?.close({ timeoutMs: 100 });
    await runtime?.close();
  });

  it(`with the limit at ${N} and ${N + K} calls held open, exactly ${K} get RESOURCE_EXHAUSTED`, async () => {
    expect(runtime.settings.maxInFlight).toBe(N);
    const gate = app.container.get(Gate);
    const codes: number[] = [];
    const calls = Array.from({ length: N + K }, () => unary(client, 'wait', {}).then((r) => codes.push(r.code)));
    await waitFor(() => gate.waiting === N && codes.length === K, { what: `${N} held and ${K} shed`, timeoutMs: 10_000 });
    expect(codes).toEqual(Array(K).fill(8));
    expect(runtime.limiter.current).toBe(N);

    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const v = parseExposition(text);
    const labels = { grpc_type: 'unary', grpc_service: 'test.calls.Calls', grpc_method: 'Wait' };
    expect(v.get(series('krpc_server_shed_total', labels))).toBe(K);
    expect(v.get(series('krpc_server_in_flight_requests'))).toBe(N);
    expect(v.get(series('grpc_server_handled_total', { ...labels, grpc_code: 'RESOURCE_EXHAUSTED' }))).toBe(K);
    expect(v.get(series('grpc_server_started_total', labels))).toBe(N + K);

    gate.releaseAll();
    await Promise.all(calls);
    expect(codes.filter((c) => c === 0)).toHaveLength(N);
    expect(runtime.limiter.current).toBe(0);
    expect((await unary(client, 'echo', {})).code).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { type KrpcProcess, spawnProcess } from '../support/krpc-process.js';
import { commandSucceeds, requirePeer } from '../support/peers.js';
import { bootCallsApp, Gate } from './support/calls-app.js';
import { freePort } from './support/free-port.js';
import { callsClient, unary } from './support/grpc-clients.js';

const PROMETHEUS = '/usr/bin/prometheus';
const available = requirePeer('prometheus', commandSucceeds(PROMETHEUS, ['--version']), 'apt-get install -y prometheus');

type QueryResult = { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };

describe.skipIf(!available)('a real Prometheus scraping /metrics', () => {
  let runtime: Runtime;
  let app: RpcApplication;
  let client: ReturnType<typeof callsClient>;
  let prometheus: KrpcProcess | undefined;
  let promPort: number;
  let dir: string;
  let load = true;
  let loadDone: Promise<void> = Promise.resolve();
  const held: Promise<unknown>[] = [];

  beforeAll(async () => {
    const booted = await bootCallsApp();
    ({ runtime, app } = booted);
    const metricsPort = booted.httpPort;
    client = callsClient(booted.port);
    runtime.markReady();

    dir = mkdtempSync(join(tmpdir(), 'krpc-prometheus-'));
    const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: krpc\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`;
    writeFileSync(join(dir, 'prometheus.yml'), config);
    promPort = await freePort();
    prometheus = spawnProcess(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${promPort}/-/ready`).catch(() => undefined))?.status === 200, {
      what: 'Prometheus to be ready',
      timeoutMs: 60_000,
    });
  });
  afterAll(async () => {
    load = false;
    await loadDone;
    app?.container.get(Gate).releaseAll();
    await Promise.all(held);
    if (prometheus) {
      prometheus.kill('SIGTERM');
      await prometheus.exited;
    }
    client?.close();
    await app?.close({ timeoutMs: 100 });
    await runtime?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const query = async (promql: string) => {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return (await res.json()) as QueryResult;
  };

  it('returns the request rate and the in-flight gauge an HPA would read through PromQL', async () => {
    const gate = app.container.get(Gate);
    for (let i = 0; i < 3; i++) held.push(unary(client, 'wait', {}));
    await waitFor(() => gate.waiting === 3, { what: 'three held calls', timeoutMs: 10_000 });
    loadDone = (async () => {
      while (load) {
        await unary(client, 'echo', { text: 'load' });
        await new Promise((r) => setTimeout(r, 5)); // steady load, not synchronization
      }
    })();

    const rateQuery = 'sum(rate(grpc_server_handled_total{job="krpc",grpc_method="Echo",grpc_code="OK"}[10s]))';
    const inFlightQuery = 'sum(krpc_server_in_flight_requests{job="krpc"})';
    let rate = 0;
    let inFlight = Number.NaN;
    await waitFor(
      async () => {
        const [r, f] = await Promise.all([query(rateQuery), query(inFlightQuery)]);
        rate = Number(r.data.result[0]?.value[1] ?? 0);
        inFlight = Number(f.data.result[0]?.value[1] ?? Number.NaN);
        return rate > 0 && inFlight === 3;
      },
      { what: 'Prometheus to report a request rate and 3 in-flight calls', timeoutMs: 60_000 },
    );
    expect(rate).toBeGreaterThan(0);
    expect(inFlight).toBe(3);
    const up = await query('up{job="krpc"}');
    expect(up.data.result[0]?.value[1]).toBe('1');
    const elu = await query('krpc_event_loop_utilization{job="krpc"}');
    expect(Number(elu.data.result[0]?.value[1])).toBeGreaterThanOrEqual(0);
    console.info(`PromQL: request rate ${rate.toFixed(1)}/s, in-flight ${inFlight}`);
  });
});

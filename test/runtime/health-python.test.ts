import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { type KrpcProcess, spawnProcess } from '../support/krpc-process.js';
import { commandSucceeds, requirePeer } from '../support/peers.js';
import { bootCallsApp } from './support/calls-app.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = 'test/runtime/fixtures/health_probe.py';
const available = requirePeer('python3-grpcio', commandSucceeds(PYTHON, ['-c', 'import grpc']), 'apt-get install -y python3-grpcio');

describe.skipIf(!available)('grpc.health.v1 from Python grpcio', () => {
  let runtime: Runtime;
  let app: RpcApplication;
  let port: number;
  const children: KrpcProcess[] = [];

  const python = (...args: string[]) => {
    const child = spawnProcess(PYTHON, [SCRIPT, String(port), ...args]);
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    ({ runtime, app, port } = await bootCallsApp({ http: false }));
  });
  afterAll(async () => {
    for (const child of children) await child.stop();
    await app?.close({ timeoutMs: 100 });
    await runtime?.close();
  });

  it('Check follows starting → serving', async () => {
    const names = ['', 'test.calls.Calls', 'liveness', 'readiness', 'no.such.Service'];
    const before = await python('check', ...names).waitForLog(() => true);
    expect(before).toEqual({
      '': 'NOT_SERVING',
      'test.calls.Calls': 'NOT_SERVING',
      liveness: 'SERVING',
      readiness: 'NOT_SERVING',
      'no.such.Service': 'error:NOT_FOUND',
    });
    runtime.markReady();
    const after = await python('check', ...names).waitForLog(() => true);
    expect(after).toEqual({
      '': 'SERVING',
      'test.calls.Calls': 'SERVING',
      liveness: 'SERVING',
      readiness: 'SERVING',
      'no.such.Service': 'error:NOT_FOUND',
    });
  });

  it('Watch sees NOT_SERVING when draining starts, then the stream ends UNAVAILABLE', async () => {
    const watch = python('watch', 'readiness');
    await watch.waitForLog((l) => l.status === 'SERVING');
    await runtime.drain(app);
    await watch.waitForLog((l) => l.end !== undefined);
    expect(watch.lines).toEqual([{ status: 'SERVING' }, { status: 'NOT_SERVING' }, { end: 'UNAVAILABLE' }]);
    expect((await watch.exit).code).toBe(0);
  });
});

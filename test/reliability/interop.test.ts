import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KrpcProcess, ROOT, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { PYTHON, pythonHas } from '../support/python.js';
import { generatePythonStubs } from './support/interop-stubs.js';

const run = promisify(execFile);
const hasPeer = requirePeer(
  'python3-grpcio + python3-grpc-tools',
  pythonHas('grpc', 'grpc_tools.protoc'),
  'apt-get install -y python3-grpcio python3-grpc-tools',
);

const CASES = [
  'empty_unary',
  'large_unary',
  'client_streaming',
  'server_streaming',
  'ping_pong',
  'empty_stream',
  'custom_metadata',
  'status_code_and_message',
  'special_status_message',
  'unimplemented_method',
  'unimplemented_service',
  'cancel_after_begin',
  'cancel_after_first_response',
  'timeout_on_sleeping_server',
];

describe.skipIf(!hasPeer)('gRPC interop: samples/interop under krpc-app start, Python grpcio as the client', () => {
  let proc: KrpcProcess;
  let port: number;
  let stubs: string;

  beforeAll(async () => {
    stubs = generatePythonStubs();
    proc = spawnKrpc(['start', 'samples/interop', '--host', '127.0.0.1'], { KRPC_PORT: '0', KRPC_RUNTIME_PORT: '0' });
    port = (await proc.waitForLog(/krpc-app listening/)).port as number;
  });
  afterAll(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    if (stubs) rmSync(stubs, { recursive: true, force: true });
  });

  it('passes every interop case', async () => {
    const script = join(ROOT, 'test/reliability/python/interop_client.py');
    const { stdout } = await run(PYTHON, [script, stubs, `127.0.0.1:${port}`], { timeout: 60_000 });
    const results = JSON.parse(stdout) as Record<string, { passed: boolean; error: string }>;
    expect(Object.keys(results).sort()).toEqual([...CASES].sort());
    const failed = Object.entries(results).filter(([, r]) => !r.passed);
    expect(failed, failed.map(([name, r]) => `${name}: ${r.error}`).join('\n')).toEqual([]);
    expect(proc.child.exitCode).toBeNull();
  });

  it('exits 0 on SIGTERM after the interop run', async () => {
    proc.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout).not.toMatch(/unhandled/i);
  });
});

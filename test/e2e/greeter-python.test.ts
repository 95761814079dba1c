import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type KrpcProcess, ROOT, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { PYTHON, pythonHas } from '../support/python.js';

const run = promisify(execFile);
const hasGrpcio = requirePeer('python3-grpcio', pythonHas('grpc'), 'apt-get install -y python3-grpcio');

describe.skipIf(!hasGrpcio)('samples/greeter under krpc-app start, called from Python grpcio', () => {
  let proc: KrpcProcess | undefined;
  afterAll(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
  });

  it('answers every call kind and the error statuses, then exits 0 on SIGTERM', async () => {
    proc = spawnKrpc(['start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0'], { KRPC_RUNTIME_PORT: '0' });
    const { port } = await proc.waitForLog(/listening/);
    const { stdout } = await run(PYTHON, [join(ROOT, 'test/support/python/greeter_client.py'), `127.0.0.1:${port}`], { timeout: 60_000 });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.sayHello).toBe('Hello Python');
    expect(result.sayHelloAgain).toBe('Hello Python, again');
    expect(result.stream).toEqual(['Hello Stream #1', 'Hello Stream #2', 'Hello Stream #3']);
    expect(result.bidi).toEqual(['Hello A', 'Hello B']);
    expect(result.emptyName).toEqual({ code: 'INVALID_ARGUMENT', details: 'name is required' });
    expect(result.unknownMethod).toEqual({ code: 'UNIMPLEMENTED' });
    proc.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});

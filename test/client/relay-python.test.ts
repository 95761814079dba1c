import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KrpcProcess, ROOT, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { PYTHON, pythonHas } from '../support/python.js';

// The samples import 'kubernetes-rpc' (dist/src), so the in-process harness must be the same
// build's (kubernetes-rpc/testing), or the process would hold two copies of the framework.
interface TestAppLike {
  readonly target: string;
  close(): Promise<void>;
}
type CreateTestApp = (module: unknown, options: Record<string, unknown>) => Promise<TestAppLike>;

const run = promisify(execFile);
const hasGrpcio = requirePeer('python3-grpcio', pythonHas('grpc'), 'apt-get install -y python3-grpcio');

async function load<T>(file: string, name: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, file)).href))[name] as T;
}

async function callRelay(target: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(PYTHON, [join(ROOT, 'test/support/python/greeter_client.py'), target], { timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

function expectRelayed(result: Record<string, unknown>): void {
  expect(result.sayHello).toBe('relayed: Hello Python');
  expect(result.sayHelloAgain).toBe('relayed: Hello Python, again');
  expect(result.stream).toEqual(['relayed: Hello Stream #1', 'relayed: Hello Stream #2', 'relayed: Hello Stream #3']);
  expect(result.bidi).toEqual(['relayed: Hello A', 'relayed: Hello B']);
  // the downstream's INVALID_ARGUMENT comes back through the relay unchanged
  expect(result.emptyName).toEqual({ code: 'INVALID_ARGUMENT', details: 'name is required' });
  expect(result.unknownMethod).toEqual({ code: 'UNIMPLEMENTED' });
}

describe.skipIf(!hasGrpcio)('samples/relay called from Python grpcio, relaying to samples/greeter', () => {
  let greeter: TestAppLike;
  let createTestApp: CreateTestApp;
  beforeAll(async () => {
    createTestApp = await load<CreateTestApp>('dist/src/testing/index.js', 'createTestApp');
    greeter = await createTestApp(await load('samples/greeter/dist/app.module.js', 'AppModule'), { root: join(ROOT, 'samples/greeter') });
  });
  afterAll(() => greeter?.close());

  it('in-process (kubernetes-rpc/testing), downstream target from KRPC_TARGET_HELLOWORLD_GREETER', async () => {
    const relay = await createTestApp(await load('samples/relay/dist/app.module.js', 'AppModule'), {
      root: join(ROOT, 'samples/relay'),
      clients: { env: { KRPC_TARGET_HELLOWORLD_GREETER: greeter.target } },
    });
    try {
      expectRelayed(await callRelay(relay.target));
    } finally {
      await relay.close();
    }
  });

  describe('under `krpc-app start samples/relay`', () => {
    let proc: KrpcProcess | undefined;
    afterAll(async () => {
      proc?.kill('SIGKILL');
      await proc?.exited;
    });
    it('relays every call kind, then exits 0 on SIGTERM', async () => {
      proc = spawnKrpc(['start', 'samples/relay', '--host', '127.0.0.1', '--port', '0'], {
        KRPC_RUNTIME_PORT: '0',
        KRPC_TARGET_HELLOWORLD_GREETER: greeter.target,
      });
      const { port } = await proc.waitForLog(/listening/);
      expectRelayed(await callRelay(`127.0.0.1:${port}`));
      proc.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    });
  });
});

import { type ClientDuplexStream, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { bootCallsApp } from './support/calls-app.js';

const PROTO = 'node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto';
type Reply = { list_services_response?: { service: { name: string }[] }; error_response?: { error_code: number } };
type ReflectionClient = { serverReflectionInfo(): ClientDuplexStream<object, Reply>; close(): void };

async function listServices(port: number): Promise<string[] | number> {
  const pkg = loadPackageDefinition(loadSync(PROTO, { keepCase: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (t: string, c: unknown) => ReflectionClient } } };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await new Promise((resolve) => {
      const stream = client.serverReflectionInfo();
      stream.on('data', (reply: Reply) => {
        resolve(reply.list_services_response?.service.map((s) => s.name).sort() ?? []);
        stream.end();
      });
      stream.on('error', (e: { code: number }) => resolve(e.code));
      stream.write({ list_services: '*' });
    });
  } finally {
    client.close();
  }
}

describe('gRPC reflection', () => {
  const apps: RpcApplication[] = [];
  const runtimes: Runtime[] = [];
  const boot = async (reflection: boolean) => {
    const { runtime, app, port } = await bootCallsApp({ http: false, reflection });
    apps.push(app);
    runtimes.push(runtime);
    return port;
  };
  let on: number;
  let off: number;
  beforeAll(async () => {
    [on, off] = await Promise.all([boot(true), boot(false)]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close({ timeoutMs: 100 });
    for (const runtime of runtimes) await runtime.close();
  });

  it('lists the app services and grpc.health.v1.Health when on', async () => {
    expect(await listServices(on)).toEqual(['grpc.health.v1.Health', 'test.calls.Calls']);
  });

  it('is not served when off', async () => {
    expect(await listServices(off)).toBe(12);
  });
});

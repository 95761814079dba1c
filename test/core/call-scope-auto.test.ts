// The default call scope (`callScope: 'auto'`) on real servers, decided per app: an app without
// clients keeps RpcContext.current() to the synchronous part of a handler (and says so once); an
// app with clients in the same process follows its calls across awaits, without changing the first.
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientLayer } from '../../src/client/index.js';
import { Module } from '../../src/decorators/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { memoryLogger } from '../support/memory-logger.js';
import { rawClient } from '../support/raw-client.js';
import { CallsModule, type Msg, seen } from './fixtures.js';

@Module({ imports: [CallsModule], clients: [{ service: 'test.calls.Calls', target: '127.0.0.1:1' }] })
class ModuleWithClients {}

type Echo = (req: Partial<Msg>, md: Metadata, opts: object, cb: (err: ServiceError | null, res: Msg) => void) => void;

const logger = memoryLogger();
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
let app: RpcApplication;
let echo: Echo;
let close: () => void;

beforeAll(async () => {
  process.on('warning', onWarning);
  app = await RpcApplication.create(CallsModule, { logger });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = rawClient(app.protos.packageDefinition, 'test.calls.Calls', port) as unknown as { echo: Echo; close(): void };
  echo = client.echo.bind(client);
  close = () => client.close();
});
afterAll(async () => {
  process.off('warning', onWarning);
  close();
  await app.close();
});
beforeEach(() => seen.reset());

function callEcho(via: Echo = echo): Promise<Msg> {
  const md = new Metadata();
  md.set('x-in', 'abc');
  return new Promise((resolve, reject) => via({ text: 'hi', n: 1 }, md, {}, (err, res) => (err ? reject(err) : resolve(res))));
}

describe("callScope 'auto' (the default)", () => {
  it('without clients: RpcContext.current() is gone after an await, with one warning naming the fix', async () => {
    await callEcho();
    await callEcho();
    expect(seen.currentFromHelper).toEqual([undefined, undefined]);
    const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'KRPC_CALL_SCOPE');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.message).toMatch(/callScope: "async" \(KRPC_CALL_SCOPE=async\)/);
  });

  it('an app with clients follows its calls across awaits, and the app without keeps its own mode', async () => {
    const withClients = await RpcApplication.create(ModuleWithClients, { logger, clients: createClientLayer() });
    const { port } = await withClients.listen({ host: '127.0.0.1', port: 0 });
    const client = rawClient(withClients.protos.packageDefinition, 'test.calls.Calls', port) as unknown as { echo: Echo; close(): void };
    try {
      await callEcho(client.echo.bind(client));
      expect(seen.currentFromHelper).toEqual(['abc']);
      await callEcho();
      expect(seen.currentFromHelper).toEqual(['abc', undefined]);
    } finally {
      client.close();
      await withClients.close();
    }
  });
});

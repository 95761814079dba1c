// Channelz is off by default on the app's server and on client channels (grpc-js's per-call
// bookkeeping for it costs on every call; docs/performance.md), and one option turns it back on.
import { getChannelzHandlers, Metadata, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { createClientLayer } from '../../src/client/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { memoryLogger } from '../support/memory-logger.js';
import { rawClient } from '../support/raw-client.js';
import { CallsModule, type Msg } from './fixtures.js';

type Echo = (req: Partial<Msg>, md: Metadata, opts: object, cb: (err: ServiceError | null, res: Msg) => void) => void;
type ChannelzReply = {
  code?: number;
  server?: { data: { calls_started: number | string } };
  channel?: Array<{ data: { target: string } }>;
};

/** Calls a channelz handler as the channelz service would (grpc-js's own implementation). */
function channelz(method: 'GetServer' | 'GetTopChannels', request: object): Promise<ChannelzReply> {
  const handler = getChannelzHandlers()[method] as unknown as (
    call: { request: object },
    cb: (e: { code: number } | null, r?: object) => void,
  ) => void;
  return new Promise((resolve) => handler({ request }, (error, reply) => resolve(error ? { code: error.code } : (reply as ChannelzReply))));
}

async function serveOneCall(serverOptions?: Record<string, number>) {
  const app = await RpcApplication.create(CallsModule, { logger: memoryLogger(), serverOptions });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = rawClient(app.protos.packageDefinition, 'test.calls.Calls', port) as unknown as { echo: Echo; close(): void };
  try {
    await new Promise<void>((resolve, reject) => client.echo({ text: 'hi' }, new Metadata(), {}, (err) => (err ? reject(err) : resolve())));
    return await channelz('GetServer', { server_id: String(app.server.getChannelzRef().id) });
  } finally {
    client.close();
    await app.close();
  }
}

describe('channelz', () => {
  it('is off on the server by default, and `grpc.enable_channelz: 1` in serverOptions turns it on', async () => {
    expect((await serveOneCall()).code).toBe(5); // NOT_FOUND: the server is not tracked
    const on = await serveOneCall({ 'grpc.enable_channelz': 1 });
    expect(Number(on.server?.data.calls_started)).toBe(1);
  });

  it('is off on client channels by default, and `grpc.enable_channelz: 1` in channelOptions turns it on', async () => {
    const targets = async () => ((await channelz('GetTopChannels', { start_channel_id: '0' })).channel ?? []).map((c) => c.data.target);
    const off = createClientLayer({ services: { 'test.calls.Calls': { target: '127.0.0.1:1' } }, env: {} });
    const on = createClientLayer({
      services: { 'test.calls.Calls': { target: '127.0.0.2:1' } },
      channelOptions: { 'grpc.enable_channelz': 1 },
      env: {},
    });
    const app = await RpcApplication.create(CallsModule, { logger: memoryLogger() });
    try {
      off.setup(app.protos, []);
      on.setup(app.protos, []);
      const tracked = await targets();
      expect(tracked.some((t) => t.includes('127.0.0.2:1'))).toBe(true);
      expect(tracked.some((t) => t.includes('127.0.0.1:1'))).toBe(false);
    } finally {
      off.close();
      on.close();
      await app.close();
    }
  });
});

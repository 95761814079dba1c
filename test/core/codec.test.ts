// Messages on the wire: a plain grpc-js client talks to an app (both with proto-loader's codec);
// every field shape arrives and returns intact, odd handler values get proto-loader's
// conversions, and a reply that cannot be encoded is INTERNAL with the process still serving.
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { memoryLogger } from '../support/memory-logger.js';
import { rawClient } from '../support/raw-client.js';

type Everything = Record<string, unknown>;

@RpcService('test.codec.Codec')
class CodecService {
  @RpcMethod()
  echo(req: Everything): Everything {
    return req;
  }

  @RpcMethod()
  async *repeat(req: Everything): AsyncIterable<Everything> {
    for (let i = 0; i < 3; i++) yield { ...req, count: i };
  }

  @RpcMethod()
  balance(req: { cents: string; owner: string }): { cents: string; owner: string } {
    return { cents: (BigInt(req.cents) * 2n).toString(), owner: req.owner.toUpperCase() };
  }

  @RpcMethod()
  odd(req: Everything): Everything {
    if (req.displayName === 'strings for numbers') return { count: '42', ratio: '0.5', shade: 2, tags: [1, 'two'] };
    return { origin: 'not a message' };
  }
}

@Module({ protos: ['test/fixtures/protos/codec.proto'], services: [CodecService] })
class CodecModule {}

const FULL: Everything = {
  displayName: 'grüße, 🙂 and plain ASCII',
  count: -42,
  size: 4_000_000_000,
  enabled: true,
  ratio: 0.1,
  scale: 1.5,
  checksum: 0xdeadbeef,
  shade: 'DARK',
  origin: { x: -3, y: 7 },
  path: [
    { x: 1, y: 2 },
    { x: -1, y: 0 },
  ],
  samples: [0, -1, 300, 2 ** 31 - 1],
  tags: ['a', '', 'ü'.repeat(50)],
  shades: ['LIGHT', 'DARK', 'SHADE_UNSPECIFIED'],
};

type Client = Record<string, Function> & { close(): void };
const open: Array<{ app: RpcApplication; client: Client }> = [];

async function serve() {
  const app = await RpcApplication.create(CodecModule, { logger: memoryLogger() });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = rawClient(app.protos.packageDefinition, 'test.codec.Codec', port) as unknown as Client;
  open.push({ app, client });
  return { app, client };
}

afterEach(async () => {
  for (const { app, client } of open.splice(0)) {
    client.close();
    await app.close();
  }
});

function unary(client: Client, method: string, req: object): Promise<Everything> {
  return new Promise((resolve, reject) =>
    client[method]?.(req, new Metadata(), (err: ServiceError | null, res: Everything) => (err ? reject(err) : resolve(res))),
  );
}

function stream(client: Client, req: object): Promise<Everything[]> {
  return new Promise((resolve, reject) => {
    const got: Everything[] = [];
    const call = client.repeat?.(req) as NodeJS.EventEmitter;
    call.on('data', (m: Everything) => got.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(got));
  });
}

/** What the raw client (proto-loader, with the app's loader options) decodes FULL to. */
function expectFull(res: Everything): void {
  expect(res.displayName).toBe(FULL.displayName);
  expect(res.count).toBe(-42);
  expect(res.size).toBe(4_000_000_000);
  expect(res.enabled).toBe(true);
  expect(res.ratio).toBe(0.1);
  expect(res.scale).toBe(1.5);
  expect(res.checksum).toBe(0xdeadbeef);
  expect(res.shade).toBe('DARK');
  expect(res.origin).toEqual({ x: -3, y: 7 });
  expect(res.path).toEqual(FULL.path);
  expect(res.samples).toEqual(FULL.samples);
  expect(res.tags).toEqual(FULL.tags);
  expect(res.shades).toEqual(FULL.shades);
}

describe("messages on the wire (proto-loader's codec)", () => {
  it('serves with proto-loader’s own functions, untouched', async () => {
    const { app } = await serve();
    const echo = app.protos.services.get('test.codec.Codec')?.methods.get('Echo')?.definition;
    const original = app.protos.packageDefinition['test.codec.Codec'] as unknown as Record<string, typeof echo>;
    expect(echo).toBe(original.Echo);
  });

  it('carries every field shape both ways, unary and streamed', async () => {
    const { client } = await serve();
    const sent = FULL;
    expectFull(await unary(client, 'echo', sent));
    const streamed = await stream(client, sent);
    expect(streamed.map((m) => m.count)).toEqual([0, 0, 0].map((_, i) => i));
    for (const m of streamed) expect({ ...m, count: -42 }).toEqual(await unary(client, 'echo', sent));
    // fields left out arrive as the framework's defaults and go back as nothing at all
    const empty = await unary(client, 'echo', {});
    expect(empty).toMatchObject({ displayName: '', count: 0, shade: 'SHADE_UNSPECIFIED', origin: null, path: [], tags: [] });
    // 64-bit integers travel as strings, beyond what a double holds
    expect(await unary(client, 'balance', { cents: '9007199254740993', owner: 'ann' })).toEqual({
      cents: '18014398509481986',
      owner: 'ANN',
    });
  });

  it('gives odd handler values proto-loader’s conversions, and an unencodable reply is INTERNAL with the server still serving', async () => {
    const { client } = await serve();
    const converted = await unary(client, 'odd', { displayName: 'strings for numbers' });
    expect(converted).toMatchObject({ count: 42, ratio: 0.5, shade: 'DARK', tags: ['1', 'two'] });
    const failed = await unary(client, 'odd', { displayName: 'bad' }).catch((e: ServiceError) => e);
    expect((failed as ServiceError).code).toBe(status.INTERNAL);
    expectFull(await unary(client, 'echo', FULL));
  });
});

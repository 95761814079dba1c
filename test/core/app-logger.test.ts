// Application code logs through the injected AppLogger: the app's logger, with the call's rpc and
// x-request-id on lines written inside a call.
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Injectable, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { AppLogger, RpcApplication } from '../../src/server/index.js';
import { jsonLines } from '../support/json-lines.js';
import { rawClient } from '../support/raw-client.js';

@Injectable()
class Repo {
  constructor(private readonly log: AppLogger) {}
  async find(name: string): Promise<string> {
    this.log.info({ name }, 'looking up');
    await Promise.resolve();
    this.log.child({ component: 'repo' }).info('found after an await');
    return name;
  }
  boot(): void {
    this.log.info('outside any call');
  }
}

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class Greeter {
  constructor(private readonly repo: Repo) {}
  @RpcMethod()
  async sayHello(req: { name: string }) {
    return { message: await this.repo.find(req.name) };
  }
}

@Module({ protos: ['test/fixtures/protos/helloworld.proto'], services: [Greeter], providers: [Repo] })
class AppModule {}

describe('AppLogger', () => {
  const { destination, lines } = jsonLines();
  let app: RpcApplication;
  let client: ReturnType<typeof rawClient>;
  beforeAll(async () => {
    app = await RpcApplication.create(AppModule, { logger: pino({ base: { app: 'greeter' } }, destination), callScope: 'async' });
    client = rawClient(app.protos.packageDefinition, 'helloworld.Greeter', (await app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it("writes through the app's logger, with the rpc and the caller's x-request-id inside a call", async () => {
    app.container.get(Repo).boot();
    const md = new Metadata();
    md.set('x-request-id', 'req-42');
    await new Promise((resolve, reject) =>
      client.sayHello({ name: 'Ada' }, md, (err: ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))),
    );
    const outside = lines.find((l) => l.msg === 'outside any call');
    expect(outside).toMatchObject({ app: 'greeter' });
    expect(outside).not.toHaveProperty('rpc');
    expect(lines.find((l) => l.msg === 'looking up')).toMatchObject({
      app: 'greeter',
      name: 'Ada',
      rpc: '/helloworld.Greeter/SayHello',
      requestId: 'req-42',
    });
    expect(lines.find((l) => l.msg === 'found after an await')).toMatchObject({ component: 'repo', rpc: '/helloworld.Greeter/SayHello' });
  });
});

import { credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Injectable, Module, RpcMethod, RpcService } from '../decorators/index.js';
import { silentLogger } from '../logging/index.js';
import { RpcApplication } from './application.js';

@Injectable()
class Repo {
  greet(name: string) {
    return `Hello ${name}`;
  }
}

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class Greeter {
  constructor(private readonly repo: Repo) {}
  @RpcMethod()
  sayHello(req: { name: string }) {
    return { message: this.repo.greet(req.name) };
  }
}

@Module({ protos: ['test/fixtures/protos/helloworld.proto'], services: [Greeter], providers: [Repo] })
class AppModule {}

describe('smoke', () => {
  let app: RpcApplication;
  let port: number;
  beforeAll(async () => {
    app = await RpcApplication.create(AppModule, { logger: silentLogger() });
    port = (await app.listen({ host: '127.0.0.1', port: 0 })).port;
  });
  afterAll(() => app.close());

  it('serves a unary call through an injected provider', async () => {
    const pkg = loadPackageDefinition(app.protos.packageDefinition) as unknown as { helloworld: { Greeter: ServiceClientConstructor } };
    const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as {
      sayHello(req: object, cb: (e: Error | null, r: { message: string }) => void): void;
      close(): void;
    };
    const reply = await new Promise<{ message: string }>((res, rej) => client.sayHello({ name: 'Ada' }, (e, r) => (e ? rej(e) : res(r))));
    client.close();
    expect(reply.message).toBe('Hello Ada');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientLayer, type OutgoingCall } from '../../src/client/index.js';
import { Inject, Injectable, InjectClient, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { RpcApplication, type RpcContext } from '../../src/server/index.js';

const PROTO = 'test/fixtures/protos/helloworld.proto';
interface Hello {
  message: string;
}

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class Downstream {
  @RpcMethod()
  sayHello(req: { name: string }, ctx: RpcContext): Hello {
    return { message: `${req.name} with ${ctx.header('authorization') ?? 'no token'}` };
  }
}
@Module({ protos: [PROTO], services: [Downstream] })
class DownstreamModule {}

@Injectable()
class TokenSource {
  current() {
    return 'Bearer s3cr3t';
  }
}

/** A client interceptor class built by the container: its constructor dependency is injected. */
@Injectable()
class AuthInterceptor {
  constructor(
    readonly tokens: TokenSource,
    @Inject('AUDIENCE') readonly audience: string,
  ) {}
  intercept(call: OutgoingCall, next: () => Promise<unknown>) {
    call.metadata.set('authorization', `${this.tokens.current()} for ${this.audience}`);
    return next();
  }
}

interface GreeterClient {
  sayHello(req: { name: string }): Promise<Hello>;
}

@Injectable()
class Caller {
  constructor(@InjectClient('helloworld.Greeter') readonly greeter: GreeterClient) {}
}

describe('client interceptor classes', () => {
  let downstream: RpcApplication;
  let upstream: RpcApplication;
  beforeAll(async () => {
    downstream = await RpcApplication.create(DownstreamModule, { logger: silentLogger() });
    const { port } = await downstream.listen({ host: '127.0.0.1', port: 0 });
    @Module({
      protos: [PROTO],
      providers: [Caller, TokenSource, { provide: 'AUDIENCE', useValue: 'greeter' }],
      clients: [{ service: 'helloworld.Greeter', target: `127.0.0.1:${port}` }],
    })
    class UpstreamModule {}
    upstream = await RpcApplication.create(UpstreamModule, {
      logger: silentLogger(),
      clients: createClientLayer({ interceptors: [AuthInterceptor], env: {} }),
    });
  });
  afterAll(async () => {
    await upstream.close();
    await downstream.close();
  });

  it('are built by the app container, with their constructor dependencies injected', async () => {
    const reply = await upstream.container.get(Caller).greeter.sayHello({ name: 'Ada' });
    expect(reply.message).toBe('Ada with Bearer s3cr3t for greeter');
  });
});

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Inject, Injectable, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { ConfigurationError } from '../../src/errors/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { RpcApplication } from '../../src/server/index.js';

const PROTO = 'test/fixtures/protos/helloworld.proto';
const logger = silentLogger();

async function bootError(module: Function): Promise<ConfigurationError> {
  try {
    const app = await RpcApplication.create(module as new () => unknown, { logger });
    await app.close();
  } catch (error) {
    if (ConfigurationError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the app to fail at boot');
}

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class PartialGreeter {
  @RpcMethod() sayHello() {
    return { message: 'hi' };
  }
}

describe('boot-time validation', () => {
  it('names a missing proto file and how to fix it', async () => {
    @Module({ protos: ['test/fixtures/protos/nope.proto'], services: [] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_PROTO_NOT_FOUND');
    expect(err.message).toContain('nope.proto');
    expect(err.message).toMatch(/fix: check the path/);
  });

  it('gives the line of a proto syntax error', async () => {
    @Module({ protos: ['test/fixtures/protos/broken.proto'], services: [] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_PROTO_INVALID');
    expect(err.message).toMatch(/broken\.proto/);
    expect(err.message).toMatch(/line 5/);
  });

  it('names a service that is not in the protos, with a suggestion', async () => {
    @RpcService('helloworld.Greeterr')
    class Typo {}
    @Module({ protos: [PROTO], services: [Typo] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_SERVICE_NOT_IN_PROTO');
    expect(err.message).toContain('class Typo');
    expect(err.message).toContain("did you mean @RpcService('helloworld.Greeter')");
    expect(err.message).toContain('helloworld.proto');
  });

  it('names an @RpcMethod bound to an rpc the service does not have', async () => {
    @RpcService('helloworld.Greeter', { allowUnimplemented: true })
    class G {
      @RpcMethod() sayHelo() {
        return {};
      }
    }
    @Module({ protos: [PROTO], services: [G] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_RPC_NOT_IN_SERVICE');
    expect(err.message).toContain('class G, method sayHelo');
    expect(err.message).toContain('a method named sayHello');
    expect(err.message).toContain('helloworld.proto');
  });

  it('refuses an rpc without a handler by default, naming it and the option that allows it', async () => {
    @RpcService('helloworld.Greeter')
    class G {
      @RpcMethod() sayHello() {
        return {};
      }
      sayHelloAgain() {
        return {};
      }
    }
    @Module({ protos: [PROTO], services: [G] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_RPC_NOT_IMPLEMENTED');
    expect(err.message).toContain('helloworld.Greeter.SayHelloAgain');
    expect(err.message).toContain('add @RpcMethod() to G.sayHelloAgain');
  });

  it('rejects two classes for one service', async () => {
    @RpcService('helloworld.Greeter', { allowUnimplemented: true })
    class Second {}
    @Module({ protos: [PROTO], services: [PartialGreeter, Second] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_DUPLICATE_SERVICE');
    expect(err.message).toContain('PartialGreeter and Second');
  });

  it('names the whole chain of an unresolvable constructor dependency', async () => {
    class Database {}
    @Injectable()
    class Repo {
      constructor(readonly db: Database) {}
    }
    @RpcService('helloworld.Greeter', { allowUnimplemented: true })
    class G {
      constructor(readonly repo: Repo) {}
    }
    @Module({ protos: [PROTO], services: [G], providers: [Repo] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_UNRESOLVED_DEPENDENCY');
    expect(err.message).toContain('G → Repo → Database');
    expect(err.message).toContain('add Database to the providers of module M');
  });

  it('names an interface-typed parameter and says to use @Inject', async () => {
    interface Clock {
      now(): number;
    }
    @Injectable()
    class UsesClock {
      constructor(readonly clock: Clock) {}
    }
    @Module({ protos: [PROTO], services: [PartialGreeter], providers: [UsesClock] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_UNRESOLVED_DEPENDENCY');
    expect(err.message).toContain('Parameter #0 of UsesClock');
    expect(err.message).toContain('@Inject(token)');
  });

  it('reports a dependency cycle', async () => {
    @Injectable()
    class A {
      constructor(@Inject('B') readonly b: unknown) {}
    }
    @Injectable()
    class B {
      constructor(readonly a: A) {}
    }
    @Module({ protos: [PROTO], services: [PartialGreeter], providers: [A, { provide: 'B', useClass: B }] })
    class M {}
    const err = await bootError(M);
    expect(err.code).toBe('KRPC_DEPENDENCY_CYCLE');
    expect(err.message).toMatch(/A → 'B' → A/);
  });

  it('turns a port in use into KRPC_PORT_IN_USE', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    @Module({ protos: [PROTO], services: [PartialGreeter] })
    class M {}
    const app = await RpcApplication.create(M, { logger });
    try {
      const err = await app.listen({ host: '127.0.0.1', port }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(ConfigurationError.is(err) && err.code).toBe('KRPC_PORT_IN_USE');
      expect((err as Error).message).toContain(`Port ${port}`);
    } finally {
      await app.close();
      blocker.close();
    }
  });

  it('answers an rpc without a handler UNIMPLEMENTED when the service allows it', async () => {
    @Module({ protos: [PROTO], services: [PartialGreeter] })
    class M {}
    const app = await RpcApplication.create(M, { logger });
    const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
    const { rawClient } = await import('../support/raw-client.js');
    const client = rawClient(app.protos.packageDefinition, 'helloworld.Greeter', port);
    const err = await new Promise<{ code: number }>((resolve) => client.sayHelloAgain({ name: 'x' }, (e: { code: number }) => resolve(e)));
    expect(err.code).toBe(12);
    client.close();
    await app.close();
  });
});

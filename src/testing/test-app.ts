import type { Client } from '../client/index.js';
import { type ClientLayerOptions, createClientLayer } from '../client/index.js';
import { loadAppConfig } from '../config/index.js';
import { ConfigurationError } from '../errors/index.js';
import { silentLogger } from '../logging/index.js';
import { type Constructor, getServiceMetadata } from '../metadata/index.js';
import { type ApplicationOptions, RpcApplication } from '../server/index.js';

/** Options of {@link createTestApp}: the app's options, plus how its clients are made. */
export interface TestAppOptions extends Omit<ApplicationOptions, 'clients'> {
  /** Client layer options of the app's own `@InjectClient` clients (targets, env, defaults). */
  readonly clients?: ClientLayerOptions;
  /** Client layer options of the clients `.client()` returns (their target is the app). */
  readonly testClients?: Omit<ClientLayerOptions, 'services'>;
  /** How long `close()` lets in-flight calls finish (default 2 000 ms). */
  readonly closeTimeoutMs?: number;
}

/** An app served in-process on 127.0.0.1 and a free port. */
export interface TestApp {
  readonly app: RpcApplication;
  readonly port: number;
  /** `127.0.0.1:<port>`, for clients made elsewhere. */
  readonly target: string;
  /** A typed proxy to one of the app's services (or any service in its protos). */
  client<T>(service: string | Constructor<T>): Client<T>;
  /** Closes the test clients, then the app (and its own clients). */
  close(): Promise<void>;
}

/**
 * Boots a module in-process the way `krpc-app start` would — its directory's config file
 * (`root`, default the current directory) read for protos, include directories and the call
 * scope — on 127.0.0.1 and a free port,
 * with provider overrides, and hands out typed clients to it. `close()` closes everything.
 *
 * @example
 * ```ts
 * import { createTestApp } from 'kubernetes-rpc/testing';
 * const t = await createTestApp(AppModule, { overrides: [{ provide: GreetingRepository, useValue: fake }] });
 * const greeter = t.client<GreeterService>('helloworld.Greeter');
 * expect((await greeter.sayHello({ name: 'Ada' })).message).toBe('Hello Ada');
 * await t.close();
 * ```
 */
export async function createTestApp(rootModule: Constructor, options: TestAppOptions = {}): Promise<TestApp> {
  const { clients, testClients, closeTimeoutMs, ...appOptions } = options;
  // the app's config file, read as `krpc-app start` reads it: protos listed only there boot in tests too
  const config = await loadAppConfig(appOptions.root ?? process.cwd());
  const app = await RpcApplication.create(rootModule, {
    logger: silentLogger(),
    callScope: config.callScope,
    ...appOptions,
    protos: [...config.protos, ...(appOptions.protos ?? [])],
    includeDirs: appOptions.includeDirs ?? config.includeDirs,
    clients: createClientLayer(clients),
  });
  let port: number;
  try {
    port = (await app.listen({ host: '127.0.0.1', port: 0 })).port;
  } catch (error) {
    await app.close({ timeoutMs: 0 });
    throw error;
  }
  const target = `127.0.0.1:${port}`;
  const services = Object.fromEntries([...app.protos.services.keys()].map((name) => [name, { target }]));
  const layer = createClientLayer({ ...testClients, services, env: {} });
  layer.setup(app.protos, []);
  let closing: Promise<void> | undefined;
  return {
    app,
    port,
    target,
    client<T>(service: string | Constructor<T>): Client<T> {
      const name = typeof service === 'string' ? service : getServiceMetadata(service)?.name;
      if (!name) {
        throw new ConfigurationError('KRPC_NOT_A_SERVICE', `${(service as Constructor).name} has no @RpcService`, {
          fix: 'pass the service name, or a class decorated with @RpcService',
        });
      }
      return layer.get<Client<T>>(name);
    },
    close() {
      closing ??= (async () => {
        layer.close();
        await app.close({ timeoutMs: closeTimeoutMs ?? 2000 });
      })();
      return closing;
    },
  };
}

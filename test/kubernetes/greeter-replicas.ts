import {
  type ChannelOptions,
  credentials,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { Inject, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { RpcApplication } from '../../src/server/application.js';

const REPLICA = 'REPLICA_ID';

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class ReplicaGreeter {
  constructor(@Inject(REPLICA) private readonly replica: string) {}
  @RpcMethod()
  sayHello() {
    return { message: this.replica };
  }
}

@Module({ protos: ['test/fixtures/protos/helloworld.proto'], services: [ReplicaGreeter] })
class ReplicaModule {}

/** Greeter replicas on several loopback addresses sharing one port; each answers with its address. */
export interface GreeterReplicas {
  readonly port: number;
  readonly apps: readonly RpcApplication[];
  close(): Promise<void>;
}

/** Starts one greeter per host: the first on port 0, the others on the port it got (retried if taken). */
export async function startGreeterReplicas(hosts: readonly string[]): Promise<GreeterReplicas> {
  for (let attempt = 0; ; attempt++) {
    const apps: RpcApplication[] = [];
    try {
      let port = 0;
      for (const host of hosts) {
        const app = await RpcApplication.create(ReplicaModule, {
          logger: silentLogger(),
          globalProviders: [{ provide: REPLICA, useValue: host }],
        });
        apps.push(app);
        port = (await app.listen({ host, port })).port;
      }
      return { port, apps, close: async () => void (await Promise.all(apps.map((a) => a.close({ timeoutMs: 1000 })))) };
    } catch (error) {
      await Promise.all(apps.map((a) => a.close({ timeoutMs: 100 })));
      if (attempt >= 4) throw error;
    }
  }
}

/** A raw grpc-js Greeter client. */
export interface GreeterClient {
  /** Calls SayHello; resolves to the replica that answered. */
  hello(options?: { waitForReady?: boolean; deadlineMs?: number }): Promise<string>;
  close(): void;
}

/** A raw grpc-js Greeter client (no dependency on the framework's client layer). */
export async function greeterClient(target: string, options: ChannelOptions): Promise<GreeterClient> {
  const app = await RpcApplication.create(ReplicaModule, {
    logger: silentLogger(),
    globalProviders: [{ provide: REPLICA, useValue: 'client' }],
  });
  const pkg = loadPackageDefinition(app.protos.packageDefinition) as unknown as { helloworld: { Greeter: ServiceClientConstructor } };
  await app.close({ timeoutMs: 0 });
  const client = new pkg.helloworld.Greeter(target, credentials.createInsecure(), options) as unknown as {
    sayHello(req: object, meta: object, opts: object, cb: (e: ServiceError | null, r: { message: string }) => void): void;
    close(): void;
  };
  return {
    hello: ({ waitForReady = false, deadlineMs = 5000 } = {}) =>
      new Promise((resolve, reject) =>
        client.sayHello({ name: 'k8s' }, new Metadata({ waitForReady }), { deadline: Date.now() + deadlineMs }, (e, r) =>
          e ? reject(e) : resolve(r.message),
        ),
      ),
    close: () => client.close(),
  };
}

/** Channel options choosing an LB policy through the service config. */
export function withPolicy(policy: string): ChannelOptions {
  return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ [policy]: {} }] }) };
}

/** One call of a {@link LoadLoop}. */
export interface CallRecord {
  readonly replica: string | undefined;
  readonly startedAt: number;
  readonly error: ServiceError | undefined;
}

/** Calls issued continuously by a few workers, recorded, until stopped. */
export interface LoadLoop {
  readonly records: CallRecord[];
  stop(): Promise<CallRecord[]>;
}

/** Keeps `concurrency` SayHello calls in flight until stopped. */
export function startLoad(client: GreeterClient, concurrency = 4): LoadLoop {
  const records: CallRecord[] = [];
  let running = true;
  const worker = async () => {
    while (running) {
      const startedAt = Date.now();
      try {
        records.push({ replica: await client.hello(), startedAt, error: undefined });
      } catch (error) {
        records.push({ replica: undefined, startedAt, error: error as ServiceError });
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    records,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return records;
    },
  };
}

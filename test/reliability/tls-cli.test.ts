import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ChannelCredentials, credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../src/errors/index.js';
import { type KrpcProcess, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { createPki, hasOpenssl, type TestPki } from './support/certs.js';

const hasPeer = requirePeer('openssl', hasOpenssl(), 'apt-get install -y openssl');

type Greeter = {
  sayHello(req: object, options: object, cb: (e: ServiceError | null, r: { message: string }) => void): void;
  close(): void;
};

describe.skipIf(!hasPeer)('krpc-app start with KRPC_TLS_* (mTLS required)', () => {
  let pki: TestPki;
  let proc: KrpcProcess;
  let port: number;
  const clients: Greeter[] = [];
  const hello = (creds: ChannelCredentials): Promise<number> => {
    const def = loadSync('samples/greeter/proto/helloworld.proto');
    const pkg = loadPackageDefinition(def) as unknown as { helloworld: { Greeter: new (t: string, c: unknown, o: object) => Greeter } };
    const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, creds, { 'grpc.use_local_subchannel_pool': 1 });
    clients.push(client);
    return new Promise((resolve) => client.sayHello({ name: 'mTLS' }, { deadline: Date.now() + 5000 }, (e) => resolve(e ? e.code : 0)));
  };

  beforeAll(async () => {
    pki = createPki();
    const server = pki.issue('server', 'localhost', 'serverAuth');
    proc = spawnKrpc(['start', 'samples/greeter', '--host', '127.0.0.1'], {
      KRPC_PORT: '0',
      KRPC_RUNTIME_PORT: '0',
      KRPC_TLS_CERT: server.cert,
      KRPC_TLS_KEY: server.key,
      KRPC_TLS_CA: pki.caCert,
      KRPC_TLS_CLIENT_AUTH: 'true',
    });
    port = (await proc.waitForLog(/krpc-app listening/)).port as number;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    proc?.kill('SIGKILL');
    await proc?.exited;
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('answers a client with a certificate from the CA, and refuses plain text and certificate-less TLS', async () => {
    const client = pki.issue('client', 'krpc-client', 'clientAuth');
    const ca = readFileSync(pki.caCert);
    expect(await hello(credentials.createSsl(ca, readFileSync(client.key), readFileSync(client.cert)))).toBe(0);
    expect(await hello(credentials.createSsl(ca))).toBe(Status.UNAVAILABLE);
    expect(await hello(credentials.createInsecure())).toBe(Status.UNAVAILABLE);
  });

  it('exits with a ConfigurationError naming a missing key file, without printing any PEM', async () => {
    const bad = spawnKrpc(['start', 'samples/greeter', '--host', '127.0.0.1'], {
      KRPC_PORT: '0',
      KRPC_RUNTIME_PORT: '0',
      KRPC_TLS_CERT: join(pki.dir, 'server.crt'),
      KRPC_TLS_KEY: join(pki.dir, 'nope.key'),
    });
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr).toContain('nope.key');
    expect(bad.stderr + bad.stdout).not.toContain('BEGIN');
  });
});

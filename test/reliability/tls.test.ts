import { copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { type ChannelCredentials, type Client, credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Injectable, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { ConfigurationError, Status } from '../../src/errors/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { channelCredentialsFromFiles, serverCredentialsFromConfig, serverCredentialsFromFiles } from '../../src/tls/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { memoryLogger } from '../support/memory-logger.js';
import { requirePeer } from '../support/peers.js';
import { createPki, hasOpenssl, type TestPki } from './support/certs.js';

const hasPeer = requirePeer('openssl', hasOpenssl(), 'apt-get install -y openssl');

@Injectable()
@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class Greeter {
  @RpcMethod()
  sayHello(req: { name: string }) {
    return { message: `Hello ${req.name}` };
  }
  @RpcMethod()
  async *sayHelloBidiStream(reqs: AsyncIterable<{ name: string }>) {
    for await (const req of reqs) yield { message: `Hello ${req.name}` };
  }
}

@Module({ protos: ['test/fixtures/protos/helloworld.proto'], services: [Greeter] })
class AppModule {}

type GreeterClient = Client & Record<string, Function>;

describe.skipIf(!hasPeer)('TLS and mTLS from PEM files, with rotation', () => {
  let pki: TestPki;
  let server: { cert: string; key: string };
  let clientId: { cert: string; key: string };
  const apps: RpcApplication[] = [];
  const clients: GreeterClient[] = [];

  const start = async (creds: ReturnType<typeof serverCredentialsFromFiles>) => {
    const app = await RpcApplication.create(AppModule, { logger: silentLogger() });
    apps.push(app);
    return (await app.listen({ host: '127.0.0.1', port: 0, credentials: creds })).port;
  };
  const greeter = (port: number, creds: ChannelCredentials): GreeterClient => {
    const pkg = loadPackageDefinition((apps[0] as RpcApplication).protos.packageDefinition) as unknown as {
      helloworld: { Greeter: new (t: string, c: ChannelCredentials, o: object) => GreeterClient };
    };
    // a fresh connection per client, so each test sees its own handshake
    const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, creds, { 'grpc.use_local_subchannel_pool': 1 });
    clients.push(client);
    return client;
  };
  const hello = (client: GreeterClient, name = 'TLS'): Promise<{ code: number; message: string }> =>
    new Promise((resolve) =>
      client.sayHello({ name }, { deadline: Date.now() + 5000 }, (e: ServiceError | null, r: { message: string }) =>
        resolve(e ? { code: e.code, message: e.details } : { code: 0, message: r.message }),
      ),
    );
  /** The serial number of the certificate a fresh TLS handshake (ALPN h2) is given. */
  const servedSerial = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = tlsConnect(
        {
          host: '127.0.0.1',
          port,
          ca: [readCa()],
          ALPNProtocols: ['h2'],
          servername: 'localhost',
          cert: readFile(clientId.cert),
          key: readFile(clientId.key),
        },
        () => {
          resolve(socket.getPeerCertificate().serialNumber);
          socket.destroy();
        },
      );
      socket.on('error', reject);
    });
  const readFile = (p: string) => readFileSync(p);
  const readCa = () => readFile(pki.caCert);

  beforeAll(() => {
    pki = createPki();
    server = pki.issue('server', 'localhost', 'serverAuth');
    clientId = pki.issue('client', 'krpc-client', 'clientAuth');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const a of apps) await a.close({ timeoutMs: 1000 });
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('serves TLS only: a TLS client is answered, a plain-text client is not', async () => {
    const port = await start(serverCredentialsFromFiles({ certFile: server.cert, keyFile: server.key }));
    expect(await hello(greeter(port, channelCredentialsFromFiles({ caFile: pki.caCert })))).toEqual({ code: 0, message: 'Hello TLS' });
    const plain = await hello(greeter(port, credentials.createInsecure()));
    expect(plain.code).toBe(Status.UNAVAILABLE);
  });

  it('rejects a client that does not trust the server certificate', async () => {
    const port = await start(serverCredentialsFromFiles({ certFile: server.cert, keyFile: server.key }));
    const stranger = createPki('other-ca', pki.dir);
    expect((await hello(greeter(port, channelCredentialsFromFiles({ caFile: stranger.caCert })))).code).toBe(Status.UNAVAILABLE);
  });

  it('requires a client certificate signed by the CA when client auth is on (mTLS)', async () => {
    const port = await start(
      serverCredentialsFromFiles({ certFile: server.cert, keyFile: server.key, caFile: pki.caCert, requireClientCert: true }),
    );
    const withCert = channelCredentialsFromFiles({ caFile: pki.caCert, certFile: clientId.cert, keyFile: clientId.key });
    expect(await hello(greeter(port, withCert))).toEqual({ code: 0, message: 'Hello TLS' });
    expect((await hello(greeter(port, channelCredentialsFromFiles({ caFile: pki.caCert })))).code).toBe(Status.UNAVAILABLE);
    const rogueCa = createPki('rogue-ca', pki.dir);
    const rogue = rogueCa.issue('rogue-client', 'rogue', 'clientAuth');
    const rogueCreds = channelCredentialsFromFiles({ caFile: pki.caCert, certFile: rogue.cert, keyFile: rogue.key });
    expect((await hello(greeter(port, rogueCreds))).code).toBe(Status.UNAVAILABLE);
  });

  it('picks up a rotated certificate for new connections while an open stream keeps working', async () => {
    const live = { cert: join(pki.dir, 'live.crt'), key: join(pki.dir, 'live.key') };
    copyFileSync(server.cert, live.cert);
    copyFileSync(server.key, live.key);
    const port = await start(
      serverCredentialsFromFiles({
        certFile: live.cert,
        keyFile: live.key,
        caFile: pki.caCert,
        requireClientCert: true,
        refreshIntervalMs: 100,
      }),
    );
    const creds = channelCredentialsFromFiles({ caFile: pki.caCert, certFile: clientId.cert, keyFile: clientId.key });
    const before = await servedSerial(port); // the very first handshake is served: the files were read at creation

    // an open bidi stream on a connection made before the rotation
    const streaming = greeter(port, creds);
    const call = streaming.sayHelloBidiStream();
    const replies: string[] = [];
    const nextReply = () => new Promise<string>((resolve) => call.once('data', (r: { message: string }) => resolve(r.message)));
    let reply = nextReply();
    call.write({ name: 'before' });
    replies.push(await reply);

    // rotate the way Kubernetes does: new files appear together (write aside, then rename)
    const rotated = pki.issue('rotated', 'localhost', 'serverAuth');
    copyFileSync(rotated.cert, `${live.cert}.tmp`);
    copyFileSync(rotated.key, `${live.key}.tmp`);
    renameSync(`${live.key}.tmp`, live.key);
    renameSync(`${live.cert}.tmp`, live.cert);
    const deadline = Date.now() + 10_000;
    let after = before;
    while (after === before && Date.now() < deadline) after = await servedSerial(port);
    expect(after).not.toBe(before);

    reply = nextReply();
    call.write({ name: 'after' });
    replies.push(await reply);
    call.end();
    expect(replies).toEqual(['Hello before', 'Hello after']);
    expect(await hello(greeter(port, creds), 'new connection')).toEqual({ code: 0, message: 'Hello new connection' });
  });

  it('keeps the last good certificate when a rotation is half-written (key does not match)', async () => {
    const live = { cert: join(pki.dir, 'half.crt'), key: join(pki.dir, 'half.key') };
    copyFileSync(server.cert, live.cert);
    copyFileSync(server.key, live.key);
    const logger = memoryLogger();
    const port = await start(serverCredentialsFromFiles({ certFile: live.cert, keyFile: live.key, refreshIntervalMs: 50, logger }));
    const creds = channelCredentialsFromFiles({ caFile: pki.caCert });
    const other = pki.issue('other', 'localhost', 'serverAuth');
    copyFileSync(other.cert, live.cert); // the key is not (yet) replaced
    await waitFor(() => logger.lines.some((l) => l.level === 'warn' && /does not match/.test(l.message)), {
      what: 'the rejected reload',
      timeoutMs: 10_000,
    });
    expect(await hello(greeter(port, creds), 'still')).toEqual({ code: 0, message: 'Hello still' });
    expect(JSON.stringify(logger.lines)).not.toContain('BEGIN');
  });

  it('fails at boot with a ConfigurationError naming the file, never its contents', () => {
    const missing = join(pki.dir, 'missing.key');
    const error = (() => {
      try {
        serverCredentialsFromFiles({ certFile: server.cert, keyFile: missing });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigurationError.is(error)).toBe(true);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('ENOENT');
    writeFileSync(join(pki.dir, 'garbage.key'), 'SECRET-KEY-MATERIAL-not-pem');
    const garbage = (() => {
      try {
        serverCredentialsFromFiles({ certFile: server.cert, keyFile: join(pki.dir, 'garbage.key') });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(garbage?.message).toMatch(/not an unencrypted PEM private key/);
    expect(garbage?.message).not.toContain('SECRET-KEY-MATERIAL');
    expect(() => serverCredentialsFromFiles({ certFile: server.cert, keyFile: clientId.key })).toThrow(
      /does not belong to the certificate/,
    );
    expect(() => serverCredentialsFromFiles({ certFile: server.cert, keyFile: server.key, requireClientCert: true })).toThrow(
      /no CA bundle/,
    );
    expect(() => serverCredentialsFromConfig({ tlsCert: server.cert })).toThrow(/needs tlsCert and tlsKey/);
    expect(serverCredentialsFromConfig({})).toBeUndefined();
  });
});

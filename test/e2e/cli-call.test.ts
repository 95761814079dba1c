import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, hasOpenssl } from '../reliability/support/certs.js';
import { BIN, type KrpcProcess, ROOT, spawnKrpc } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);

/** Runs `krpc-app call …` as a user would: stdout, stderr and the exit code. */
async function call(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'call', ...args], { cwd: ROOT, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Serves a sample with `krpc-app start` on free ports; resolves with its host:port. */
async function start(sample: string, children: KrpcProcess[]): Promise<string> {
  const proc = spawnKrpc(['start', sample, '--port', '0', '--host', '127.0.0.1'], { KRPC_RUNTIME_PORT: '0' });
  children.push(proc);
  const line = await proc.waitForLog(/listening/);
  return `127.0.0.1:${String(line.port)}`;
}

describe('krpc-app call', () => {
  const children: KrpcProcess[] = [];
  let greeter = '';
  beforeAll(async () => {
    greeter = await start('samples/greeter', children);
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
  });

  it('prints the reply of a unary call as JSON and exits 0', async () => {
    const started = performance.now();
    const out = await call([greeter, 'helloworld.Greeter/SayHello', '{"name":"Ada"}']);
    const elapsedMs = performance.now() - started;
    expect(out).toEqual({ code: 0, stdout: '{\n  "message": "Hello Ada"\n}\n', stderr: '' });
    // a whole process: node start-up, reflection and the call
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('prints one JSON object per message of a server stream', async () => {
    const out = await call([greeter, 'helloworld.Greeter/SayHelloStreamReply', '{"name":"Ada"}']);
    expect(out.code).toBe(0);
    const messages = out.stdout.split(/(?<=^\})\n/m).filter((s) => s.trim() !== '');
    expect(messages.map((m) => JSON.parse(m))).toEqual([1, 2, 3].map((i) => ({ message: `Hello Ada #${i}` })));
  });

  it('answers a non-OK status with ERROR: <CODE> <message> and exit 1', async () => {
    const out = await call([greeter, 'helloworld.Greeter/SayHello', '{"name":""}']);
    expect(out).toEqual({ code: 1, stdout: '', stderr: 'ERROR: INVALID_ARGUMENT name is required\n' });
    expect(await call([greeter, 'helloworld.Greeter/SayHello'])).toEqual(out);
  });

  it('answers a bad method name with the methods of the service and the closest one', async () => {
    const out = await call([greeter, 'helloworld.Greeter/SayHelo']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /KRPC_RPC_NOT_IN_SERVICE: helloworld.Greeter has no rpc SayHelo; its rpcs: SayHello, SayHelloAgain, SayHelloStreamReply, SayHelloBidiStream\n/,
    );
    expect(out.stderr).toMatch(/fix: did you mean helloworld.Greeter\/SayHello\?/);
  });

  it('answers an unknown service with the services reflection reports', async () => {
    const out = await call([greeter, 'helloworld.Greter/SayHello']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/KRPC_SERVICE_NOT_FOUND: .* serves no service helloworld.Greter; it serves: .*helloworld.Greeter/);
    expect(out.stderr).toMatch(/fix: did you mean helloworld.Greeter\?/);
  });

  it('answers a request that does not fit naming the field', async () => {
    const unknown = await call([greeter, 'helloworld.Greeter/SayHello', '{"nam":"x"}']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/KRPC_REQUEST_INVALID: .*nam: helloworld.HelloRequest has no field "nam" \(did you mean "name"\?\)/);
    const wrongType = await call([greeter, 'helloworld.Greeter/SayHello', '{"name":5}']);
    expect(wrongType.stderr).toMatch(/KRPC_REQUEST_INVALID: .*name: string expected/);
    const notJson = await call([greeter, 'helloworld.Greeter/SayHello', '{name:']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: the request is not JSON: /);
  });

  it('refuses a bidi-streaming rpc, saying which kinds it calls', async () => {
    const out = await call([greeter, 'helloworld.Greeter/SayHelloBidiStream']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/KRPC_CALL_UNSUPPORTED: .*is a bidi-streaming rpc; krpc-app call supports unary and server-streaming rpcs/);
  });

  it('answers an unreachable target with UNAVAILABLE naming it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const out = await call([`127.0.0.1:${port}`, 'helloworld.Greeter/SayHello', '--timeout', '5000']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`^ERROR: UNAVAILABLE 127\\.0\\.0\\.1:${port}: `));
  });

  it('sends --header metadata, converts nested messages, enums and bytes, and shows headers with -v', async () => {
    const interop = await start('samples/interop', children);
    const request = '{"responseType":"COMPRESSABLE","response_size":3,"payload":{"body":"AAEC"}}';
    const out = await call([interop, 'grpc.testing.TestService/UnaryCall', request, '-H', 'x-grpc-test-echo-initial:hi,x-other:1', '-v']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ payload: { type: 'COMPRESSABLE', body: 'AAAA' } });
    expect(out.stderr).toMatch(
      /unary rpc grpc.testing.TestService\/UnaryCall\(grpc.testing.SimpleRequest\) returns \(grpc.testing.SimpleResponse\)/,
    );
    expect(out.stderr).toMatch(/response headers: .*"x-grpc-test-echo-initial":\["hi"\]/);
  });
});

describe.skipIf(!requirePeer('openssl', hasOpenssl(), 'apt-get install -y openssl'))('krpc-app call over TLS', () => {
  it('calls a TLS server with --ca, and fails plain text and an untrusted server with UNAVAILABLE', async () => {
    const pki = createPki();
    const server = pki.issue('server', 'localhost', 'serverAuth');
    const proc = spawnKrpc(['start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'], {
      KRPC_RUNTIME_PORT: '0',
      KRPC_TLS_CERT: server.cert,
      KRPC_TLS_KEY: server.key,
    });
    try {
      const target = `127.0.0.1:${String((await proc.waitForLog(/listening/)).port)}`;
      const method = 'helloworld.Greeter/SayHello';
      expect(await call([target, method, '{"name":"tls"}', '--ca', pki.caCert])).toMatchObject({
        code: 0,
        stdout: '{\n  "message": "Hello tls"\n}\n',
      });
      expect((await call([target, method, '--timeout', '5000'])).stderr).toMatch(/^ERROR: UNAVAILABLE /);
      // Node also warns (DEP0123) that TLS to an IP address sends no server name
      expect((await call([target, method, '--tls', '--timeout', '5000'])).stderr).toMatch(
        /^ERROR: UNAVAILABLE .*unable to verify the first certificate/m,
      );
      expect((await call([target, method, '--ca', join(pki.dir, 'missing.crt')])).stderr).toMatch(/^error: --ca .*missing\.crt: ENOENT/);
    } finally {
      await proc.stop();
      rmSync(pki.dir, { recursive: true, force: true });
    }
  });
});

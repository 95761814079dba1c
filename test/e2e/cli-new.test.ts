import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type KrpcProcess, ROOT, spawnKrpc } from '../support/krpc-process.js';
import { linkDependencies } from '../support/new-project.js';

const run = promisify(execFile);
const TIMEOUT = { timeout: 60_000 };

async function krpc(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, ...TIMEOUT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function buildAndStart(dir: string, children: KrpcProcess[]): Promise<string> {
  await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], TIMEOUT);
  const proc = spawnKrpc(['start', dir, '--port', '0', '--host', '127.0.0.1'], { KRPC_RUNTIME_PORT: '0' });
  children.push(proc);
  const line = await proc.waitForLog(/listening/);
  return `127.0.0.1:${String(line.port)}`;
}

/** Calls a method of any kind with an empty request and resolves with the status code. */
function statusOf(client: grpc.Client, method: protoLoader.MethodDefinition<object, object>): Promise<number> {
  const deadline = new Date(Date.now() + 10_000);
  const { path, requestSerialize: ser, responseDeserialize: de } = method;
  return new Promise((resolve) => {
    const done = (error: grpc.ServiceError | null) => resolve(error?.code ?? grpc.status.OK);
    if (!method.requestStream && !method.responseStream)
      client.makeUnaryRequest(path, ser, de, {}, new grpc.Metadata(), { deadline }, done);
    else if (!method.requestStream) {
      const call = client.makeServerStreamRequest(path, ser, de, {}, new grpc.Metadata(), { deadline });
      call.on('data', () => {});
      call.on('status', (s) => resolve(s.code));
      call.on('error', () => {});
    } else if (!method.responseStream) client.makeClientStreamRequest(path, ser, de, new grpc.Metadata(), { deadline }, done).end();
    else {
      const call = client.makeBidiStreamRequest(path, ser, de, new grpc.Metadata(), { deadline });
      call.on('data', () => {});
      call.on('status', (s) => resolve(s.code));
      call.on('error', () => {});
      call.end();
    }
  });
}

describe('krpc-app new', () => {
  const children: KrpcProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
  });

  it('writes a greeter project that builds with tsc, boots, answers a grpc-js call and passes its own test', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-new-')), 'demo');
    const started = performance.now();
    const out = await krpc(['new', 'demo', '--dir', dir]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/created demo in .*serving helloworld.Greeter\n\nNext:\n {2}cd .*\n {2}npm install\n {2}npm start/);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest).toMatchObject({ name: 'demo', type: 'module', dependencies: { 'kubernetes-rpc': `^${version}` } });
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['build', 'start', 'test']));
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({
      module: 'NodeNext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    });
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/USER 1000:1000/);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "node_modules\/kubernetes-rpc\/bin\/krpc-app.js", "start", "\/app"\]/);
    for (const file of [
      '.dockerignore',
      '.gitignore',
      'README.md',
      'krpc.config.json',
      'src/generated/helloworld/Greeter.ts',
      'test/app.test.ts',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);

    linkDependencies(dir);
    const target = await buildAndStart(dir, children);
    const definition = protoLoader.loadSync(join(dir, 'proto/helloworld.proto'));
    const Greeter = grpc.loadPackageDefinition(definition).helloworld as unknown as { Greeter: grpc.ServiceClientConstructor };
    const client = new Greeter.Greeter(target, grpc.credentials.createInsecure());
    const reply = await new Promise((resolve, reject) =>
      client.sayHello({ name: 'Ada' }, { deadline: new Date(Date.now() + 10_000) }, (e: Error | null, r: unknown) =>
        e ? reject(e) : resolve(r),
      ),
    );
    const firstAnswerMs = performance.now() - started;
    client.close();
    expect(reply).toEqual({ message: 'Hello Ada' });
    // new → tsc → start → first answered call, install excluded (linked); printed for the note
    process.stdout.write(`krpc-app new → first answered call: ${firstAnswerMs.toFixed(0)} ms\n`);

    const test = await run(process.execPath, [join(dir, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: dir, ...TIMEOUT });
    expect(test.stdout).toMatch(/2 passed/);
  });

  it('builds a project from the interop proto whose every rpc answers UNIMPLEMENTED', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-new-')), 'interop');
    const proto = join(ROOT, 'samples/interop/proto/grpc/testing/test.proto');
    const out = await krpc(['new', 'interop-stubs', '--dir', dir, '--proto', proto]);
    expect(out.code, out.stderr).toBe(0);
    for (const file of [
      'proto/grpc/testing/test.proto',
      'proto/grpc/testing/empty.proto',
      'proto/grpc/testing/messages.proto',
      'src/test.service.ts',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    linkDependencies(dir);
    const target = await buildAndStart(dir, children);
    const definition = protoLoader.loadSync(join(dir, 'proto/grpc/testing/test.proto'), { includeDirs: [dir] });
    const client = new grpc.Client(target, grpc.credentials.createInsecure());
    const statuses: Record<string, string> = {};
    for (const [name, service] of Object.entries(definition)) {
      if (name.startsWith('grpc.testing.') && !('format' in service)) {
        for (const method of Object.values(service as protoLoader.ServiceDefinition)) {
          if (typeof method?.path !== 'string') continue;
          statuses[method.path] = grpc.status[await statusOf(client, method as protoLoader.MethodDefinition<object, object>)] ?? '';
        }
      }
    }
    client.close();
    expect(Object.keys(statuses)).toHaveLength(11);
    expect(new Set(Object.values(statuses))).toEqual(new Set(['UNIMPLEMENTED']));
  });

  it('refuses a non-empty directory and a name that cannot name a package and a Kubernetes object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-new-full-'));
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const full = await krpc(['new', 'demo', '--dir', dir]);
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/is not empty; krpc-app new writes only into a new or empty directory/);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    const bad = await krpc(['new', 'My_App', '--dir', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"My_App" cannot name the project: .*\(e\.g\. "my-app"\)/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

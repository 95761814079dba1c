import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type KrpcProcess, ROOT, spawnKrpc, spawnProcess } from '../support/krpc-process.js';
import { installOffline, linkDependencies, packFramework } from '../support/new-project.js';
import { descendants } from '../support/process-tree.js';

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

  it('writes a greeter project that installs from the packed tarball offline, passes its own test, and answers a grpc-js call under npm start', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-new-')), 'demo');
    const tarball = await packFramework();
    const started = performance.now();
    const out = await krpc(['new', 'demo', '--dir', dir]);
    expect(out.code, out.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'krpc.config.json'), 'utf8')) as { port: number; runtimePort: number };
    expect(out.stdout).toMatch(
      new RegExp(
        `created demo in .*serving helloworld.Greeter on :${config.port} \\(probes and metrics on :${config.runtimePort}\\)\n\nNext:\n {2}cd .*\n {2}npm install\n {2}npm run dev .*\n {2}npm test`,
      ),
    );
    expect(config.port).toBeGreaterThanOrEqual(50100);
    expect(config.runtimePort).toBe(config.port + 1000);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest).toMatchObject({ name: 'demo', type: 'module', dependencies: { 'kubernetes-rpc': `^${version}` } });
    expect(manifest.scripts).toMatchObject({ build: 'tsc', start: 'tsc && krpc-app start', dev: 'krpc-app dev', test: 'vitest run' });
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({
      module: 'NodeNext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    });
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/USER 1000:1000/);
    expect(dockerfile).toContain(`EXPOSE ${config.port} ${config.runtimePort}`);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "node_modules\/kubernetes-rpc\/bin\/krpc-app.js", "start", "\/app"\]/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(new RegExp(`npm install\nnpm run dev .*:${config.port}`));
    for (const file of ['.dockerignore', '.gitignore', 'README.md', 'src/generated/helloworld/Greeter.ts', 'test/app.test.ts'])
      expect(existsSync(join(dir, file)), file).toBe(true);

    const installMs = await installOffline(dir, tarball);
    expect(readFileSync(join(dir, 'node_modules/kubernetes-rpc/package.json'), 'utf8')).toContain(`"version": "${version}"`);
    expect(existsSync(join(dir, 'node_modules/kubernetes-rpc/src')), 'the tarball ships dist/, not the sources').toBe(false);
    // npm start as the README says (ports 0: the derived ones may be taken by a parallel run of this test)
    const app = spawnProcess('npm', ['start', '--prefix', dir], { KRPC_PORT: '0', KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' });
    children.push(app);
    const listening = await app.waitForLog(/listening/, 60_000);
    const definition = protoLoader.loadSync(join(dir, 'proto/helloworld.proto'));
    const Greeter = grpc.loadPackageDefinition(definition).helloworld as unknown as { Greeter: grpc.ServiceClientConstructor };
    const client = new Greeter.Greeter(`127.0.0.1:${String(listening.port)}`, grpc.credentials.createInsecure());
    const reply = await new Promise((resolve, reject) =>
      client.sayHello({ name: 'Ada' }, { deadline: new Date(Date.now() + 10_000) }, (e: Error | null, r: unknown) =>
        e ? reject(e) : resolve(r),
      ),
    );
    const firstAnswerMs = performance.now() - started;
    client.close();
    expect(reply).toEqual({ message: 'Hello Ada' });
    // npm does not forward SIGTERM: signal the server it started (npm → sh → node); it drains, exit 0 all the way up
    const leaves = descendants(app.child.pid ?? 0).filter((pid) => descendants(pid).length === 0);
    for (const pid of leaves) process.kill(pid, 'SIGTERM');
    expect(await app.exited).toBe(0);
    process.stdout.write(
      `krpc-app new → first answered call (npm start): ${(firstAnswerMs - installMs).toFixed(0)} ms install excluded, ${firstAnswerMs.toFixed(0)} ms with the offline npm install (${installMs.toFixed(0)} ms)\n`,
    );

    const test = await run('npm', ['test'], { cwd: dir, ...TIMEOUT });
    expect(test.stdout).toMatch(/2 passed/);
  }, 300_000);

  it('derives non-clashing ports from the name and writes the README and Dockerfile for --package-manager', async () => {
    const base = mkdtempSync(join(tmpdir(), 'krpc-new-pm-'));
    const pnpm = await krpc(['new', 'orders', '--dir', join(base, 'orders'), '--package-manager', 'pnpm']);
    expect(pnpm.code, pnpm.stderr).toBe(0);
    expect(pnpm.stdout).toMatch(/\n {2}pnpm install\n {2}pnpm dev .*\n {2}pnpm test/);
    const dockerfile = readFileSync(join(base, 'orders/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN corepack enable\nCOPY package.json pnpm-lock.yaml .\/\nRUN pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/RUN pnpm install --prod --frozen-lockfile/);
    expect(readFileSync(join(base, 'orders/README.md'), 'utf8')).toMatch(/pnpm install\npnpm dev .*\n[\s\S]*pnpm exec krpc-app call/);
    const yarn = await krpc(['new', 'billing', '--dir', join(base, 'billing'), '--package-manager', 'yarn']);
    expect(yarn.code, yarn.stderr).toBe(0);
    expect(readFileSync(join(base, 'billing/Dockerfile'), 'utf8')).toMatch(/yarn install --production --frozen-lockfile/);
    const ports = (name: string) =>
      JSON.parse(readFileSync(join(base, name, 'krpc.config.json'), 'utf8')) as { port: number; runtimePort: number };
    const [orders, billing] = [ports('orders'), ports('billing')];
    expect(new Set([orders.port, orders.runtimePort, billing.port, billing.runtimePort]).size).toBe(4);
    const bad = await krpc(['new', 'x', '--dir', join(base, 'x'), '--package-manager', 'bun']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--package-manager must be one of npm, pnpm, yarn, got "bun"/);
    expect(existsSync(join(base, 'x'))).toBe(false);
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

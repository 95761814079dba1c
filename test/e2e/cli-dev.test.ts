import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { BIN, type KrpcProcess, ROOT, spawnKrpc, spawnNode } from '../support/krpc-process.js';
import { linkDependencies } from '../support/new-project.js';
import { descendants, isAlive } from '../support/process-tree.js';

const run = promisify(execFile);
/** Edit → new answer: tsc's incremental compile, a process start and the switch, on a loaded 2-core machine. */
const EDIT_BOUND_MS = 30_000;
const EDITS = Number(process.env.DEV_EDITS ?? 3);

interface Reply {
  readonly message?: string;
  readonly error?: string;
}

/** A grpc-js client calling SayHello back to back until stopped, as a developer's client would. */
function callInLoop(target: string, protoFile: string) {
  const definition = protoLoader.loadSync(protoFile);
  const Greeter = (grpc.loadPackageDefinition(definition).helloworld as unknown as { Greeter: grpc.ServiceClientConstructor }).Greeter;
  const client = new Greeter(target, grpc.credentials.createInsecure());
  const replies: Reply[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const reply = await new Promise<Reply>((resolve) =>
        client.sayHello(
          { name: 'Ada' },
          { deadline: new Date(Date.now() + 10_000) },
          (error: grpc.ServiceError | null, r: { message: string }) =>
            resolve(error ? { error: `${grpc.status[error.code]}: ${error.details}` } : { message: r.message }),
        ),
      );
      replies.push(reply);
    }
  })();
  return {
    replies,
    client,
    get last() {
      return replies.at(-1);
    },
    failures: () => replies.filter((r) => r.error !== undefined),
    async stop() {
      running = false;
      await loop;
      client.close();
    },
  };
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern, 'g'))].length;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });
}

describe('krpc-app dev', () => {
  const children: KrpcProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
  });

  it('restarts on an edit with no failed call, keeps serving through a type error and a failed boot, regenerates types on a .proto change, stops on SIGINT', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-dev-')), 'demo');
    await run(process.execPath, [BIN, 'new', 'demo', '--dir', dir], { cwd: ROOT, timeout: 60_000 });
    linkDependencies(dir);
    const service = join(dir, 'src/greeter.service.ts');
    const original = readFileSync(service, 'utf8');
    const greeting = '`Hello $' + '{req.name}`'; // the template literal's source text
    const withReply = (text: string, extra = '') => original.replace(greeting, `\`${text} \${req.name}\``) + extra;

    // the default output (readable lines), not the JSON the test helper asks for
    const dev = spawnKrpc(['dev', dir, '--port', '0', '--runtime-port', '0', '--host', '127.0.0.1'], { KRPC_LOG_PRETTY: '' });
    children.push(dev);
    const started = await waitFor(
      () => /started in \d+ ms: serving helloworld.Greeter on 127.0.0.1:(\d+) \(probes and metrics on :(\d+)\)/.exec(dev.stdout),
      {
        what: 'dev to start the app',
        timeoutMs: 60_000,
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${dev.stdout}\n${dev.stderr}`);
    });
    const [port, runtimePort] = [Number(started?.[1]), Number(started?.[2])];
    expect(dev.stdout).toMatch(/INFO: krpc-app listening on 127.0.0.1:\d+ serving helloworld.Greeter/);
    const calls = callInLoop(`127.0.0.1:${port}`, join(dir, 'proto/helloworld.proto'));
    await waitFor(() => calls.last?.message === 'Hello Ada', { what: 'the first answer', timeoutMs: 20_000 });
    const ready = await fetch(`http://127.0.0.1:${runtimePort}/readyz`);
    expect(ready.status).toBe(200);

    // edits of the handler's reply: each answer changes with no failed call in between
    const latencies: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      const edited = performance.now();
      writeFileSync(service, withReply(`Edit ${i}`));
      await waitFor(() => calls.last?.message === `Edit ${i} Ada`, { what: `the answer of edit ${i}`, timeoutMs: EDIT_BOUND_MS });
      latencies.push(performance.now() - edited);
    }
    expect(calls.failures()).toEqual([]);
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(
      `krpc-app dev edit → new answer over ${EDITS} edits: median ${sorted[Math.floor(EDITS / 2)]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms; ${calls.replies.length} calls, 0 failed\n`,
    );

    // a type error: printed once, with file:line, and the previous build keeps answering
    const restartsBefore = count(dev.stdout, /krpc-app dev: restarted/);
    writeFileSync(service, withReply('Broken', "\nexport const broken: number = 'not a number';\n"));
    // printed once, readable, with file:line:column, then what dev does about it
    const typeError =
      /src\/greeter\.service\.ts:\d+:\d+ - error TS2322: Type 'string' is not assignable to type 'number'[\s\S]*1 type error; still serving the previous build/;
    await waitFor(() => typeError.test(dev.stdout), { what: 'the type error', timeoutMs: EDIT_BOUND_MS }).catch((error: Error) => {
      throw new Error(`${error.message}\n${dev.stdout}`);
    });
    const answeredBefore = calls.replies.length;
    await waitFor(() => calls.replies.length > answeredBefore + 50, { what: '50 more answers', timeoutMs: 20_000 });
    expect(calls.replies.slice(answeredBefore).every((r) => r.message === `Edit ${EDITS} Ada`)).toBe(true);
    expect(count(dev.stdout, /error TS2322/)).toBe(1);
    expect(count(dev.stdout, /krpc-app dev: restarted/)).toBe(restartsBefore);

    // fixed: it restarts with the new text
    writeFileSync(service, withReply('Fixed'));
    await waitFor(() => calls.last?.message === 'Fixed Ada', { what: 'the answer after the fix', timeoutMs: EDIT_BOUND_MS });
    expect(dev.stdout).toMatch(/type errors fixed/);

    // a build that compiles but fails at boot: its error is printed and the old process keeps answering
    writeFileSync(
      service,
      withReply('Booted').replace(
        'constructor(private readonly log: AppLogger) {}',
        "constructor(private readonly log: AppLogger) {\n    throw new Error('boom at boot');\n  }",
      ),
    );
    await waitFor(() => /the new build did not start \(its output is above\); still serving the previous one/.test(dev.stdout), {
      what: 'the failed start',
      timeoutMs: EDIT_BOUND_MS,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${dev.stdout}\n${dev.stderr}`);
    });
    expect(`${dev.stdout}${dev.stderr}`).toMatch(/boom at boot/);
    const answeredAtFailure = calls.replies.length;
    await waitFor(() => calls.replies.length > answeredAtFailure + 20, { what: '20 more answers', timeoutMs: 20_000 });
    expect(calls.last?.message).toBe('Fixed Ada');
    writeFileSync(service, withReply('Fixed'));

    // a new rpc in the .proto: types regenerate, the service misses its handler (a type error), then gets one
    const protoFile = join(dir, 'proto/helloworld.proto');
    writeFileSync(
      protoFile,
      readFileSync(protoFile, 'utf8').replace(
        '  rpc SayHello (HelloRequest) returns (HelloReply) {}',
        '  rpc SayHello (HelloRequest) returns (HelloReply) {}\n  rpc SayBye (HelloRequest) returns (HelloReply) {}',
      ),
    );
    await waitFor(() => readFileSync(join(dir, 'src/generated/helloworld/Greeter.ts'), 'utf8').includes('SayBye'), {
      what: 'the regenerated types',
      timeoutMs: EDIT_BOUND_MS,
    });
    await waitFor(() => /error TS2420: Class 'GreeterService' incorrectly implements/.test(dev.stdout), {
      what: 'the missing handler to be a type error',
      timeoutMs: EDIT_BOUND_MS,
    });
    writeFileSync(
      service,
      withReply('Fixed').replace(
        '  @RpcMethod()\n  async *sayHelloStreamReply',
        "  @RpcMethod()\n  sayBye(req: HelloRequest__Output): HelloReply {\n    return { message: 'Bye ' + req.name };\n  }\n\n  @RpcMethod()\n  async *sayHelloStreamReply",
      ),
    );
    const bye = protoLoader.loadSync(protoFile);
    const NewGreeter = (grpc.loadPackageDefinition(bye).helloworld as unknown as { Greeter: grpc.ServiceClientConstructor }).Greeter;
    const byeClient = new NewGreeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const sayBye = () =>
      new Promise<string>((resolve) =>
        byeClient.sayBye(
          { name: 'Ada' },
          { deadline: new Date(Date.now() + 5000) },
          (e: grpc.ServiceError | null, r: { message: string }) => resolve(e ? (grpc.status[e.code] ?? '') : r.message),
        ),
      );
    await waitFor(async () => (await sayBye()) === 'Bye Ada', { what: 'SayBye to answer', timeoutMs: EDIT_BOUND_MS, intervalMs: 200 });
    byeClient.close();
    await calls.stop();
    expect(calls.failures()).toEqual([]);

    // Ctrl-C: everything stops, exit 0, the ports are free and no app process is left
    const pids = [...dev.stdout.matchAll(/app process (\d+)/g)].map((m) => Number(m[1]));
    const appPorts = [...dev.stdout.matchAll(/app process \d+ on 127.0.0.1:(\d+)/g)].map((m) => Number(m[1]));
    dev.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    expect(dev.stdout).toMatch(/krpc-app dev: stopped/);
    for (const p of [port, runtimePort, ...appPorts]) expect(await portIsFree(p), `port ${p}`).toBe(true);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 240_000);

  it('rejects an unknown flag (usage, exit 2), a directory that is not a project, and a port in use, each with a clear error', async () => {
    const flag = spawnKrpc(['dev', '--watch-everything']);
    children.push(flag);
    expect(await flag.exited).toBe(2);
    expect(flag.stderr).toMatch(/--watch-everything/);
    const empty = mkdtempSync(join(tmpdir(), 'krpc-dev-empty-'));
    const notProject = spawnKrpc(['dev', empty]);
    children.push(notProject);
    expect(await notProject.exited).toBe(1);
    expect(notProject.stderr).toMatch(/error KRPC_NOT_A_PROJECT: .* is not a TypeScript project: it has no package.json/);

    writeFileSync(join(empty, 'package.json'), '{"type":"module"}');
    const noCompiler = spawnKrpc(['dev', empty]);
    children.push(noCompiler);
    expect(await noCompiler.exited).toBe(1);
    expect(noCompiler.stderr).toMatch(/error KRPC_NOT_A_PROJECT: .* it has no tsconfig.json/);

    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-dev-busy-')), 'busy');
    await run(process.execPath, [BIN, 'new', 'busy', '--dir', dir], { cwd: ROOT, timeout: 60_000 });
    linkDependencies(dir);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const held = (holder.address() as { port: number }).port;
    try {
      const busy = spawnKrpc(['dev', dir, '--host', '127.0.0.1', '--port', String(held)]);
      children.push(busy);
      expect(await busy.exited).toBe(1);
      expect(busy.stderr).toMatch(new RegExp(`error KRPC_PORT_IN_USE: Port ${held} on 127.0.0.1 \\(gRPC\\) is already in use`));
      expect(busy.stderr).toMatch(/fix: pick another port with --port, KRPC_PORT or "port" in krpc.config.json/);
    } finally {
      holder.close();
    }
  });

  it('stops tsc and the app when its parent goes away (a wrapper such as npm that does not pass signals on)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'krpc-dev-orphan-')), 'orphan');
    await run(process.execPath, [BIN, 'new', 'orphan', '--dir', dir], { cwd: ROOT, timeout: 60_000 });
    linkDependencies(dir);
    const args = [BIN, 'dev', dir, '--host', '127.0.0.1', '--port', '0', '--runtime-port', '0'];
    const wrapper = spawnNode([
      '-e',
      `require('node:child_process').spawn(process.execPath, ${JSON.stringify(args)}, { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
    ]);
    children.push(wrapper);
    await waitFor(() => /krpc-app dev: started in/.test(wrapper.stdout), { what: 'dev to start the app', timeoutMs: 60_000 });
    const tree = descendants(wrapper.child.pid ?? 0);
    expect(tree.length).toBeGreaterThanOrEqual(3); // dev, tsc (and its native compiler), the app
    wrapper.kill('SIGKILL');
    // the wrapper's stdout closes only once dev, which shares it, has exited
    await wrapper.exit;
    expect(wrapper.stdout).toMatch(/the parent process is gone: stopping[\s\S]*krpc-app dev: stopped/);
    await waitFor(() => tree.every((pid) => !isAlive(pid)), { what: 'every process of dev to end', timeoutMs: 15_000 });
  });
});

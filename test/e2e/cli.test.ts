import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type KrpcProcess, ROOT, spawnKrpc, spawnNode } from '../support/krpc-process.js';

const run = promisify(execFile);
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const children: KrpcProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL');
    await c.exited;
  }
});

describe('krpc-app', () => {
  it('prints help and version with exit code 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: krpc-app/);
    for (const command of ['start', 'types', 'manifests', 'deploy']) expect(help.stdout).toMatch(new RegExp(`\\n  ${command} \\[dir\\] `));
    const startHelp = await cli(['start', '--help']);
    expect(startHelp.code).toBe(0);
    expect(startHelp.stdout).toMatch(/^Usage: krpc-app start \[dir\] \[options\]\n/);
    expect(startHelp.stdout).toMatch(/\n {2}-p, --port <port> +gRPC port/);
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    const { version: packageVersion } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${packageVersion}\n`);
  });

  it.each([
    [['start', '--bogus'], "error: unknown option '--bogus'\n"],
    [['launch'], "error: unknown command 'launch'\n"],
    [['start', '--port', 'abc'], 'error: --port must be a whole number, got "abc"\n'],
    [['start', 'a', 'b'], "error: too many arguments for 'start'. Expected 1 argument but got 2.\n"],
    [['manifests', '--format', 'xml'], 'error: --format must be one of yaml, json, got "xml"\n'],
  ])('answers %j with one error line, a pointer to --help and exit code 2', async (args, message) => {
    const out = await cli(args);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`${message}(run krpc-app --help for usage)\n`);
  });

  it('answers no command with the help on stderr and exit code 2', async () => {
    const out = await cli([]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe((await cli(['--help'])).stdout);
  });

  it('fails a misconfigured app at boot with code 1, the error and its fix, and no stack unless --verbose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-cli-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ module: './dist/missing.js', prot: [] }));
    const out = await cli(['start', dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/KRPC_CONFIG_INVALID: Unknown config key "prot"/);
    expect(out.stderr).toMatch(/did you mean "port"/);
    expect(out.stderr).not.toMatch(/\s+at .+:\d+:\d+/);
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ module: './dist/missing.js' }));
    const missing = await cli(['start', dir, '--verbose']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/KRPC_CONFIG_NOT_FOUND: Root module file not found/);
    expect(missing.stderr).toMatch(/\s+at .+:\d+:\d+/);
  });

  it('rejects a bad environment override naming the variable', async () => {
    const out = await cli(['start', 'samples/greeter'], { KRPC_PORT: 'eighty' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/environment variable KRPC_PORT/);
  });

  it('starts the greeter, logs one line with address and services, and exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const proc = spawnKrpc(['start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'], { KRPC_RUNTIME_PORT: '0' });
      children.push(proc);
      const line = await proc.waitForLog(/listening/);
      expect(line.services).toEqual(['helloworld.Greeter']);
      expect(line.port).toBeGreaterThan(0);
      expect(line.level).toBe('info');
      proc.kill(signal);
      expect(await proc.exited).toBe(0);
    }
  });

  it('drains and exits when its parent goes away without passing SIGTERM on (npx, npm start)', async () => {
    // a wrapper that, like npx, does not forward signals: killing it leaves krpc-app orphaned
    const wrapper = spawnNode(
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, ${JSON.stringify([BIN, 'start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'])}, { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
      ],
      { KRPC_RUNTIME_PORT: '0' },
    );
    children.push(wrapper);
    await wrapper.waitForLog(/listening/);
    wrapper.kill('SIGKILL');
    await wrapper.waitForLog(/parent process is gone/, 10_000);
    await wrapper.waitForLog(/^Stopped$/, 20_000);
    // stdout closes once the orphaned server has exited
    await wrapper.exit;
  });

  it('exits 1 naming the port when it is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const out = await cli(['start', 'samples/greeter', '--host', '127.0.0.1', '--port', String(port)], { KRPC_RUNTIME_PORT: '0' });
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(new RegExp(`KRPC_PORT_IN_USE: Port ${port} on 127.0.0.1 \\(gRPC\\) is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('krpc-app types with a proto that does not exist answers KRPC_PROTO_NOT_FOUND naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-types-missing-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ protos: ['proto/nope.proto'] }));
    const out = await cli(['types', dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`KRPC_PROTO_NOT_FOUND: Proto file not found: ${join(dir, 'proto/nope.proto')}`));
    expect(out.stderr).not.toMatch(/Command failed|ENOENT/);
  });

  it('a wrong #Export in "module" gets a fix for the config, not a rename of the class', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-export-'));
    writeFileSync(
      join(dir, 'krpc.config.json'),
      JSON.stringify({ module: `${join(ROOT, 'samples/greeter/dist/app.module.js')}#AppModul` }),
    );
    const out = await cli(['start', dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/KRPC_NOT_A_MODULE: .* has no exported @Module class named AppModul/);
    expect(out.stderr).toMatch(/fix: set "module" in krpc.config.json \(or KRPC_MODULE\) to ".*app\.module\.js#AppModule"/);
  });

  it('warns at boot about a misspelt KRPC_ variable, with the name it probably meant', async () => {
    const proc = spawnKrpc(['start', 'samples/relay', '--port', '0', '--host', '127.0.0.1'], {
      KRPC_RUNTIME_PORT: '0',
      KRPC_TARGET_HELLOWORLD_GRETER: '127.0.0.1:1',
    });
    children.push(proc);
    const warning = await proc.waitForLog(/KRPC_TARGET_HELLOWORLD_GRETER/);
    expect(warning.level).toBe('warn');
    expect(warning.msg).toMatch(/did you mean KRPC_TARGET_HELLOWORLD_GREETER\?/);
  });

  it('a second instance on the same ports fails naming the gRPC port; a taken runtime port is named with its setting', async () => {
    const first = spawnKrpc(['start', 'samples/greeter', '--port', '0', '--host', '127.0.0.1'], {
      KRPC_RUNTIME_PORT: '0',
      KRPC_RUNTIME_HOST: '127.0.0.1',
    });
    children.push(first);
    const line = await first.waitForLog(/listening/);
    const second = await cli(
      ['start', 'samples/greeter', '--host', '127.0.0.1', '--port', String(line.port), '--runtime-port', String(line.runtimePort)],
      {
        KRPC_RUNTIME_HOST: '127.0.0.1',
      },
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`KRPC_PORT_IN_USE: Port ${line.port} on 127.0.0.1 \\(gRPC\\) is already in use`));
    const runtimeTaken = await cli(
      ['start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0', '--runtime-port', String(line.runtimePort)],
      {
        KRPC_RUNTIME_HOST: '127.0.0.1',
      },
    );
    expect(runtimeTaken.code).toBe(1);
    expect(runtimeTaken.stderr).toMatch(
      new RegExp(`KRPC_PORT_IN_USE: Runtime port ${line.runtimePort} on 127.0.0.1 \\(probes and metrics\\) is already in use`),
    );
    expect(runtimeTaken.stderr).toMatch(/fix: pick another with --runtime-port or KRPC_RUNTIME_PORT/);
    expect(runtimeTaken.stderr).not.toMatch(/listen EADDRINUSE/);
  });

  it('generates TypeScript types for an app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-types-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ protos: [join(ROOT, 'samples/greeter/proto/helloworld.proto')] }));
    const out = await cli(['types', dir, '--out', 'gen']);
    expect(out.code).toBe(0);
    const greeter = readFileSync(join(dir, 'gen/helloworld/Greeter.ts'), 'utf8');
    expect(greeter).toMatch(/export interface GreeterHandlers/);
    expect(greeter).toMatch(/from '[./a-z]*\/HelloRequest\.js'/);
  });
});

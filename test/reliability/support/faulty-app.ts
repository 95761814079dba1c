import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { type ChannelOptions, type Client, credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { type KrpcProcess, ROOT } from '../../support/krpc-process.js';

/** The faulty fixture app's directory. */
export const FAULTY_APP = join(ROOT, 'test', 'reliability', 'fixtures', 'faulty-app');

/** Counters and measurements the faulty app's Stats rpc reports. */
export interface FaultyStats {
  readonly started: number;
  readonly aborted: number;
  readonly settled: number;
  readonly inFlight: number;
  /** `heapUsed` right after a full GC (the child runs with --expose-gc). */
  readonly heapUsed: number;
  /** `process.getActiveResourcesInfo().length`. */
  readonly resources: number;
  readonly resourceTypes: readonly string[];
}

/**
 * Starts the faulty app in a child (`serve-faulty.mjs`: loadAppConfig + startApp, as
 * `krpc-app start` does) with `--expose-gc`, JSON logs, free ports and `env` on top.
 */
export function spawnFaulty(env: Record<string, string> = {}): KrpcProcess {
  return spawnLogged([join(ROOT, 'test', 'reliability', 'fixtures', 'serve-faulty.mjs'), FAULTY_APP], {
    KRPC_PORT: '0',
    KRPC_RUNTIME_PORT: '0',
    NODE_OPTIONS: '--expose-gc',
    ...env,
  });
}

/** Spawns `node ...args` with JSON logs captured, with the same helpers as `spawnKrpc`. */
export function spawnLogged(args: string[], env: Record<string, string>): KrpcProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KRPC_LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: KrpcProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string),
    async waitForLog(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const line of proc.stdout.split('\n')) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (pattern.test(String(entry.msg))) return entry;
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`process exited before logging ${pattern}.\nstdout:\n${proc.stdout}\nstderr:\n${proc.stderr}`);
        }
        if (Date.now() > deadline) throw new Error(`No log line matching ${pattern} within ${timeoutMs} ms.\nstderr:\n${proc.stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  child.stdout?.on('data', (d: Buffer) => {
    proc.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    proc.stderr += d.toString();
  });
  return proc;
}

/** A grpc-js client of `reliability.Faulty` (methods as in grpc-js: callbacks and streams). */
export type FaultyClient = Client & Record<string, Function>;

/** A plain grpc-js client for the faulty app, with channel options (e.g. its own connection). */
export function faultyClient(port: number, options: ChannelOptions = {}): FaultyClient {
  const def = loadSync('proto/faulty.proto', { includeDirs: [FAULTY_APP] });
  const pkg = loadPackageDefinition(def) as unknown as { reliability: { Faulty: ServiceClientConstructor } };
  return new pkg.reliability.Faulty(`127.0.0.1:${port}`, credentials.createInsecure(), options) as unknown as FaultyClient;
}

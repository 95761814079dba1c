import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'krpc-app.js');

/** A `krpc-app` child process with its output captured. */
export interface KrpcProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the first JSON log line whose msg matches, rejecting after `timeoutMs`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns `node bin/krpc-app.js ...args` with JSON logs. */
export function spawnKrpc(args: string[], env: Record<string, string> = {}): KrpcProcess {
  return spawnNode([BIN, ...args], env);
}

/** Spawns `node ...args` (a script that serves an app) with JSON logs, output captured as for {@link spawnKrpc}. */
export function spawnNode(args: string[], env: Record<string, string> = {}): KrpcProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KRPC_LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: KrpcProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: once(child, 'close').then(([code, signal]) => (code ?? signal) as number | string),
    waitForLog(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of proc.stdout.split('\n')) {
            if (!line.startsWith('{')) continue;
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (pattern.test(String(entry.msg))) {
              cleanup();
              resolve(entry);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`No log line matching ${pattern} within ${timeoutMs} ms.\nstdout:\n${proc.stdout}\nstderr:\n${proc.stderr}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`process exited before logging ${pattern}.\nstdout:\n${proc.stdout}\nstderr:\n${proc.stderr}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout?.on('data', check);
        child.once('exit', onExit);
        check();
      });
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

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './fault-cluster/wait.mjs';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'krpc-app.js');

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` when it exited. */
  readonly at: number;
}

/** A child process of a test with its output captured and its JSON stdout lines parsed: the one wrapper tests use. */
export interface KrpcProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Every stdout line that parsed as a JSON object, in order. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves with how it exited and when. */
  readonly exit: Promise<Exit>;
  /** Resolves with the first JSON line whose `msg` matches `pattern`, or that `pattern` accepts; rejects on exit or after `timeoutMs`. */
  waitForLog(pattern: RegExp | ((line: Record<string, unknown>) => boolean), timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` (default SIGTERM) if it still runs. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGKILLs it if it still runs and waits for it to exit. */
  stop(): Promise<void>;
}

/** Spawns `node bin/krpc-app.js ...args` with JSON logs. */
export function spawnKrpc(args: string[], env: Record<string, string> = {}): KrpcProcess {
  return spawnNode([BIN, ...args], env);
}

/** Spawns `node ...args` (a script that serves an app) with JSON logs. */
export function spawnNode(args: string[], env: Record<string, string> = {}): KrpcProcess {
  return spawnProcess(process.execPath, args, { KRPC_LOG_PRETTY: 'false', ...env });
}

/** Spawns any program (Python, Prometheus…) with the test's environment plus `env`, from the repository root. */
export function spawnProcess(command: string, args: readonly string[], env: Record<string, string> = {}): KrpcProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const exit = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => {
      exited = true;
      resolve({ code, signal, at: performance.now() });
    }),
  );
  let partial = '';
  const proc: KrpcProcess = {
    child,
    stdout: '',
    stderr: '',
    lines: [],
    exit,
    exited: exit.then(({ code, signal }) => (code ?? signal) as number | string),
    waitForLog(pattern, timeoutMs = 30_000) {
      const matches = typeof pattern === 'function' ? pattern : (line: Record<string, unknown>) => pattern.test(String(line.msg));
      const describe = typeof pattern === 'function' ? 'the expected line' : `a log line matching ${pattern}`;
      return waitFor(
        () => {
          const found = proc.lines.find(matches);
          if (found) return found;
          if (exited) throw new Error(`the process exited first`);
          return undefined;
        },
        { what: describe, timeoutMs, intervalMs: 5 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nstdout:\n${proc.stdout}\nstderr:\n${proc.stderr}`);
      }) as Promise<Record<string, unknown>>;
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      proc.kill('SIGKILL');
      await exit;
    },
  };
  child.stdout?.on('data', (d: Buffer) => {
    const text = d.toString();
    proc.stdout += text;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.startsWith('{')) continue;
      try {
        proc.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line that is not JSON
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => {
    proc.stderr += d.toString();
  });
  return proc;
}

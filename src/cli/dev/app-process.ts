import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The `krpc-app` executable of this package, which dev runs its children with. */
export const KRPC_BIN = fileURLToPath(new URL('../../../../bin/krpc-app.js', import.meta.url));

/** The ports an app process bound, from its "listening" line. */
export interface AppPorts {
  readonly port: number;
  readonly runtimePort: number | undefined;
  readonly services: readonly string[];
}

/** One `krpc-app start` child on free loopback ports. */
export interface AppProcess {
  readonly pid: number;
  /** Resolves once the app is serving (its "listening" line); rejects with the exit if it ends first. */
  readonly ready: Promise<AppPorts>;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM: the app drains (the drain delay, then GOAWAY and in-flight calls finish) and exits. */
  stop(): Promise<number | string>;
}

/** Options of {@link startAppProcess}. */
export interface AppProcessOptions {
  readonly dir: string;
  readonly drainDelayMs: number;
  /** Each log line of the child, as the JSON text it wrote. */
  readonly onLog: (line: string) => void;
}

/**
 * Spawns `krpc-app start DIR` on 127.0.0.1 with port 0 for gRPC and the runtime endpoint (so the
 * next process never clashes with this one) and JSON logs, which dev reads the ports from and
 * prints. Its own process group: a Ctrl-C reaches dev, which drains the child exactly once.
 */
export function startAppProcess(options: AppProcessOptions): AppProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [KRPC_BIN, 'start', options.dir, '--host', '127.0.0.1', '--port', '0', '--runtime-port', '0'],
    {
      cwd: options.dir,
      env: { ...process.env, KRPC_LOG_PRETTY: 'false', KRPC_RUNTIME_HOST: '127.0.0.1', KRPC_DRAIN_DELAY_MS: String(options.drainDelayMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? 0)));
  const ready = new Promise<AppPorts>((resolve, reject) => {
    exited.then((how) => reject(new Error(`the app exited (${how}) before it was serving`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      options.onLog(text);
      const port = listeningPorts(text);
      if (port) resolve(port);
    });
  });
  ready.catch(() => {});
  return {
    pid: child.pid ?? 0,
    ready,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

function listeningPorts(text: string): AppPorts | undefined {
  if (!text.startsWith('{') || !text.includes('listening')) return undefined;
  try {
    const line = JSON.parse(text) as { port?: unknown; runtimePort?: unknown; services?: unknown; msg?: unknown };
    if (typeof line.port !== 'number' || !String(line.msg).includes('listening')) return undefined;
    return {
      port: line.port,
      runtimePort: typeof line.runtimePort === 'number' ? line.runtimePort : undefined,
      services: Array.isArray(line.services) ? line.services.map(String) : [],
    };
  } catch {
    return undefined;
  }
}

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from '../../config/index.js';
import { type AppProcess, KRPC_BIN, startAppProcess } from './app-process.js';
import { debounce } from './debounce.js';
import type { DevProject } from './find-project.js';
import { outputSignature } from './output-signature.js';
import type { TcpProxy } from './tcp-proxy.js';
import { type Compilation, type TscWatch, watchTsc } from './tsc-watch.js';
import { watchFiles } from './watch-files.js';

/** How long a failed compilation must stand before its errors are printed. */
const ERROR_SETTLE_MS = 400;

/** Settings of one `krpc-app dev` run. */
export interface DevSessionOptions {
  readonly project: DevProject;
  readonly config: AppConfig;
  readonly grpc: TcpProxy;
  readonly runtime: TcpProxy | undefined;
  readonly typesOut: string;
  /** Readable log lines (pino-pretty) instead of the app's JSON. */
  readonly pretty: boolean;
  readonly colors: boolean;
  readonly drainDelayMs: number;
  /** The address clients use, for the messages. */
  readonly address: string;
}

/**
 * The watch loop: tsc --watch compiles; a clean compilation whose output differs from the running
 * build starts a new `krpc-app start` child, moves the proxies to it once it is serving, then
 * drains the old one. A type error or a child that fails to boot leaves the old one serving.
 * Resolves when `stop()` has ended every child.
 */
export function runDevSession(options: DevSessionOptions): { readonly stopped: Promise<void>; stop(): void } {
  const { project, config } = options;
  const say = (text: string) => process.stdout.write(`krpc-app dev: ${text}\n`);
  const printLog = logPrinter(options.pretty, options.colors);
  const children = new Set<AppProcess>();
  let running: { app: AppProcess; signature: string } | undefined;
  let last: Compilation | undefined;
  let printedErrors = '';
  let protoChanged = false;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let again = false;

  const requestRestart = () => {
    if (restarting) {
      again = true;
      return;
    }
    restarting = restart().finally(() => {
      restarting = undefined;
      if (again && !stopping) {
        again = false;
        requestRestart();
      }
    });
  };
  const restartSoon = debounce(100, requestRestart);

  const restart = async () => {
    if (stopping || tsc.compiling || last?.errors !== 0) return;
    const signature = outputSignature(project.outDir);
    if (running && signature === running.signature && !protoChanged) return;
    protoChanged = false;
    const started = performance.now();
    const next = startAppProcess({ dir: project.dir, drainDelayMs: options.drainDelayMs, onLog: printLog });
    children.add(next);
    void next.exited.then((how) => {
      children.delete(next);
      if (running?.app === next && !stopping) {
        running = undefined;
        say(`the app exited (${how}); it restarts on the next change`);
      }
    });
    const ports = await next.ready.catch(() => undefined);
    if (ports === undefined) {
      if (stopping) return;
      say(
        `the new build did not start (its output is above); ${running ? 'still serving the previous one' : 'it restarts on the next change'}`,
      );
      return;
    }
    if (stopping) return;
    options.grpc.switchTo(ports.port);
    if (options.runtime && ports.runtimePort !== undefined) options.runtime.switchTo(ports.runtimePort);
    const previous = running;
    running = { app: next, signature };
    const ms = Math.round(performance.now() - started);
    say(
      `${previous ? 'restarted' : 'started'} in ${ms} ms: serving ${ports.services.join(', ')} on ${options.address}` +
        `${options.runtime ? ` (probes and metrics on :${options.runtime.port})` : ''}; app process ${next.pid} on 127.0.0.1:${ports.port}`,
    );
    // the old process drains: its GOAWAY sends its clients' next calls to the proxy, and so to `next`
    void previous?.app.stop();
  };

  const reportErrors = debounce(ERROR_SETTLE_MS, () => {
    if (last === undefined || last.errors === 0) return;
    if (last.output !== printedErrors) {
      process.stdout.write(`${last.output}\n`);
      printedErrors = last.output;
    }
    const plural = last.errors === 1 ? 'error' : 'errors';
    say(`${last.errors} type ${plural}; ${running ? 'still serving the previous build' : 'the app starts once they are fixed'}`);
  });

  const onCompiled = (compilation: Compilation) => {
    last = compilation;
    // an editor's save can be seen half-written; its errors are printed only if no compilation follows
    if (compilation.errors > 0) return reportErrors();
    if (printedErrors !== '') say('type errors fixed');
    printedErrors = '';
    restartSoon();
  };

  let stopResolve: () => void = () => {};
  const stopped = new Promise<void>((resolveStopped) => {
    stopResolve = resolveStopped;
  });

  const tsc: TscWatch = watchTsc({
    tsc: project.tsc,
    dir: project.dir,
    tsconfig: project.tsconfig,
    colors: options.colors,
    onCompiling: () => {
      restartSoon.cancel();
      reportErrors.cancel();
    },
    onCompiled,
    onExit: (how) => {
      say(`tsc --watch exited (${how}); stopping`);
      stop();
    },
  });

  const protoDirs = [join(project.dir, 'proto'), ...config.protos.map((p) => dirname(resolve(project.dir, p)))];
  const closeProtoWatch = watchFiles(
    protoDirs,
    (file) => file.endsWith('.proto'),
    { debounceMs: 150, recursive: true },
    () => {
      void regenerateTypes(project.dir, options.typesOut).then((ok) => {
        if (!ok) return say('krpc-app types failed (its output is above); still serving the previous build');
        protoChanged = true;
        // tsc sees the new types and compiles; when they came out the same, the protos alone restart the app
        setTimeout(() => restartSoon(), 1000).unref();
      });
    },
  );
  const closeConfigWatch = watchFiles(
    [project.dir],
    (file) => file === 'krpc.config.json',
    { debounceMs: 150, recursive: false },
    () => {
      protoChanged = true;
      restartSoon();
    },
  );

  const stop = () => {
    if (stopping) return;
    stopping = true;
    restartSoon.cancel();
    reportErrors.cancel();
    closeProtoWatch();
    closeConfigWatch();
    void (async () => {
      // a process still booting is among the children: stopping it ends the restart too
      await Promise.all([tsc.close(), ...[...children].map((child) => child.stop())]);
      await restarting;
      await Promise.all([options.grpc.close(), options.runtime?.close()]);
      stopResolve();
    })();
  };
  return { stopped, stop };
}

/** Runs `krpc-app types DIR -o OUT` as a child (it prints its own errors); resolves with whether it succeeded. */
export function regenerateTypes(dir: string, out: string): Promise<boolean> {
  const child = spawn(process.execPath, [KRPC_BIN, 'types', dir, '--out', out], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolveDone) => child.once('close', (code) => resolveDone(code === 0)));
}

/** Prints a child's JSON log line, through pino-pretty unless JSON was asked for. */
function logPrinter(pretty: boolean, colors: boolean): (line: string) => void {
  if (!pretty) return (line) => process.stdout.write(`${line}\n`);
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const format = prettyFactory({ colorize: colors, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return (line) => process.stdout.write(line.startsWith('{') ? format(line) : `${line}\n`);
}

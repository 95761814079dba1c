import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '../../config/index.js';
import { ConfigurationError } from '../../errors/index.js';
import { regenerateTypes, runDevSession } from './dev-session.js';
import { findProject } from './find-project.js';
import { listenProxy, type TcpProxy } from './tcp-proxy.js';

/** The flags of `krpc-app dev`. */
export interface StartDevOptions {
  readonly port?: number;
  readonly host?: string;
  readonly runtimePort?: number;
  readonly typesOut: string;
  readonly drainDelay: number;
}

/** Checks the project, binds the app's ports, and runs the watch loop until SIGINT or SIGTERM. */
export async function startDev(dir: string, flags: StartDevOptions): Promise<void> {
  const project = await findProject(dir);
  const config = await loadAppConfig(project.dir, { overrides: { port: flags.port, host: flags.host, runtimePort: flags.runtimePort } });
  const grpc = await bind(config.host, config.port, 'gRPC', '--port, KRPC_PORT or "port" in krpc.config.json');
  const runtime =
    config.runtime && config.runtimeHttp
      ? await bind(
          config.runtimeHost,
          config.runtimePort,
          'runtime',
          '--runtime-port, KRPC_RUNTIME_PORT or "runtimePort" in krpc.config.json',
        ).catch(async (error: unknown) => {
          await grpc.close();
          throw error;
        })
      : undefined;
  const address = `${config.host}:${grpc.port}`;
  const pretty = !['false', '0'].includes(process.env.KRPC_LOG_PRETTY ?? '');
  const say = (text: string) => process.stdout.write(`krpc-app dev: ${text}\n`);
  say(
    `watching ${project.dir}: tsc --watch, krpc-app types on .proto changes; clients connect to ${address}` +
      `${runtime ? `, probes and metrics on ${config.runtimeHost}:${runtime.port}` : ''}`,
  );
  if (config.protos.length > 0 || existsSync(join(project.dir, 'proto'))) await regenerateTypes(project.dir, flags.typesOut);
  const session = runDevSession({
    project,
    config,
    grpc,
    runtime,
    typesOut: flags.typesOut,
    pretty,
    colors: process.stdout.isTTY === true,
    drainDelayMs: flags.drainDelay,
    address,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping`);
    session.stop();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  // `npm run dev` does not pass SIGTERM on: stop when the parent goes, as `krpc-app start` does
  const parent = process.ppid;
  const watchParent = setInterval(() => {
    if (parent > 1 && process.ppid !== parent) {
      say('the parent process is gone: stopping');
      session.stop();
    }
  }, 1000).unref();
  await session.stopped;
  clearInterval(watchParent);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  say('stopped');
}

async function bind(host: string, port: number, what: string, key: string): Promise<TcpProxy> {
  return listenProxy(host, port).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new ConfigurationError('KRPC_PORT_IN_USE', `Port ${port} on ${host} (${what}) is already in use`, {
        fix: `pick another port with ${key} (0 picks a free one), or stop the process that holds it`,
        cause: error,
      });
    }
    throw new ConfigurationError('KRPC_LISTEN_FAILED', `Could not listen on ${host}:${port} (${what}): ${error.message}`, {
      fix: 'check --host / KRPC_HOST is an address of this machine',
      cause: error,
    });
  });
}

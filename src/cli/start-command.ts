import type { Command } from 'commander';
import { loadAppConfig, type RunningApp, startApp } from '../index.js';
import { parseIntOption } from './parse-options.js';

interface StartFlags {
  port?: number;
  host?: string;
  runtimePort?: number;
  verbose?: boolean;
}

/** `krpc-app start [dir]`: serve the app in `dir` until SIGTERM or SIGINT. */
export function registerStartCommand(program: Command, run: (task: () => Promise<void>, verbose: boolean) => void): void {
  program
    .command('start')
    .description('serve the app in DIR (built JavaScript) until SIGTERM/SIGINT')
    .argument('[dir]', 'app directory holding krpc.config.json or a package.json "krpc" field', '.')
    .option('-p, --port <port>', 'gRPC port (env KRPC_PORT, default 50051; 0 picks a free port)', parseIntOption('--port'))
    .option('-H, --host <host>', 'address to bind (env KRPC_HOST, default 0.0.0.0)')
    .option('--runtime-port <port>', 'runtime HTTP port (env KRPC_RUNTIME_PORT, default 9464)', parseIntOption('--runtime-port'))
    .option('-v, --verbose', 'print stack traces on errors')
    .action((dir: string, flags: StartFlags) => {
      run(async () => {
        const config = await loadAppConfig(dir, {
          overrides: { port: flags.port, host: flags.host, runtimePort: flags.runtimePort },
        });
        const running = await startApp(config);
        installSignals(running);
      }, flags.verbose === true);
    });
}

function installSignals(running: RunningApp): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      running.logger.warn({ signal }, `Second ${signal}: exiting at once`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    running.logger.info({ signal }, `${signal} received: stopping`);
    running.stop().then(
      () => {
        running.logger.info('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        running.logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

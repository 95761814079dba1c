import type { Command } from 'commander';
import { parseIntOption } from './parse-options.js';

interface StartFlags {
  port?: number;
  host?: string;
  runtimePort?: number;
  verbose?: boolean;
}

/**
 * `krpc-app start [dir]`: serve the app in `dir` until SIGTERM or SIGINT. The framework is
 * imported when the command runs, so the CLI loads only what the chosen command needs.
 */
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
        const { loadAppConfig, startApp } = await import('../index.js');
        const config = await loadAppConfig(dir, {
          overrides: { port: flags.port, host: flags.host, runtimePort: flags.runtimePort },
        });
        await startApp(config, { handleSignals: true });
      }, flags.verbose === true);
    });
}

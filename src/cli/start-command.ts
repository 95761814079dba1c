import { defineCommand } from './command.js';
import { parseWholeNumber, verboseOption } from './parse-options.js';

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
export const startCommand = defineCommand<StartFlags>({
  name: 'start',
  description: 'serve the app in DIR (built JavaScript) until SIGTERM/SIGINT',
  argument: { name: 'dir', description: 'app directory holding krpc.config.json or a package.json "krpc" field', default: '.' },
  options: {
    port: {
      short: 'p',
      value: 'port',
      description: 'gRPC port (env KRPC_PORT, default 50051; 0 picks a free port)',
      parse: parseWholeNumber,
    },
    host: { short: 'H', value: 'host', description: 'address to bind (env KRPC_HOST, default 0.0.0.0)' },
    runtimePort: { value: 'port', description: 'runtime HTTP port (env KRPC_RUNTIME_PORT, default 9464)', parse: parseWholeNumber },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { loadAppConfig, startApp } = await import('../index.js');
    const config = await loadAppConfig(dir, {
      overrides: { port: flags.port, host: flags.host, runtimePort: flags.runtimePort },
    });
    await startApp(config, { handleSignals: true });
  },
});

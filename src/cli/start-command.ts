import { defineCommand } from './command.js';
import { listenOptions, verboseOption } from './parse-options.js';

interface StartFlags {
  port?: number;
  host?: string;
  runtimePort?: number;
  verbose?: boolean;
}

/** `krpc-app start [dir]`: serve the app in `dir` until SIGTERM or SIGINT. */
export const startCommand = defineCommand<StartFlags>({
  name: 'start',
  summary: 'serve the app in DIR (built JavaScript) until SIGTERM/SIGINT',
  help: `Usage: krpc-app start [dir] [options]

Serve the app in DIR (default: .) until SIGTERM or SIGINT, then drain and exit 0. DIR holds
krpc.config.json (or a package.json "krpc" field) naming the built root module; build
TypeScript with tsc first.

Options:
  -p, --port <port>         gRPC port (env KRPC_PORT, default 50051; 0 picks a free port)
  -H, --host <host>         address to bind (env KRPC_HOST, default 0.0.0.0)
      --runtime-port <port> port of /livez, /readyz and /metrics (env KRPC_RUNTIME_PORT,
                            default 9464; 0 picks a free port)
  -v, --verbose             print stack traces on errors
  -h, --help                show this help
`,
  argument: { name: 'dir', default: '.' },
  options: {
    ...listenOptions,
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { loadAppConfig } = await import('../config/index.js');
    const { startApp } = await import('../app/index.js');
    const config = await loadAppConfig(dir, { overrides: { port: flags.port, host: flags.host, runtimePort: flags.runtimePort } });
    await startApp(config, { handleSignals: true });
  },
});

import { defineCommand } from './command.js';
import { listenOptions, parseWholeNumber, verboseOption } from './parse-options.js';

interface DevFlags {
  port?: number;
  host?: string;
  runtimePort?: number;
  typesOut: string;
  drainDelay: number;
  verbose?: boolean;
}

/** `krpc-app dev [dir]`: compile, regenerate types and restart the app on every change, without failing a call. */
export const devCommand = defineCommand<DevFlags>({
  name: 'dev',
  summary: 'watch DIR: tsc --watch, types on .proto changes, restart without dropping calls',
  help: `Usage: krpc-app dev [dir] [options]

Develop the app in DIR (default: .): compiles with the project's own tsc in watch mode
(decorator metadata intact), runs krpc-app types when a .proto changes, and restarts the app
(krpc-app start) when the build output changes. Clients keep one address, the app's port:
dev listens there and forwards each connection to the current app process, which runs on a
free loopback port. A restart starts the new process, waits until it serves, moves new
connections to it, then drains the old one, so a client calling in a loop sees no failed call.
A type error is printed once and the previous build keeps serving. Logs are readable
(KRPC_LOG_PRETTY=false prints the app's JSON). Ctrl-C or SIGTERM stops everything, exit 0.

Options:
  -p, --port <port>          where clients connect (env KRPC_PORT, else krpc.config.json "port",
                             default 50051; 0 picks a free port)
  -H, --host <host>          address to bind (env KRPC_HOST, else "host", default 0.0.0.0)
      --runtime-port <port>  /livez, /readyz and /metrics of the current process (env
                             KRPC_RUNTIME_PORT, else "runtimePort", default 9464)
      --types-out <dir>      where krpc-app types writes, relative to DIR (default: src/generated)
      --drain-delay <ms>     how long an old process keeps serving after the new one is ready
                             (default 250)
  -v, --verbose              print stack traces on errors
  -h, --help                 show this help
`,
  argument: { name: 'dir', default: '.' },
  options: {
    ...listenOptions,
    typesOut: { value: 'dir', default: 'src/generated' },
    drainDelay: { value: 'ms', default: 250, parse: parseWholeNumber },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { startDev } = await import('./dev/start-dev.js');
    await startDev(dir, flags);
  },
});

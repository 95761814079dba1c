import type { ChannelOptions } from '@grpc/grpc-js';
import type { AppConfig } from '../config/index.js';
import { createLogger, type Logger } from '../logging/index.js';
import { type ListenAddress, RpcApplication } from '../server/index.js';
import { loadRootModule } from './load-root-module.js';

/** Options of {@link startApp}. */
export interface StartAppOptions {
  readonly logger?: Logger;
}

/** An app started from its configuration. */
export interface RunningApp {
  readonly app: RpcApplication;
  readonly config: AppConfig;
  readonly address: ListenAddress;
  readonly logger: Logger;
  /** Stops it: drains calls, runs shutdown hooks. */
  stop(): Promise<void>;
}

/** grpc-js server options derived from the configuration. */
export function serverOptionsFor(config: AppConfig): ChannelOptions {
  return {
    'grpc.max_receive_message_length': config.maxReceiveMessageBytes,
    'grpc.max_concurrent_streams': config.maxConcurrentStreams,
  };
}

/**
 * Boots an app the way `krpc-app start` does: imports its built root module, creates the
 * application, listens, and logs one line with the address and the services served.
 */
export async function startApp(config: AppConfig, options: StartAppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, pretty: config.logPretty });
  const rootModule = await loadRootModule(config.dir, config.module);
  const app = await RpcApplication.create(rootModule, {
    root: config.dir,
    protos: config.protos,
    includeDirs: config.includeDirs,
    logger,
    serverOptions: serverOptionsFor(config),
  });
  let address: ListenAddress;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close({ timeoutMs: 0 });
    throw error;
  }
  logger.info(
    { address: `${address.host}:${address.port}`, port: address.port, services: app.services },
    `krpc-app listening on ${address.host}:${address.port} serving ${app.services.join(', ')}`,
  );
  return {
    app,
    config,
    address,
    logger,
    stop: () => app.close({ timeoutMs: config.shutdownTimeoutMs }),
  };
}

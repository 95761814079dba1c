import { setLogger } from '@grpc/grpc-js';
import type { Logger } from '../logging/index.js';

/** Sends grpc-js's own log lines (normally raw stderr) through the app's logger as warnings. */
export function routeGrpcLogs(logger: Logger): void {
  const log = logger.child({ component: 'grpc-js' });
  const write = (...args: unknown[]) => log.warn(args.map(String).join(' '));
  setLogger({ error: write, info: write, debug: write });
}

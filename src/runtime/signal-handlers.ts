import { constants } from 'node:os';
import type { Logger } from '../logging/index.js';

/** Options of `Runtime.installSignalHandlers`. */
export interface SignalHandlerOptions {
  /** Signals that start the drain (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Ends the process (default `process.exit`). */
  readonly exit?: (code: number) => void;
  readonly logger?: Logger;
  /**
   * Drain as on SIGTERM when the parent process goes away (checked every second): a wrapper such
   * as `npx` or `npm start` that is signalled does not pass the signal on, and the server would
   * otherwise live on, orphaned, holding its ports. Default false.
   */
  readonly watchParent?: boolean;
}

/**
 * The first signal runs `drain` and exits 0 (1 if draining failed); a second one exits at once
 * with 128 + the signal number (143 for SIGTERM, 130 for SIGINT). Returns an uninstaller.
 */
export function installSignalHandlers(drain: () => Promise<void>, options: SignalHandlerOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      options.logger?.warn({ signal }, 'Second signal: exiting now');
      exit(128 + (constants.signals[signal] ?? 15));
      return;
    }
    received = true;
    options.logger?.info({ signal }, 'Signal received: draining');
    drain().then(
      () => exit(0),
      (error: unknown) => {
        options.logger?.error({ err: error }, 'Draining failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  const parent = process.ppid;
  // a parent of 1 (or 0) is init or none: there is nothing to outlive
  const watch =
    options.watchParent && parent > 1
      ? setInterval(() => {
          if (process.ppid === parent || received) return;
          clearInterval(watch);
          options.logger?.warn({ parent }, 'The parent process is gone (a wrapper that does not forward signals?): draining');
          onSignal('SIGTERM');
        }, 1000).unref()
      : undefined;
  return () => {
    clearInterval(watch);
    for (const signal of signals) process.off(signal, onSignal);
  };
}

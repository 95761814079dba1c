import { constants } from 'node:os';
import type { Logger } from '../logging/index.js';

/** Options of `Runtime.installSignalHandlers`. */
export interface SignalHandlerOptions {
  /** Signals that start the drain (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Ends the process (default `process.exit`). */
  readonly exit?: (code: number) => void;
  readonly logger?: Logger;
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
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}

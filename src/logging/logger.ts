import { createRequire } from 'node:module';
import pino from 'pino';

/** A log method: a message, or fields and a message (pino's shape). */
export interface LogFn {
  (message: string): void;
  (fields: object, message?: string): void;
}

/** The logger the framework writes to; a pino logger satisfies it. */
export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** The log levels, quietest last. */
export const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** `debug`, `info` (default), `warn`, `error` or `silent`; `KRPC_LOG_LEVEL` overrides it. */
  readonly level?: string;
  /** Human-readable lines instead of JSON; defaults to whether stdout is a TTY (`KRPC_LOG_PRETTY`). */
  readonly pretty?: boolean;
  /** Fields on every line (e.g. pod name). */
  readonly base?: Record<string, unknown>;
  /** Where JSON lines go (default stdout). */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * The framework's logger: pino, JSON lines by default (one object a line, `level` as a
 * label), readable output when stdout is a terminal. Adds `pod` and `namespace` from the
 * downward-API variables `POD_NAME` and `POD_NAMESPACE` when they are set.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = process.env;
  const level = env.KRPC_LOG_LEVEL || options.level || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new RangeError(`Unknown log level "${level}" (KRPC_LOG_LEVEL): use one of ${LOG_LEVELS.join(', ')}`);
  }
  const prettyEnv = env.KRPC_LOG_PRETTY;
  const prettyOut =
    prettyEnv !== undefined && prettyEnv !== ''
      ? prettyEnv === 'true' || prettyEnv === '1'
      : (options.pretty ?? process.stdout.isTTY === true);
  const base: Record<string, unknown> = { ...options.base };
  if (env.POD_NAME) base.pod = env.POD_NAME;
  if (env.POD_NAMESPACE) base.namespace = env.POD_NAMESPACE;
  const opts: pino.LoggerOptions = {
    level,
    base: Object.keys(base).length > 0 ? base : undefined,
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (prettyOut) {
    // Loaded only for readable output: JSON logging (containers) skips its start-up cost.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(opts, pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(opts, options.destination ?? pino.destination({ sync: true }));
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

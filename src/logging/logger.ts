import { createRequire } from 'node:module';
import { type DestinationStream, type Level, type LoggerOptions as PinoOptions, pino } from 'pino';

/**
 * The logger the framework writes to and injects; a pino logger satisfies it. Methods, not
 * function-valued properties: they are always called on the logger, so an implementation may rely
 * on `this` (pino's do).
 */
export interface Logger {
  trace(message: string): void;
  trace(fields: object, message?: string): void;
  debug(message: string): void;
  debug(fields: object, message?: string): void;
  info(message: string): void;
  info(fields: object, message?: string): void;
  warn(message: string): void;
  warn(fields: object, message?: string): void;
  error(message: string): void;
  error(fields: object, message?: string): void;
  fatal(message: string): void;
  fatal(fields: object, message?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** pino's levels, most verbose first, then `silent` (nothing is written). */
export const LOG_LEVELS: readonly (Level | 'silent')[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** One of {@link LOG_LEVELS} (default `info`); `KRPC_LOG_LEVEL` overrides it. */
  readonly level?: string;
  /** Readable lines (pino-pretty) instead of JSON; defaults to whether stdout is a TTY (`KRPC_LOG_PRETTY`). */
  readonly pretty?: boolean;
  /** Fields on every line (e.g. the pod name). */
  readonly base?: Record<string, unknown>;
  /** Where lines go, JSON or pretty (default: stdout, written synchronously). */
  readonly destination?: NodeJS.WritableStream;
  /** Fields computed for every line as it is written (pino `mixin`): tracing adds `trace_id` and `span_id` with it. */
  readonly mixin?: () => object;
}

/**
 * The framework's default logger: pino writing JSON lines (`level` as a label, an ISO `time`), or
 * pino-pretty's readable lines when stdout is a terminal. Lines are written synchronously, so the
 * last lines of a drain survive `process.exit()`. Adds `pod` and `namespace` from the downward-API
 * variables `POD_NAME` and `POD_NAMESPACE` when they are set.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'debug' });
 * logger.info({ port: 50051 }, 'listening');
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = process.env;
  const level = env.KRPC_LOG_LEVEL || options.level || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new RangeError(`Unknown log level "${level}" (KRPC_LOG_LEVEL): use one of ${LOG_LEVELS.join(', ')}`);
  }
  const prettyEnv = env.KRPC_LOG_PRETTY;
  const pretty =
    prettyEnv !== undefined && prettyEnv !== ''
      ? prettyEnv === 'true' || prettyEnv === '1'
      : (options.pretty ?? process.stdout.isTTY === true);
  const base: Record<string, unknown> = { ...options.base };
  if (env.POD_NAME) base.pod = env.POD_NAME;
  if (env.POD_NAMESPACE) base.namespace = env.POD_NAMESPACE;
  const settings: PinoOptions = {
    level,
    base,
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.mixin) settings.mixin = options.mixin;
  return pino(settings, pretty ? prettyStream(options.destination) : (options.destination ?? pino.destination({ dest: 1, sync: true })));
}

/**
 * Whether `logger` writes lines at `level`, by pino's `isLevelEnabled`; `undefined` for a logger
 * without it (one that filters by itself).
 */
export function levelEnabled(logger: Logger, level: Level): boolean | undefined {
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check === 'function' ? check.call(logger, level) : undefined;
}

/** A logger that writes nothing (pino at level `silent`). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** pino-pretty, loaded only for readable output: JSON logging (containers) does not pay for it. */
function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({ sync: true, colorize: destination === undefined, translateTime: 'SYS:HH:MM:ss.l', destination: destination ?? 1 });
}

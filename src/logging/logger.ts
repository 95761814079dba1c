import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A log method: a message, or fields and a message (pino's shape). */
export interface LogFn {
  (message: string): void;
  (fields: object, message?: string): void;
}

/**
 * The logger the framework writes to; a pino logger satisfies it. Methods, not function-valued
 * properties: they are always called on the logger, so an implementation may rely on `this`.
 */
export interface Logger {
  debug(message: string): void;
  debug(fields: object, message?: string): void;
  info(message: string): void;
  info(fields: object, message?: string): void;
  warn(message: string): void;
  warn(fields: object, message?: string): void;
  error(message: string): void;
  error(fields: object, message?: string): void;
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
  /** Where JSON lines go (default: stdout, written synchronously). */
  readonly destination?: NodeJS.WritableStream;
}

/** Where the lines of a {@link JsonLogger} go. */
interface LineSink {
  write(line: string): unknown;
}

/**
 * The framework's logger: JSON lines in pino's format by default (one object per line, `level` as a
 * label, an ISO `time`, the fields, then `msg`; errors under `err` as pino's serializer writes
 * them), readable output (pino-pretty) when stdout is a terminal. Adds `pod` and `namespace` from
 * the downward-API variables `POD_NAME` and `POD_NAMESPACE` when they are set.
 *
 * The lines are written here rather than by pino itself: loading and building pino costs every
 * start ~15 ms and keeps ~0.4 MB alive for the life of the process (docs/performance.md), for
 * features (transports, redaction, printf-style messages) the framework does not use. Pass a pino
 * logger as `logger` to `RpcApplication.create()` to have them.
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
  let sink: LineSink = options.destination ?? stdoutSink;
  if (prettyOut) {
    // Loaded only for readable output: JSON logging (containers) skips its start-up cost.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    sink = pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l' });
  }
  return new JsonLogger(sink, LOG_LEVELS.indexOf(level), fieldsJson(base));
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return new JsonLogger({ write: () => true }, LOG_LEVELS.indexOf('silent'), '');
}

const ignore: LogFn = () => {};

/** One millisecond's pause for a full non-blocking stdout, without a busy loop. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes each line to stdout synchronously, as `pino.destination({ sync: true })` did: a line
 * logged just before `process.exit()` (the drain's last line) is never lost, whatever stdout is
 * (on macOS a pipe is asynchronous for `process.stdout`). A full pipe is retried; a closed one
 * drops the line rather than throwing into the caller.
 */
const stdoutSink: LineSink = {
  write(line: string): void {
    let pending = Buffer.from(line, 'utf8');
    while (pending.length > 0) {
      try {
        pending = pending.subarray(writeSync(1, pending));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  },
};

/** Writes pino-format JSON lines at or above a threshold; methods below it do nothing. */
class JsonLogger implements Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;

  /**
   * @param threshold index in {@link LOG_LEVELS} of the lowest level written
   * @param bindings the base and child fields, as JSON members each starting with a comma
   */
  constructor(
    private readonly sink: LineSink,
    private readonly threshold: number,
    private readonly bindings: string,
  ) {
    this.debug = this.method('debug');
    this.info = this.method('info');
    this.warn = this.method('warn');
    this.error = this.method('error');
  }

  child(bindings: Record<string, unknown>): Logger {
    return new JsonLogger(this.sink, this.threshold, this.bindings + fieldsJson(bindings));
  }

  private method(level: string): LogFn {
    if (LOG_LEVELS.indexOf(level) < this.threshold) return ignore;
    const head = `{"level":"${level}","time":"`;
    return (fieldsOrMessage: object | string, message?: string): void => {
      let line = `${head}${new Date().toISOString()}"${this.bindings}`;
      let msg = message;
      if (typeof fieldsOrMessage === 'string') msg = fieldsOrMessage;
      else if (fieldsOrMessage instanceof Error) {
        line += `,"err":${toJson(fieldsOrMessage)}`;
        msg ??= fieldsOrMessage.message;
      } else if (fieldsOrMessage !== null && fieldsOrMessage !== undefined) {
        line += fieldsJson(fieldsOrMessage as Record<string, unknown>);
      }
      if (msg !== undefined) line += `,"msg":${JSON.stringify(String(msg))}`;
      this.sink.write(`${line}}\n`);
    };
  }
}

/** `fields` as JSON object members, each with a leading comma; undefined values are left out. */
function fieldsJson(fields: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(fields)) {
    const json = toJson(fields[key]);
    if (json !== undefined) out += `,${JSON.stringify(key)}:${json}`;
  }
  return out;
}

/**
 * `value` as JSON the way pino writes it: errors through its `err` serializer, bigints as numbers,
 * circular references as `"[Circular]"`, undefined (and functions, symbols) left out. Never throws.
 */
function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, replacer);
  } catch {
    try {
      return JSON.stringify(withoutCycles(value, []), replacer);
    } catch (error) {
      return JSON.stringify(`[unserializable: ${error instanceof Error ? error.message : String(error)}]`);
    }
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Error) return serializeError(value, new Set());
  return value;
}

/** A copy of `value` with each reference back to an enclosing object replaced by `"[Circular]"`. */
function withoutCycles(value: unknown, ancestors: object[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return '[Circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !(value instanceof Error)) return value;
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => withoutCycles(item, inner));
  const source = value instanceof Error ? serializeError(value, new Set()) : (value as Record<string, unknown>);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) copy[key] = withoutCycles(source[key], inner);
  return copy;
}

/**
 * pino's error serializer (pino-std-serializers `err`): `type`, `message` and `stack` with the
 * `cause` chain appended (`": inner"`, `"\ncaused by: ..."`), then the error's own enumerable
 * fields (`code`, `details`, ...), nested errors serialized the same way.
 */
function serializeError(error: Error, seen: Set<Error>): Record<string, unknown> {
  seen.add(error);
  const ctor = (error as { constructor?: unknown }).constructor;
  const out: Record<string, unknown> = {
    type: typeof ctor === 'function' && ctor.name ? ctor.name : error.name,
    message: withCauses(error, (e) => e.message, ': ', seen),
    stack: withCauses(error, (e) => e.stack ?? '', '\ncaused by: ', seen),
  };
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    out.aggregateErrors = error.errors.map((e: unknown) => (e instanceof Error && !seen.has(e) ? serializeError(e, seen) : e));
  }
  for (const key of Object.keys(error)) {
    if (key === 'cause' || key in out) continue;
    const field = (error as unknown as Record<string, unknown>)[key];
    out[key] = field instanceof Error ? (seen.has(field) ? '[Circular]' : serializeError(field, seen)) : field;
  }
  return out;
}

function withCauses(error: Error, part: (e: Error) => string, joiner: string, seen: Set<Error>): string {
  let text = part(error);
  const visited = new Set<Error>([error]);
  let cause = error.cause;
  while (cause instanceof Error && !visited.has(cause)) {
    visited.add(cause);
    seen.add(cause);
    const next = part(cause);
    if (next) text += joiner + next;
    cause = cause.cause;
  }
  return text;
}

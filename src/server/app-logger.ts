import { currentCallScope } from '../context/index.js';
import { type Logger, levelEnabled } from '../logging/index.js';
import { ServerCall } from './server-call.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * The app's logger for application code: inject it by type. It writes through the app's logger
 * (pino by default, so lines look like the framework's); inside a call each line also carries the
 * rpc (`rpc: "/helloworld.Greeter/SayHello"`) and the caller's `x-request-id`, when it sent one.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Orders {
 *   constructor(private readonly log: AppLogger) {}
 *   place(id: string) { this.log.info({ order: id }, 'order placed'); }
 * }
 * ```
 */
export class AppLogger implements Logger {
  constructor(private readonly base: Logger) {}

  trace(fieldsOrMessage: object | string, message?: string): void {
    this.write('trace', fieldsOrMessage, message);
  }
  debug(fieldsOrMessage: object | string, message?: string): void {
    this.write('debug', fieldsOrMessage, message);
  }
  info(fieldsOrMessage: object | string, message?: string): void {
    this.write('info', fieldsOrMessage, message);
  }
  warn(fieldsOrMessage: object | string, message?: string): void {
    this.write('warn', fieldsOrMessage, message);
  }
  error(fieldsOrMessage: object | string, message?: string): void {
    this.write('error', fieldsOrMessage, message);
  }
  fatal(fieldsOrMessage: object | string, message?: string): void {
    this.write('fatal', fieldsOrMessage, message);
  }

  /** A child with `bindings` on every line; it still adds the call's fields inside a call. */
  child(bindings: Record<string, unknown>): AppLogger {
    return new AppLogger(this.base.child(bindings));
  }

  private write(level: Level, fieldsOrMessage: object | string, message?: string): void {
    // a line below the level costs a check, not the call's fields (a debug line per call at info)
    if (levelEnabled(this.base, level) === false) return;
    const call = currentCallScope();
    if (!(call instanceof ServerCall)) {
      if (typeof fieldsOrMessage === 'string') this.base[level](fieldsOrMessage);
      else this.base[level](fieldsOrMessage, message);
      return;
    }
    if (typeof fieldsOrMessage === 'string') this.base[level](callFields(call), fieldsOrMessage);
    else this.base[level]({ ...callFields(call), ...fieldsOrMessage }, message);
  }
}

function callFields(call: ServerCall): Record<string, unknown> {
  const requestId = call.header('x-request-id');
  return requestId === undefined ? { rpc: call.method.path } : { rpc: call.method.path, requestId };
}

import type { Logger } from '../../src/logging/index.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** A log line captured by {@link memoryLogger}. */
export interface CapturedLine {
  readonly level: Level;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line in memory (children write to the same list), for asserting what was logged. */
export function memoryLogger(lines: CapturedLine[] = []): Logger & { lines: CapturedLine[] } {
  const make = (level: Level) => (a: object | string, b?: string) => {
    if (typeof a === 'string') lines.push({ level, fields: {}, message: a });
    else lines.push({ level, fields: a as Record<string, unknown>, message: b ?? '' });
  };
  const logger = {
    lines,
    trace: make('trace'),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    fatal: make('fatal'),
    child: () => logger,
  };
  return logger;
}

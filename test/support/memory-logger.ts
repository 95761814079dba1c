import type { Logger } from '../../src/logging/index.js';

/** A log line captured by {@link memoryLogger}. */
export interface CapturedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line in memory, for asserting what the server logged. */
export function memoryLogger(lines: CapturedLine[] = []): Logger & { lines: CapturedLine[] } {
  const make = (level: CapturedLine['level']) =>
    ((a: object | string, b?: string) => {
      if (typeof a === 'string') lines.push({ level, fields: {}, message: a });
      else lines.push({ level, fields: a as Record<string, unknown>, message: b ?? '' });
    }) as Logger['info'];
  const logger = {
    lines,
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    child: () => logger,
  };
  return logger;
}

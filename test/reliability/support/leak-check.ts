import { ROOT } from '../../support/krpc-process.js';

/** The fake secret every reliability child gets in its environment; no status may carry it. */
export const FAKE_SECRET = 'krpc-fake-secret-7f3a9c2e';

/** Environment that plants the fake secret where an app could read it. */
export const SECRET_ENV: Record<string, string> = {
  KRPC_RELIABILITY_SECRET: FAKE_SECRET,
  DATABASE_PASSWORD: FAKE_SECRET,
  GREETER_SALUTATION: 'Hello',
};

/**
 * What a status message sent to a caller must never contain: the secret, a file path of this
 * machine, a stack frame, or source locations.
 */
export function leaksIn(message: string): string[] {
  const found: string[] = [];
  if (message.includes(FAKE_SECRET)) found.push('the fake secret');
  if (message.includes(ROOT)) found.push(`a path under ${ROOT}`);
  if (/\/(etc|var|home|root|tmp|usr)\//.test(message)) found.push('an absolute path');
  if (/\n\s+at\s|\bat .+:\d+:\d+/.test(message)) found.push('a stack frame');
  if (/\.(m?js|ts):\d+/.test(message)) found.push('a source location');
  if (/node_modules/.test(message)) found.push('node_modules');
  return found;
}

/** Lines on a child's stderr that mean something went wrong in the process itself. */
export function processTrouble(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /unhandled|uncaught|rejection|Warning|FATAL|heap out of memory|Error:/i.test(l));
}

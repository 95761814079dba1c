import { describe, expect, it } from 'vitest';
import { installSignalHandlers } from './signal-handlers.js';

describe('installSignalHandlers', () => {
  it('drains on the first signal then exits 0; a second signal exits at once with 128+n', async () => {
    const exits: number[] = [];
    let finish: () => void = () => {};
    let drains = 0;
    const uninstall = installSignalHandlers(
      () => {
        drains++;
        return new Promise<void>((r) => {
          finish = r;
        });
      },
      { signals: ['SIGUSR2'], exit: (code) => exits.push(code) },
    );
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(drains).toBe(1);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([128 + 12]);
      finish();
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([140, 0]);
    } finally {
      uninstall();
    }
  });
});

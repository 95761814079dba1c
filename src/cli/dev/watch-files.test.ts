import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { watchFiles } from './watch-files.js';

describe('watchFiles', () => {
  it('calls back once for a burst of writes to accepted files in subdirectories, and not for others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-watch-'));
    mkdirSync(join(dir, 'nested'));
    const changed = vi.fn();
    const close = watchFiles([dir], (file) => file.endsWith('.proto'), { debounceMs: 200, recursive: true }, changed);
    try {
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'nested', 'a.proto'), `syntax = "proto3"; // ${i}`);
      await vi.waitFor(() => expect(changed).toHaveBeenCalled(), { timeout: 10_000 });
      // the burst's debounce has fired; nothing else is pending
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(changed).toHaveBeenCalledTimes(1);
    } finally {
      close();
    }
  });
});

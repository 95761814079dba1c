import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** Compares `text` with `test/deploy/golden/NAME`; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function expectGolden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/deploy`);
  expect(text, `differs from ${file} (UPDATE_GOLDEN=1 rewrites it; review the diff)`).toBe(readFileSync(file, 'utf8'));
}

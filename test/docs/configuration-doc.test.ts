import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/krpc-process.js';
import { configTable } from './config-table.js';

const DOC = join(ROOT, 'docs/configuration.md');
const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';

describe('docs/configuration.md', () => {
  it('lists every configuration key, its variable, type and default exactly as the code has them', () => {
    const text = readFileSync(DOC, 'utf8');
    const current = text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim();
    const expected = configTable();
    if (process.env.UPDATE_DOCS === '1' && current !== expected) {
      writeFileSync(DOC, text.replace(current, expected));
      return;
    }
    expect(text).toContain(START);
    expect(current).toBe(expected);
  });
});

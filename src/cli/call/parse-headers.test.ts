import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { parseHeaders } from './parse-headers.js';

describe('parseHeaders', () => {
  it('reads name:value, repeated or as a comma list, lower-casing names', () => {
    expect(parseHeaders(['Authorization: Bearer x', 'x-a:1,x-b: 2'])).toEqual([
      ['authorization', 'Bearer x'],
      ['x-a', '1'],
      ['x-b', '2'],
    ]);
  });

  it('keeps a comma that does not start another header in the value', () => {
    expect(parseHeaders(['accept: a, b'])).toEqual([['accept', 'a, b']]);
  });

  it('refuses a header without a name', () => {
    expect(() => parseHeaders(['novalue'])).toThrow(new UsageError('--header must be name:value, got "novalue"'));
    expect(() => parseHeaders([':x'])).toThrow(UsageError);
  });
});

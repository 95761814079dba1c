import { describe, expect, it } from 'vitest';
import { pushbackWithinDeadline } from './server-call.js';

describe('pushbackWithinDeadline', () => {
  it('sends the pushback when the rest of the deadline fits a retry after it', () => {
    expect(pushbackWithinDeadline(400, Number.POSITIVE_INFINITY)).toBe(400);
    expect(pushbackWithinDeadline(400, 600)).toBe(400);
  });

  it('tells a caller whose deadline would run out first not to retry (-1, which grpc-js honours)', () => {
    expect(pushbackWithinDeadline(400, 599)).toBe(-1);
    expect(pushbackWithinDeadline(400, 0)).toBe(-1);
  });

  it('sends none when the shedder gives none (the in-flight limit)', () => {
    expect(pushbackWithinDeadline(undefined, 100)).toBeUndefined();
  });
});

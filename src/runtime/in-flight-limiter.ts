/**
 * Counts the calls in progress and, with a limit, refuses calls over it (load shedding). One per
 * process: every method shares it, so the limit is on the whole server.
 */
export class InFlightLimiter {
  /** Calls admitted and not yet ended. */
  current = 0;
  /** The limit; `Infinity` only counts. */
  readonly limit: number;

  /** @param limit calls allowed at once; `undefined`, `0` or `Infinity` means no limit. */
  constructor(limit?: number) {
    this.limit = limit === undefined || limit <= 0 ? Number.POSITIVE_INFINITY : limit;
  }

  /** Admits a call (true) or refuses it because `limit` calls are in progress (false). */
  tryAcquire(): boolean {
    if (this.current >= this.limit) return false;
    this.current++;
    return true;
  }

  /** An admitted call ended. */
  release(): void {
    if (this.current > 0) this.current--;
  }
}

// The one way the fault harness waits: on a condition, polled, with a bound. Nothing in the
// harness sleeps to synchronise; a fixed pause is only ever a measurement window (`hold`).

/**
 * Resolves with the first truthy value of `check()` (which may be async), polled every
 * `intervalMs`; rejects naming `what` after `timeoutMs`. A check that throws counts as false
 * (a server not up yet), and its last error is part of the timeout message.
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{ what: string, timeoutMs?: number, intervalMs?: number }} options
 * @returns {Promise<T>}
 */
export async function waitFor(check, { what, timeoutMs = 10_000, intervalMs = 20 }) {
  const deadline = performance.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const cause = lastError ? ` (last error: ${lastError.message ?? lastError})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * `promise`, or a rejection naming `what` after `timeoutMs`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Lets `ms` pass: a measurement window (load before a fault, the fault itself), never a way to
 * wait for something to happen.
 * @param {number} ms
 */
export function hold(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Wall-clock time in ms with sub-ms precision, comparable across the harness's processes. */
export function now() {
  return performance.timeOrigin + performance.now();
}

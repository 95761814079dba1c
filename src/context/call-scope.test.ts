import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallScope } from './call-scope.js';

const scope = { deadline: undefined, signal: new AbortController().signal, metadata: {} } as unknown as CallScope;
const other = { ...scope } as CallScope;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A fresh copy of the module: each test sees its own process-wide state (no order dependence). */
async function fresh() {
  vi.resetModules();
  return import('./call-scope.js');
}

describe('call scope', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("'async' follows the call across awaits and is gone outside it", async () => {
    const m = await fresh();
    const seen = await m.runInCallScope(
      'async',
      scope,
      async () => {
        const before = m.currentCallScope();
        await tick();
        return { before, after: m.currentCallScope() };
      },
      undefined,
    );
    expect(seen).toEqual({ before: scope, after: scope });
    expect(m.currentCallScope()).toBeUndefined();
  });

  it("'sync' holds during the synchronous part only, and restores an enclosing scope", async () => {
    const m = await fresh();
    const seen = await m.runInCallScope(
      'sync',
      scope,
      async () => {
        const before = m.currentCallScope();
        const nested = m.runInCallScope('sync', other, () => m.currentCallScope(), undefined);
        const afterNested = m.currentCallScope();
        await tick();
        return { before, nested, afterNested, after: m.currentCallScope() };
      },
      undefined,
    );
    expect(seen).toEqual({ before: scope, nested: other, afterNested: scope, after: undefined });
  });

  it('lets a sync app and an async app of one process each keep their own mode', async () => {
    const m = await fresh();
    const asyncCall = m.runInCallScope(
      'async',
      scope,
      async () => {
        await tick();
        return m.currentCallScope();
      },
      undefined,
    );
    const syncCall = m.runInCallScope(
      'sync',
      other,
      async () => {
        await tick();
        return m.currentCallScope();
      },
      undefined,
    );
    expect(await asyncCall).toBe(scope);
    expect(await syncCall).toBeUndefined();
  });

  it('warns once, naming the fix, when user code finds no call after a sync app served one', async () => {
    const m = await fresh();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(m.currentCallScopeForUser()).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
    const after = await m.runInCallScope(
      'sync',
      scope,
      async () => {
        await tick();
        return [m.currentCallScopeForUser(), m.currentCallScopeForUser()];
      },
      undefined,
    );
    expect(after).toEqual([undefined, undefined]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/callScope: "async" \(KRPC_CALL_SCOPE=async\)/);
    expect(m.runInCallScope('sync', scope, () => m.currentCallScopeForUser(), undefined)).toBe(scope);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('does not warn when only async apps ran', async () => {
    const m = await fresh();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    await m.runInCallScope('async', scope, async () => tick(), undefined);
    expect(m.currentCallScopeForUser()).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallScope } from './call-scope.js';

const scope = { deadline: undefined, signal: new AbortController().signal, metadata: {} } as unknown as CallScope;
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function load(mode: string | undefined) {
  vi.resetModules();
  if (mode !== undefined) vi.stubEnv('KRPC_CALL_SCOPE', mode);
  return import('./call-scope.js');
}

type Module = Awaited<ReturnType<typeof load>>;

/** What the scope reads before and after an await inside `runInCallScope`, and outside it afterwards. */
async function observe(m: Module) {
  const seen = await m.runInCallScope(
    scope,
    async (s) => {
      const before = m.currentCallScope();
      await tick();
      return { before: before === s, after: m.currentCallScope() === s };
    },
    scope,
  );
  return { ...seen, outside: m.currentCallScope() };
}

describe('call scope', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('with KRPC_CALL_SCOPE=async, follows the call across awaits', async () => {
    const m = await load('async');
    expect(await observe(m)).toEqual({ before: true, after: true, outside: undefined });
  });

  it('with KRPC_CALL_SCOPE=sync, is seen until the first await only, even when clients require it', async () => {
    const m = await load('sync');
    m.requireCallScopeAcrossAwaits();
    expect(await observe(m)).toEqual({ before: true, after: false, outside: undefined });
  });

  it('by default (auto), is synchronous until something requires it across awaits, then follows awaits', async () => {
    const m = await load(undefined);
    expect(await observe(m)).toEqual({ before: true, after: false, outside: undefined });
    m.requireCallScopeAcrossAwaits();
    expect(await observe(m)).toEqual({ before: true, after: true, outside: undefined });
    // Configuring auto again (a second app in the process) does not take it back.
    m.configureCallScope('auto');
    expect(await observe(m)).toEqual({ before: true, after: true, outside: undefined });
    m.configureCallScope('sync');
    expect(await observe(m)).toEqual({ before: true, after: false, outside: undefined });
  });

  it('warns once, naming the fix, when user code finds no call while auto keeps the scope synchronous', async () => {
    const m = await load(undefined);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const after = await m.runInCallScope(
      scope,
      async () => {
        await tick();
        return [m.currentCallScopeForUser(), m.currentCallScopeForUser()];
      },
      scope,
    );
    expect(after).toEqual([undefined, undefined]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/callScope: "async" \(KRPC_CALL_SCOPE=async\)/);
    // Inside the synchronous part it is found, and nothing more is emitted.
    expect(m.runInCallScope(scope, () => m.currentCallScopeForUser(), undefined)).toBe(scope);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('does not warn when the mode was chosen explicitly', async () => {
    const m = await load('sync');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(m.currentCallScopeForUser()).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallScope } from './call-scope.js';

const scope = { deadline: undefined, signal: new AbortController().signal, metadata: {} } as unknown as CallScope;
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function load(mode: string | undefined) {
  vi.resetModules();
  if (mode !== undefined) vi.stubEnv('KRPC_CALL_SCOPE', mode);
  return import('./call-scope.js');
}

describe('call scope', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('follows the call across awaits by default', async () => {
    const m = await load(undefined);
    expect(m.callScopeFollowsAwaits()).toBe(true);
    const seen = await m.runInCallScope(
      scope,
      async (s) => {
        const before = m.currentCallScope();
        await tick();
        return [before === s, m.currentCallScope() === s];
      },
      scope,
    );
    expect(seen).toEqual([true, true]);
    expect(m.currentCallScope()).toBeUndefined();
  });

  it('with KRPC_CALL_SCOPE=sync, is seen until the first await only', async () => {
    const m = await load('sync');
    expect(m.callScopeFollowsAwaits()).toBe(false);
    const seen = await m.runInCallScope(
      scope,
      async (s) => {
        const before = m.currentCallScope();
        await tick();
        return [before === s, m.currentCallScope()];
      },
      scope,
    );
    expect(seen).toEqual([true, undefined]);
    expect(m.currentCallScope()).toBeUndefined();
  });
});

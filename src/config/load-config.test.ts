import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, DEFAULT_CONFIG } from './config-keys.js';
import { loadAppConfig } from './load-config.js';

function appDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'krpc-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadAppConfig', () => {
  it('applies defaults, then the file, then KRPC_ variables, then flags', async () => {
    const dir = appDir({ 'krpc.config.json': JSON.stringify({ port: 6000, host: '127.0.0.1', runtime: false }) });
    const fromFile = await loadAppConfig(dir, { env: {} });
    expect(fromFile).toMatchObject({ port: 6000, host: '127.0.0.1', runtime: false, runtimePort: DEFAULT_CONFIG.runtimePort });
    const fromEnv = await loadAppConfig(dir, { env: { KRPC_PORT: '7000', KRPC_RUNTIME: 'true', KRPC_PROTOS: 'a.proto, b.proto' } });
    expect(fromEnv).toMatchObject({ port: 7000, runtime: true, protos: ['a.proto', 'b.proto'] });
    const fromFlags = await loadAppConfig(dir, { env: { KRPC_PORT: '7000' }, overrides: { port: 0 } });
    expect(fromFlags.port).toBe(0);
  });

  it('reads the "krpc" field of package.json and krpc.config.mjs', async () => {
    expect((await loadAppConfig(appDir({ 'package.json': JSON.stringify({ krpc: { port: 1234 } }) }), { env: {} })).port).toBe(1234);
    expect((await loadAppConfig(appDir({ 'krpc.config.mjs': 'export default { port: 4321 };' }), { env: {} })).port).toBe(4321);
  });

  it('names the key, the source and the fix for bad values', async () => {
    const dir = appDir({ 'krpc.config.json': '{"port": 70000}' });
    await expect(loadAppConfig(dir, { env: {} })).rejects.toThrow(/Invalid port from .*krpc\.config\.json: 70000 is not a port number/);
    await expect(loadAppConfig(appDir({}), { env: { KRPC_RUNTIME: 'yes' } })).rejects.toThrow(/environment variable KRPC_RUNTIME/);
    await expect(loadAppConfig(appDir({ 'krpc.config.json': '{"runtimePrt": 1}' }), { env: {} })).rejects.toThrow(
      /did you mean "runtimePort"/,
    );
    await expect(loadAppConfig(appDir({ 'krpc.config.json': '{oops' }), { env: {} })).rejects.toThrow(/not valid JSON/);
  });

  it('gives every key an environment variable', () => {
    for (const key of CONFIG_KEYS) expect(key.env).toMatch(/^KRPC_[A-Z_]+$/);
    expect(new Set(CONFIG_KEYS.map((k) => k.key))).toEqual(new Set(Object.keys(DEFAULT_CONFIG)));
  });
});

describe('clients', () => {
  it('merges per service: flags over KRPC_CLIENTS over the file, keeping what only one names', async () => {
    const dir = appDir({
      'krpc.config.json': JSON.stringify({ clients: { 'a.A': { keepalive: 'fast', timeoutMs: 100 }, 'b.B': { retryable: true } } }),
    });
    const config = await loadAppConfig(dir, { env: { KRPC_CLIENTS: '{"a.A":{"timeoutMs":200,"loadBalancing":"round_robin"}}' } });
    expect(config.clients).toEqual({
      'a.A': { keepalive: 'fast', timeoutMs: 200, loadBalancing: 'round_robin' },
      'b.B': { retryable: true },
    });
    const flagged = await loadAppConfig(dir, { env: {}, overrides: { clients: { 'b.B': { retryable: false } } } });
    expect(flagged.clients?.['b.B']).toEqual({ retryable: false });
  });

  it('refuses a client entry that is not an object and KRPC_CLIENTS that is not JSON', async () => {
    await expect(loadAppConfig(appDir({}), { env: { KRPC_CLIENTS: '{"a.A": 3}' } })).rejects.toThrow(/clients\["a.A"\]/);
    await expect(loadAppConfig(appDir({}), { env: { KRPC_CLIENTS: 'nope' } })).rejects.toThrow(/KRPC_CLIENTS/);
  });
});

import { describe, expect, it } from 'vitest';
import { webSettings } from './web-options.js';

const DEFAULTS = { host: '0.0.0.0', maxBodyBytes: 4 * 1024 * 1024 };

describe('webSettings', () => {
  it('fills in the defaults', () => {
    expect(webSettings(undefined, DEFAULTS)).toEqual({
      host: '0.0.0.0',
      corsOrigins: [],
      corsAllowedHeaders: [],
      corsExposedHeaders: [],
      maxBodyBytes: 4 * 1024 * 1024,
      requestTimeoutMs: 30_000,
      handshakeTimeoutMs: 5000,
      idleTimeoutMs: 20_000,
    });
  });

  it('names the key and the fix for every mistake', () => {
    expect(() => webSettings({ corsOrigin: ['https://a.example'] }, DEFAULTS)).toThrow(/web\.corsOrigin.*did you mean "web\.corsOrigins"/s);
    expect(() => webSettings({ port: 8080 }, DEFAULTS)).toThrow(/did you mean "webPort" \(KRPC_WEB_PORT\)/);
    expect(() => webSettings({ corsOrigins: 'https://a.example' }, DEFAULTS)).toThrow(/web\.corsOrigins: it must be a list of strings/);
    expect(() => webSettings({ corsOrigins: ['https://a.example/app'] }, DEFAULTS)).toThrow(/not an origin.*scheme:\/\/host\[:port\]/s);
    expect(() => webSettings({ maxBodyBytes: -1 }, DEFAULTS)).toThrow(/web\.maxBodyBytes: it must be a whole number > 0/);
    expect(() => webSettings({ host: '' }, DEFAULTS)).toThrow(/web\.host/);
  });

  it('keeps what is valid', () => {
    const settings = webSettings({ corsOrigins: ['*'], maxBodyBytes: 1024, host: '127.0.0.1' }, DEFAULTS);
    expect(settings).toMatchObject({ corsOrigins: ['*'], maxBodyBytes: 1024, host: '127.0.0.1' });
  });
});

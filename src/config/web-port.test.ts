import { describe, expect, it } from 'vitest';
import { configFromEnv } from './load-config.js';

describe('webPort', () => {
  it('takes a port, or off (which turns a config file’s web port off from the environment)', () => {
    expect(configFromEnv({ KRPC_WEB_PORT: '8080' })).toEqual({ webPort: 8080 });
    expect(configFromEnv({ KRPC_WEB_PORT: 'off' })).toEqual({ webPort: undefined });
    expect(() => configFromEnv({ KRPC_WEB_PORT: 'on' })).toThrow(/KRPC_WEB_PORT/);
  });
});

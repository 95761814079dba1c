import { describe, expect, it } from 'vitest';
import { closest } from './suggest.js';

describe('closest', () => {
  it('ranks by edit distance over all candidates, a swap of neighbours being one edit', () => {
    expect(closest('prot', ['protos', 'port', 'host'])).toBe('port');
    expect(closest('strat', ['start', 'types'])).toBe('start');
    expect(closest('--hepl', ['--help', '--version'])).toBe('--help');
    expect(closest('--runtime_port', ['--port', '--runtime-port'])).toBe('--runtime-port');
    expect(closest('SayHelo', ['SayHello', 'SayHelloAgain'])).toBe('SayHello');
  });

  it('suggests nothing when nothing is close', () => {
    expect(closest('launch', ['start', 'types', 'manifests', 'deploy', 'help'])).toBeUndefined();
    expect(closest('--bogus', ['--port', '--host', '--help'])).toBeUndefined();
    expect(closest('x', ['y'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { unknownVariables } from './unknown-variables.js';

describe('unknownVariables', () => {
  it('names KRPC_ variables nothing reads, with the closest known one', () => {
    const env = { KRPC_PORT: '1', KRPC_PROT: '2', KRPC_TARGET_HELLOWORLD_GRETER: 'x', KRPC_TARGET_HELLOWORLD_GREETER: 'y', PATH: '/bin' };
    expect(unknownVariables(env, ['KRPC_TARGET_HELLOWORLD_GREETER'])).toEqual([
      'KRPC_PROT is set but no configuration key or client reads it (did you mean KRPC_PORT?)',
      'KRPC_TARGET_HELLOWORLD_GRETER is set but no configuration key or client reads it (did you mean KRPC_TARGET_HELLOWORLD_GREETER?)',
    ]);
  });

  it('says nothing about known variables, other prefixes, or a target of a declared client', () => {
    expect(
      unknownVariables({ KRPC_LOG_LEVEL: 'info', KRPC_REQUIRE_PEERS: '1', KRPCX: '1', KRPC_TARGET_SHOP_CART: 'a' }, [
        'KRPC_TARGET_SHOP_CART',
      ]),
    ).toEqual([]);
  });
});

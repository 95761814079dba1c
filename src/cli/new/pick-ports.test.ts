import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pickProjectPorts } from './pick-ports.js';

describe('pickProjectPorts', () => {
  it('derives the same pair from the same name, in 50100-50999 with the runtime port 1000 above', async () => {
    const first = await pickProjectPorts('orders');
    expect(await pickProjectPorts('orders')).toEqual(first);
    expect(first.port).toBeGreaterThanOrEqual(50100);
    expect(first.port).toBeLessThan(51000);
    expect(first.runtimePort).toBe(first.port + 1000);
    const others = await Promise.all(['billing', 'users', 'search', 'cart'].map(pickProjectPorts));
    expect(new Set([first, ...others].map((p) => p.port)).size).toBe(5);
  });

  it('skips a pair whose gRPC port is in use on this machine', async () => {
    const wanted = await pickProjectPorts('inventory');
    const holder = createServer();
    // if another process took it first, it is in use all the same
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen({ port: wanted.port }, () => resolve());
    });
    try {
      const next = await pickProjectPorts('inventory');
      expect(next.port).not.toBe(wanted.port);
      expect(next.runtimePort).toBe(next.port + 1000);
    } finally {
      holder.close();
    }
  });
});

import * as PromClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { promClient, promGlobalRegistry, promRegistry } from './prom-client-parts.js';

describe('prom-client parts', () => {
  it('loads the very Registry class and global registry that prom-client exports (fails if an upgrade moves lib/registry.js)', () => {
    expect(promRegistry()).toBe(PromClient.Registry);
    expect(promGlobalRegistry()).toBe(PromClient.register);
    expect(promClient().Counter).toBe(PromClient.Counter);
    expect(new (promRegistry())()).toBeInstanceOf(PromClient.Registry);
  });
});

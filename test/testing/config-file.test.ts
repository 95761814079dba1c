// createTestApp boots an app the way `krpc-app start` does: protos the config file lists (and the
// module does not) are loaded, so a test and production agree.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { createTestApp } from '../../src/testing/index.js';
import { ROOT } from '../support/krpc-process.js';

@RpcService('helloworld.Greeter', { allowUnimplemented: true })
class Greeter {
  @RpcMethod()
  sayHello(req: { name: string }) {
    return { message: `Hi ${req.name}` };
  }
}

@Module({ services: [Greeter] })
class ProtosInConfigOnly {}

describe('createTestApp and the config file', () => {
  it("loads the protos the app's krpc.config.json lists, as krpc-app start does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-testing-config-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ protos: [join(ROOT, 'test/fixtures/protos/helloworld.proto')] }));
    const t = await createTestApp(ProtosInConfigOnly, { root: dir });
    try {
      expect(await t.client<Greeter>('helloworld.Greeter').sayHello({ name: 'Ada' })).toEqual({ message: 'Hi Ada' });
    } finally {
      await t.close();
    }
  });

  it('fails like krpc-app start on a bad config file, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-testing-config-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ prot: 1 }));
    await expect(createTestApp(ProtosInConfigOnly, { root: dir })).rejects.toThrow(/Unknown config key "prot".*\n.*did you mean "port"/);
  });
});

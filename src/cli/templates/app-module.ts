import type { ServiceClass } from './stub-service.js';

/** src/app.module.ts: the root module serving every service class. */
export function appModule(protoPath: string, classes: readonly ServiceClass[]): string {
  const imports = classes.map((c) => `import { ${c.className} } from './${c.file}.js';\n`).join('');
  return `import { Module } from 'kubernetes-rpc';
${imports}
/** The app's root module. Proto paths are relative to the app directory. */
@Module({
  protos: ['${protoPath}'],
  services: [${classes.map((c) => c.className).join(', ')}],
})
export class AppModule {}
`;
}

/** test/app.test.ts for a project from a given proto: it boots, and a unary rpc answers UNIMPLEMENTED. */
export function stubTest(classes: readonly ServiceClass[]): string {
  const target = classes.flatMap((c) => c.service.rpcs.filter((r) => !r.requestStream && !r.responseStream).map((rpc) => ({ c, rpc })))[0];
  const check =
    target === undefined
      ? `it('boots', () => {\n  expect(t.port).toBeGreaterThan(0);\n});\n`
      : `it('answers UNIMPLEMENTED until ${target.rpc.name} is written', async () => {
  const client = t.client<Record<string, (req: object) => Promise<unknown>>>('${target.c.service.fullName}');
  const error = await client.${target.rpc.name.charAt(0).toLowerCase()}${target.rpc.name.slice(1)}?.({}).catch((e: unknown) => e);
  expect(RpcError.is(error) && error.code).toBe(Status.UNIMPLEMENTED);
});
`;
  return `import { RpcError, Status } from 'kubernetes-rpc';
import { createTestApp, type TestApp } from 'kubernetes-rpc/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';

let t: TestApp;
beforeAll(async () => {
  // the app directory: where krpc.config.json is and proto paths are relative to
  t = await createTestApp(AppModule, { root: new URL('..', import.meta.url).pathname });
});
afterAll(() => t.close());

${check}`;
}

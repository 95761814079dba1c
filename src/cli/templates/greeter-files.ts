/** The proto of a project made without `--proto`: a small greeter with a unary and a streaming rpc. */
export const GREETER_PROTO = `// An example service; replace it with your own and run \`npm run types\`.
syntax = "proto3";

package helloworld;

service Greeter {
  rpc SayHello (HelloRequest) returns (HelloReply) {}
  rpc SayHelloStreamReply (HelloRequest) returns (stream HelloReply) {}
}

message HelloRequest {
  string name = 1;
}

message HelloReply {
  string message = 1;
}
`;

/** The greeter's service class: the example handlers. */
export const GREETER_SERVICE = `import { AppLogger, type RpcContext, RpcError, RpcMethod, RpcService, type ServiceImpl, Status } from 'kubernetes-rpc';
import type { GreeterHandlers } from './generated/helloworld/Greeter.js';
import type { HelloReply } from './generated/helloworld/HelloReply.js';
import type { HelloRequest__Output } from './generated/helloworld/HelloRequest.js';

/** Serves helloworld.Greeter; \`ServiceImpl\` checks every handler against the proto. */
@RpcService('helloworld.Greeter')
export class GreeterService implements ServiceImpl<GreeterHandlers> {
  constructor(private readonly log: AppLogger) {}

  @RpcMethod()
  sayHello(req: HelloRequest__Output): HelloReply {
    if (!req.name) throw new RpcError(Status.INVALID_ARGUMENT, 'name is required');
    this.log.debug({ name: req.name }, 'greeting');
    return { message: \`Hello \${req.name}\` };
  }

  @RpcMethod()
  async *sayHelloStreamReply(req: HelloRequest__Output, ctx: RpcContext): AsyncIterable<HelloReply> {
    if (!req.name) throw new RpcError(Status.INVALID_ARGUMENT, 'name is required');
    for (let i = 1; i <= 3 && !ctx.aborted; i++) yield { message: \`Hello \${req.name} #\${i}\` };
  }
}
`;

/** The greeter's test. */
export const GREETER_TEST = `import { RpcError, Status } from 'kubernetes-rpc';
import { createTestApp, type TestApp } from 'kubernetes-rpc/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { GreeterService } from '../src/greeter.service.js';

let t: TestApp;
beforeAll(async () => {
  // the app directory: where krpc.config.json is and proto paths are relative to
  t = await createTestApp(AppModule, { root: new URL('..', import.meta.url).pathname });
});
afterAll(() => t.close());

it('greets', async () => {
  expect(await t.client(GreeterService).sayHello({ name: 'Ada' })).toEqual({ message: 'Hello Ada' });
});

it('answers INVALID_ARGUMENT for an empty name', async () => {
  const error = await t.client(GreeterService).sayHello({ name: '' }).catch((e: unknown) => e);
  expect(RpcError.is(error) && error.code).toBe(Status.INVALID_ARGUMENT);
});
`;

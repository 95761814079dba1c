import { type RpcContext, RpcError, RpcMethod, RpcService, type ServiceImpl, Status } from 'kubernetes-rpc';
import type { GreeterHandlers } from './generated/helloworld/Greeter.js';
import type { HelloReply } from './generated/helloworld/HelloReply.js';
import type { HelloRequest__Output } from './generated/helloworld/HelloRequest.js';
import { GreetingRepository } from './greeting.repository.js';

/** Serves helloworld.Greeter; every handler shape is checked against the proto by `ServiceImpl`. */
@RpcService('helloworld.Greeter')
export class GreeterService implements ServiceImpl<GreeterHandlers> {
  constructor(private readonly greetings: GreetingRepository) {}

  @RpcMethod()
  sayHello(req: HelloRequest__Output): HelloReply {
    return { message: this.greetings.greet(requireName(req)) };
  }

  @RpcMethod()
  async sayHelloAgain(req: HelloRequest__Output): Promise<HelloReply> {
    return { message: `${this.greetings.greet(requireName(req))}, again` };
  }

  /** Three replies; stops early if the caller goes away. */
  @RpcMethod()
  async *sayHelloStreamReply(req: HelloRequest__Output, ctx: RpcContext): AsyncIterable<HelloReply> {
    const name = requireName(req);
    for (let i = 1; i <= 3 && !ctx.aborted; i++) yield { message: `${this.greetings.greet(name)} #${i}` };
  }

  /** One reply per request, as they arrive. */
  @RpcMethod()
  async *sayHelloBidiStream(reqs: AsyncIterable<HelloRequest__Output>): AsyncIterable<HelloReply> {
    for await (const req of reqs) yield { message: this.greetings.greet(requireName(req)) };
  }
}

function requireName(req: HelloRequest__Output): string {
  if (!req.name) throw new RpcError(Status.INVALID_ARGUMENT, 'name is required');
  return req.name;
}

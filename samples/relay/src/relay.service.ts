import { type Client, InjectClient, RpcMethod, RpcService, type ServiceImpl } from 'kubernetes-rpc';
import type { GreeterClient, GreeterHandlers } from './generated/helloworld/Greeter.js';
import type { HelloReply } from './generated/helloworld/HelloReply.js';
import type { HelloRequest__Output } from './generated/helloworld/HelloRequest.js';

/**
 * Serves helloworld.Greeter by relaying to a downstream helloworld.Greeter. The calls it makes
 * inherit the incoming call's deadline and cancellation and forward its `x-request-id`, and with
 * tracing on each is a child span of the incoming call's (docs/tracing.md), without any code here.
 */
@RpcService('helloworld.Greeter')
export class RelayService implements ServiceImpl<GreeterHandlers> {
  constructor(@InjectClient('helloworld.Greeter') private readonly downstream: Client<GreeterClient>) {}

  @RpcMethod()
  async sayHello(req: HelloRequest__Output): Promise<HelloReply> {
    const reply = await this.downstream.sayHello({ name: req.name });
    return { message: `relayed: ${reply.message}` };
  }

  @RpcMethod()
  async sayHelloAgain(req: HelloRequest__Output): Promise<HelloReply> {
    const reply = await this.downstream.sayHelloAgain({ name: req.name });
    return { message: `relayed: ${reply.message}` };
  }

  /** Relays the downstream stream message by message; it is cancelled if our caller goes away. */
  @RpcMethod()
  async *sayHelloStreamReply(req: HelloRequest__Output): AsyncIterable<HelloReply> {
    for await (const reply of this.downstream.sayHelloStreamReply({ name: req.name })) {
      yield { message: `relayed: ${reply.message}` };
    }
  }

  /** Sends each incoming request downstream as it arrives and relays the answers. */
  @RpcMethod()
  async *sayHelloBidiStream(reqs: AsyncIterable<HelloRequest__Output>): AsyncIterable<HelloReply> {
    for await (const reply of this.downstream.sayHelloBidiStream(reqs)) yield { message: `relayed: ${reply.message}` };
  }
}

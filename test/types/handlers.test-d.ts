// Type tests: checked by `tsc --noEmit` in `npm test`. Each @ts-expect-error must stay an error.
import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { expectTypeOf } from 'vitest';
import { Inject, Injectable, Module, RpcMethod, RpcService } from '../../src/decorators/index.js';
import { RpcError, Status } from '../../src/errors/index.js';
import type { RpcContext, ServiceImpl, UnaryHandler } from '../../src/server/index.js';
import { UseInterceptors } from '../../src/server/index.js';

interface Req {
  name: string;
}
interface Res {
  message: string;
}
interface GreeterHandlers extends UntypedServiceImplementation {
  SayHello: handleUnaryCall<Req, Res>;
  Replies: handleServerStreamingCall<Req, Res>;
  Collect: handleClientStreamingCall<Req, Res>;
  Chat: handleBidiStreamingCall<Req, Res>;
}

type Impl = ServiceImpl<GreeterHandlers>;
expectTypeOf<keyof Impl>().toEqualTypeOf<'sayHello' | 'replies' | 'collect' | 'chat'>();
expectTypeOf<Impl['sayHello']>().toEqualTypeOf<UnaryHandler<Req, Res>>();
expectTypeOf<Impl['replies']>().toEqualTypeOf<(request: Req, ctx: RpcContext) => AsyncIterable<Res> | Iterable<Res>>();
expectTypeOf<Impl['collect']>().toEqualTypeOf<(requests: AsyncIterable<Req>, ctx: RpcContext) => Res | Promise<Res>>();
expectTypeOf<Impl['chat']>().toEqualTypeOf<(requests: AsyncIterable<Req>, ctx: RpcContext) => AsyncIterable<Res> | Iterable<Res>>();

@RpcService('helloworld.Greeter')
export class GoodGreeter implements ServiceImpl<GreeterHandlers> {
  @RpcMethod()
  sayHello(req: Req): Res {
    return { message: req.name };
  }
  @RpcMethod()
  async *replies(req: Req, ctx: RpcContext): AsyncIterable<Res> {
    if (!ctx.aborted) yield { message: req.name };
  }
  @RpcMethod()
  async collect(reqs: AsyncIterable<Req>): Promise<Res> {
    for await (const r of reqs) return { message: r.name };
    throw new RpcError(Status.INVALID_ARGUMENT, 'empty');
  }
  @RpcMethod('Chat')
  async *chat(reqs: AsyncIterable<Req>): AsyncIterable<Res> {
    for await (const r of reqs) yield { message: r.name };
  }
}

// A wrong reply field does not compile.
export class WrongReply implements ServiceImpl<GreeterHandlers> {
  // @ts-expect-error: 'text' is not a field of Res
  sayHello(req: Req) {
    return { text: req.name };
  }
  async *replies() {}
  async collect() {
    return { message: '' };
  }
  async *chat() {}
}

// A unary handler where a stream is expected does not compile.
export class UnaryForStream implements ServiceImpl<GreeterHandlers> {
  sayHello() {
    return { message: '' };
  }
  // @ts-expect-error: replies must return an AsyncIterable
  replies(): Res {
    return { message: '' };
  }
  async collect() {
    return { message: '' };
  }
  async *chat() {}
}

// A missing handler does not compile.
// @ts-expect-error: chat is missing
export class Missing implements ServiceImpl<GreeterHandlers> {
  sayHello() {
    return { message: '' };
  }
  async *replies() {}
  async collect() {
    return { message: '' };
  }
}

// Decorators are typed: @RpcService takes a name, @Module takes known options.
// @ts-expect-error: the service name is required
@RpcService()
export class NoName {}

// @ts-expect-error: 'service' is not a module option (it is 'services')
@Module({ service: [GoodGreeter] })
export class BadModule {}

@Injectable()
export class Uses {
  constructor(@Inject('TOKEN') readonly value: string) {}
}

// Interceptors are typed: ctx is an RpcContext and next returns a Promise.
UseInterceptors(async (ctx, next) => {
  expectTypeOf(ctx).toEqualTypeOf<RpcContext>();
  expectTypeOf(next).toEqualTypeOf<() => Promise<unknown>>();
  return next();
});
// @ts-expect-error: an interceptor must return a Promise
UseInterceptors((_ctx, _next) => 42);

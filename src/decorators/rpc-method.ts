import { addMethodMetadata, type Constructor, type RpcMethodOptions } from '../metadata/index.js';

/**
 * Binds a method to an rpc of the class's `@RpcService`. The rpc name defaults to the method
 * name with its first letter upper-cased (`sayHello` → `SayHello`). The call kind comes from the
 * proto; the method's shape must match it (see the services guide).
 *
 * @example
 * ```ts
 * @RpcMethod()                 // rpc SayHello
 * sayHello(req: HelloRequest, ctx: RpcContext): Promise<HelloReply> { … }
 *
 * @RpcMethod('LotsOfReplies')  // rpc named explicitly
 * async *replies(req: HelloRequest): AsyncIterable<HelloReply> { … }
 * ```
 */
export function RpcMethod(rpcName?: string | RpcMethodOptions, options: RpcMethodOptions = {}): MethodDecorator {
  const opts = typeof rpcName === 'object' ? rpcName : { ...options, name: rpcName ?? options.name };
  return (prototype, propertyKey) => {
    const key = String(propertyKey);
    const explicit = opts.name !== undefined && opts.name !== '';
    addMethodMetadata(prototype.constructor as Constructor, {
      propertyKey: key,
      rpcName: explicit ? (opts.name as string) : key.charAt(0).toUpperCase() + key.slice(1),
      explicitName: explicit,
    });
  };
}

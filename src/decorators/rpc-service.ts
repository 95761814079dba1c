import { type Constructor, type RpcServiceOptions, setInjectableScope, setServiceMetadata } from '../metadata/index.js';

/**
 * Marks a class as the implementation of a gRPC service from the app's protos. The class is
 * injectable (constructor injection by type) and a singleton.
 *
 * @param name - the fully-qualified service name, e.g. `helloworld.Greeter`
 * @example
 * ```ts
 * @RpcService('helloworld.Greeter')
 * export class GreeterService {
 *   @RpcMethod()
 *   sayHello(req: HelloRequest): HelloReply { return { message: `Hello ${req.name}` }; }
 * }
 * ```
 */
export function RpcService(name: string, options: RpcServiceOptions = {}): ClassDecorator {
  return (target) => {
    setServiceMetadata(target as unknown as Constructor, { name, options });
    setInjectableScope(target as unknown as Constructor, 'singleton');
  };
}

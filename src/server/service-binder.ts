import { ConfigurationError, closest } from '../errors/index.js';
import {
  type Constructor,
  getInterceptors,
  getMethodMetadata,
  getServiceMetadata,
  type InterceptorRef,
  type MethodMetadata,
} from '../metadata/index.js';
import type { LoadedMethod, LoadedProtos, LoadedService } from '../proto/index.js';

/** A service class checked against the protos: which handler serves which rpc. */
export interface ServicePlan {
  readonly cls: Constructor;
  readonly service: LoadedService;
  readonly handlers: readonly {
    readonly method: LoadedMethod;
    readonly meta: MethodMetadata;
    readonly interceptors: readonly InterceptorRef[];
  }[];
  readonly unimplemented: readonly LoadedMethod[];
  readonly classInterceptors: readonly InterceptorRef[];
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Checks every `@RpcService` class against the loaded protos and returns what to bind. Throws a
 * {@link ConfigurationError} naming the class, method, proto file and fix for each kind of mistake.
 */
export function planServices(classes: readonly Constructor[], protos: LoadedProtos): ServicePlan[] {
  const byService = new Map<string, Constructor>();
  const plans: ServicePlan[] = [];
  const protoList = protos.files.join(', ') || '(no proto files)';
  for (const cls of classes) {
    const meta = getServiceMetadata(cls);
    if (!meta) {
      throw new ConfigurationError('KRPC_NOT_A_SERVICE', `${cls.name} is listed in a module's services but is not an @RpcService`, {
        className: cls.name,
        fix: `decorate ${cls.name} with @RpcService('package.Service'), or move it to providers`,
      });
    }
    const service = protos.services.get(meta.name);
    if (!service) {
      const guess = closest(meta.name, protos.services.keys());
      throw new ConfigurationError('KRPC_SERVICE_NOT_IN_PROTO', `Service ${meta.name} is not defined in the loaded protos`, {
        className: cls.name,
        service: meta.name,
        protoFile: protoList,
        fix: guess
          ? `did you mean @RpcService('${guess}')? Names are fully qualified: package.Service`
          : `add the proto that defines ${meta.name} to @Module({ protos }), or correct the name (fully qualified: package.Service); loaded services: ${[...protos.services.keys()].join(', ') || 'none'}`,
      });
    }
    const other = byService.get(meta.name);
    if (other) {
      throw new ConfigurationError('KRPC_DUPLICATE_SERVICE', `Two classes implement ${meta.name}: ${other.name} and ${cls.name}`, {
        className: cls.name,
        service: meta.name,
        protoFile: service.file,
        fix: `keep one @RpcService('${meta.name}') class; split rpcs by service, not by class`,
      });
    }
    byService.set(meta.name, cls);
    const methods = getMethodMetadata(cls);
    const handlers: ServicePlan['handlers'][number][] = [];
    const bound = new Set<string>();
    for (const m of methods) {
      const rpc = service.methods.get(m.rpcName);
      if (!rpc) {
        const guess = closest(m.rpcName, service.methods.keys());
        throw new ConfigurationError(
          'KRPC_RPC_NOT_IN_SERVICE',
          `${cls.name}.${m.propertyKey} is bound to rpc ${m.rpcName}, which ${meta.name} does not have`,
          {
            className: cls.name,
            methodName: m.propertyKey,
            service: meta.name,
            protoFile: service.file,
            fix: guess
              ? `did you mean ${m.explicitName ? `@RpcMethod('${guess}')` : `a method named ${lowerFirst(guess)} (or @RpcMethod('${guess}'))`}? The service's rpcs: ${[...service.methods.keys()].join(', ')}`
              : `name an rpc of ${meta.name}: ${[...service.methods.keys()].join(', ')}`,
          },
        );
      }
      if (bound.has(m.rpcName)) {
        throw new ConfigurationError('KRPC_DUPLICATE_SERVICE', `Two methods of ${cls.name} are bound to rpc ${m.rpcName}`, {
          className: cls.name,
          methodName: m.propertyKey,
          service: meta.name,
          protoFile: service.file,
          fix: 'bind each rpc to exactly one method',
        });
      }
      const fn = (cls.prototype as Record<string, unknown>)[m.propertyKey];
      if (typeof fn !== 'function') {
        throw new ConfigurationError('KRPC_HANDLER_NOT_A_FUNCTION', `${cls.name}.${m.propertyKey} is not a method`, {
          className: cls.name,
          methodName: m.propertyKey,
          service: meta.name,
          protoFile: service.file,
          fix: 'put @RpcMethod on a class method (not an arrow-function property)',
        });
      }
      bound.add(m.rpcName);
      handlers.push({ method: rpc, meta: m, interceptors: getInterceptors(cls.prototype, m.propertyKey) });
    }
    const unimplemented = [...service.methods.values()].filter((rpc) => !bound.has(rpc.rpcName));
    if (unimplemented.length > 0 && !meta.options.allowUnimplemented) {
      const rpc = unimplemented[0] as LoadedMethod;
      const name = lowerFirst(rpc.rpcName);
      const undecorated = typeof (cls.prototype as Record<string, unknown>)[name] === 'function';
      throw new ConfigurationError(
        'KRPC_RPC_NOT_IMPLEMENTED',
        `${cls.name} has no handler for rpc ${meta.name}.${rpc.rpcName}${
          unimplemented.length > 1
            ? ` (nor for ${unimplemented
                .slice(1)
                .map((u) => u.rpcName)
                .join(', ')})`
            : ''
        }`,
        {
          className: cls.name,
          methodName: name,
          service: meta.name,
          protoFile: service.file,
          fix: undecorated
            ? `add @RpcMethod() to ${cls.name}.${name}`
            : `add a method ${name}(...) with @RpcMethod() to ${cls.name}, or use @RpcService('${meta.name}', { allowUnimplemented: true }) to answer it UNIMPLEMENTED`,
        },
      );
    }
    plans.push({ cls, service, handlers, unimplemented, classInterceptors: getInterceptors(cls) });
  }
  return plans;
}

import { ConfigurationError } from '../errors/index.js';
import {
  type Constructor,
  getDesignParamTypes,
  getInjectableScope,
  getParamInjections,
  type Provider,
  type Scope,
  type Token,
} from '../metadata/index.js';
import { tokenName } from './token-name.js';

/** One dependency of a provider. */
export type Dependency =
  | { readonly kind: 'token'; readonly token: Token; readonly optional: boolean }
  | { readonly kind: 'client'; readonly service: string };

/** A provider in a normal form. */
export interface ProviderRecord {
  readonly token: Token;
  readonly scope: Scope;
  readonly deps: readonly Dependency[];
  /** Builds the value from resolved dependencies, in `deps` order. */
  readonly create: (deps: readonly unknown[]) => unknown;
  /** The module that declares it (its class name), for messages. */
  readonly moduleName: string;
  readonly description: string;
}

const PRIMITIVES = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Promise, Symbol, undefined]);

/** The constructor dependencies of a class, from `design:paramtypes` and `@Inject`/`@InjectClient`. */
export function classDependencies(cls: Constructor): Dependency[] {
  const injections = getParamInjections(cls);
  const types = getDesignParamTypes(cls);
  const count = Math.max(cls.length, types?.length ?? 0, ...[...injections.keys()].map((i) => i + 1));
  const deps: Dependency[] = [];
  for (let index = 0; index < count; index++) {
    const injection = injections.get(index);
    if (injection) {
      deps.push(injection);
      continue;
    }
    if (types === undefined) {
      throw new ConfigurationError(
        'KRPC_UNRESOLVED_DEPENDENCY',
        `${cls.name} has constructor parameters but no type metadata to inject them by`,
        {
          className: cls.name,
          fix: `decorate ${cls.name} with @Injectable() (or @RpcService) and compile with "emitDecoratorMetadata": true (tsc or Vitest; tsx and esbuild do not emit it), or use @Inject(token) on each parameter`,
        },
      );
    }
    const type = types[index];
    if (PRIMITIVES.has(type)) {
      throw new ConfigurationError(
        'KRPC_UNRESOLVED_DEPENDENCY',
        `Parameter #${index} of ${cls.name}'s constructor has no injectable runtime type (it is ${describeType(type)})`,
        {
          className: cls.name,
          fix: 'interfaces, primitives and type-only imports vanish at run time: add @Inject(token) to the parameter, or import the class as a value (not `import type`)',
        },
      );
    }
    deps.push({ kind: 'token', token: type as Constructor, optional: false });
  }
  return deps;
}

function describeType(type: unknown): string {
  if (type === undefined) return 'undefined: a type-only import or a circular import';
  if (type === Object) return 'an interface or Object';
  return (type as { name?: string }).name ?? String(type);
}

/** Normalises one entry of a module's `providers` (or `services`). */
export function toProviderRecord(provider: Provider, moduleName: string): ProviderRecord {
  if (typeof provider === 'function') {
    const cls = provider;
    return {
      token: cls,
      scope: getInjectableScope(cls) ?? 'singleton',
      deps: classDependencies(cls),
      create: (deps) => new cls(...(deps as never[])),
      moduleName,
      description: `class ${cls.name}`,
    };
  }
  if (typeof provider !== 'object' || provider === null || !('provide' in provider)) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Module ${moduleName} lists an invalid provider`, {
      className: moduleName,
      fix: 'a provider is a class, { provide, useClass }, { provide, useValue } or { provide, useFactory, inject }',
    });
  }
  if ('useValue' in provider) {
    const value = provider.useValue;
    return {
      token: provider.provide,
      scope: 'singleton',
      deps: [],
      create: () => value,
      moduleName,
      description: `value ${tokenName(provider.provide)}`,
    };
  }
  if ('useClass' in provider) {
    const cls = provider.useClass;
    return {
      token: provider.provide,
      scope: provider.scope ?? getInjectableScope(cls) ?? 'singleton',
      deps: classDependencies(cls),
      create: (deps) => new cls(...(deps as never[])),
      moduleName,
      description: `class ${cls.name} for ${tokenName(provider.provide)}`,
    };
  }
  const factory = provider.useFactory;
  return {
    token: provider.provide,
    scope: provider.scope ?? 'singleton',
    deps: (provider.inject ?? []).map((token) => ({ kind: 'token', token, optional: false }) as const),
    create: (deps) => factory(...(deps as never[])),
    moduleName,
    description: `factory for ${tokenName(provider.provide)}`,
  };
}

import { type Constructor, getServiceMetadata, setParamInjection, type Token } from '../metadata/index.js';

/** Options of `@Inject`. */
export interface InjectOptions {
  /** Inject `undefined` instead of failing at boot when nothing provides the token. */
  readonly optional?: boolean;
}

/**
 * Injects the provider registered under `token` into a constructor parameter; needed for
 * string and symbol tokens and for interfaces, which have no runtime type.
 *
 * @example
 * ```ts
 * constructor(@Inject('GREETING_PREFIX') private readonly prefix: string) {}
 * ```
 */
export function Inject(token: Token, options: InjectOptions = {}): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) return;
    setParamInjection(target as Constructor, index, { kind: 'token', token, optional: options.optional === true });
  };
}

/**
 * Injects a typed client proxy for a service the module declares in `clients`.
 *
 * @param service - the fully-qualified service name, e.g. `helloworld.Greeter`, or the
 *   `@RpcService` class that serves it (its recorded name is used)
 * @example
 * ```ts
 * constructor(@InjectClient('helloworld.Greeter') private readonly greeter: Client<GreeterService>) {}
 * ```
 */
export function InjectClient(service: string | Constructor): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) return;
    const name = typeof service === 'string' ? service : (getServiceMetadata(service)?.name ?? `class:${service.name}`);
    setParamInjection(target as Constructor, index, { kind: 'client', service: name });
  };
}

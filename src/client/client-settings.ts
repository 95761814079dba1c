import { ConfigurationError, closest } from '../errors/index.js';
import type { ClientDeclarationOptions, ModuleOptions } from '../metadata/index.js';
import type { LoadedProtos, LoadedService } from '../proto/index.js';
import { checkHedging, checkKeepalive, checkKeys, checkMs, checkRetry, checkThrottling, clientInvalid } from './check-client-options.js';
import type { ClientInterceptorLike } from './client-interceptor.js';
import { targetEnvName } from './target.js';

/** Layer-level settings of one client: declaration options plus a target and interceptors. */
export interface ClientServiceOptions extends ClientDeclarationOptions {
  /** Target used when the environment sets none; wins over the module's declaration. */
  readonly target?: string;
  /** Interceptors of this client only, inside the layer-wide ones. */
  readonly interceptors?: readonly ClientInterceptorLike[];
}

/** Everything the layer knows about one client once merged and checked. */
export interface ClientSettings {
  readonly service: LoadedService;
  readonly target: string;
  /** Where the target came from, for error messages. */
  readonly targetFrom: string;
  readonly options: ClientDeclarationOptions;
  readonly interceptors: readonly ClientInterceptorLike[];
}

interface Declared {
  target?: string;
  targetFrom?: string;
  options: ClientDeclarationOptions;
  interceptors: ClientInterceptorLike[];
  declaredBy: string;
}

/**
 * Merges the modules' `clients` declarations with the layer's per-service settings and the
 * `KRPC_TARGET_<SERVICE>` environment, and checks them against the loaded protos.
 */
export function collectClientSettings(
  protos: LoadedProtos,
  modules: readonly { readonly cls: { readonly name: string }; readonly options: ModuleOptions }[],
  layer: { readonly defaults?: ClientDeclarationOptions; readonly services?: Readonly<Record<string, ClientServiceOptions>> },
  env: Readonly<Record<string, string | undefined>>,
): Map<string, ClientSettings> {
  const declared = new Map<string, Declared>();
  const entry = (service: string, by: string): Declared => {
    let found = declared.get(service);
    if (!found) {
      found = { options: { ...layer.defaults }, interceptors: [], declaredBy: by };
      declared.set(service, found);
    }
    return found;
  };
  for (const module of modules) {
    for (const client of module.options.clients ?? []) {
      const declaration = typeof client === 'string' ? { service: client } : client;
      const found = entry(declaration.service, `module ${module.cls.name}`);
      if (declaration.target !== undefined) {
        if (found.target !== undefined && found.target !== declaration.target) {
          throw new ConfigurationError(
            'KRPC_CLIENT_INVALID',
            `Client ${declaration.service} is declared with two targets: "${found.target}" (${found.targetFrom}) and "${declaration.target}" (module ${module.cls.name})`,
            {
              className: module.cls.name,
              service: declaration.service,
              fix: "declare the target once, or set it with the layer's services option or the environment",
            },
          );
        }
        found.target = declaration.target;
        found.targetFrom = `module ${module.cls.name}`;
      }
      found.options = { ...found.options, ...declaration.options };
    }
  }
  for (const [service, { target, interceptors, ...options }] of Object.entries(layer.services ?? {})) {
    const found = entry(service, 'the client layer options');
    if (target !== undefined) {
      found.target = target;
      found.targetFrom = 'the client layer options';
    }
    found.options = { ...found.options, ...options };
    found.interceptors.push(...(interceptors ?? []));
  }
  const settings = new Map<string, ClientSettings>();
  for (const [name, found] of declared) {
    const service = protos.services.get(name);
    if (!service) throw unknownService(name, protos, found.declaredBy);
    const fromEnv = env[targetEnvName(name)];
    const target = fromEnv !== undefined && fromEnv !== '' ? fromEnv : found.target;
    if (target === undefined) {
      throw new ConfigurationError('KRPC_TARGET_INVALID', `Client ${name} has no target`, {
        service: name,
        fix: `give it one: clients: [{ service: '${name}', target: 'host:port' }] or ${targetEnvName(name)}=host:port`,
      });
    }
    checkOptions(service, found.options);
    settings.set(name, {
      service,
      target,
      targetFrom: fromEnv ? targetEnvName(name) : (found.targetFrom ?? found.declaredBy),
      options: found.options,
      interceptors: found.interceptors,
    });
  }
  return settings;
}

/** The error for a client of a service that no loaded proto defines. */
export function unknownService(name: string, protos: LoadedProtos, where: string): ConfigurationError {
  const suggestion = closest(name, [...protos.services.keys()]);
  return new ConfigurationError('KRPC_CLIENT_INVALID', `Client for ${name} (${where}): no loaded proto defines that service`, {
    service: name,
    fix: suggestion
      ? `did you mean ${suggestion}?`
      : `add the proto that defines ${name} to the module's protos (loaded: ${protos.files.join(', ') || 'none'})`,
  });
}

function checkOptions(service: LoadedService, options: ClientDeclarationOptions): void {
  const name = service.name;
  checkKeys(name, options);
  checkKeepalive(name, options.keepalive);
  checkThrottling(name, options.retryThrottling);
  checkMs(name, 'timeoutMs', options.timeoutMs);
  checkMs(name, 'streamTimeoutMs', options.streamTimeoutMs);
  if (options.retry) checkRetry(name, 'retry', options.retry);
  for (const [rpc, method] of Object.entries(options.methods ?? {})) {
    if (!service.methods.has(rpc)) {
      const suggestion = closest(rpc, [...service.methods.keys()]);
      throw clientInvalid(
        name,
        `methods.${rpc} names no rpc of the service`,
        suggestion ? `did you mean ${suggestion}?` : `use one of ${[...service.methods.keys()].join(', ')}`,
      );
    }
    checkMs(name, `methods.${rpc}.timeoutMs`, method.timeoutMs);
    if (method.retry) checkRetry(name, `methods.${rpc}.retry`, method.retry);
    if (method.hedging) checkHedging(name, `methods.${rpc}.hedging`, method.hedging);
    if (method.hedging && method.retry)
      throw clientInvalid(name, `methods.${rpc} has both retry and hedging`, 'an rpc is retried or hedged, not both: keep one');
  }
}
